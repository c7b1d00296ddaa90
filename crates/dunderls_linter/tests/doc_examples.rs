//! Every Python example in the rule documentation is executed under CPython
//! and must behave as its claim comments say. A wrong claim fails the build.

mod support;

use dunderls_linter::{all_rules, docs};

#[test]
fn rule_examples_behave_as_documented() {
    let mut failures = Vec::new();
    for rule in all_rules() {
        let examples = docs::python_examples(rule.docs);
        let bad = docs::section(rule.docs, "Example")
            .map(docs::python_examples)
            .unwrap_or_default();
        let good = docs::section(rule.docs, "Use instead")
            .map(docs::python_examples)
            .unwrap_or_default();
        if bad.is_empty() || good.is_empty() {
            failures.push(format!(
                "{}: needs a python example in both Example and Use instead",
                rule.code
            ));
        }
        if bad.iter().all(|e| e.claims.is_empty()) {
            failures.push(format!(
                "{}: the bad example claims no observable behaviour",
                rule.code
            ));
        }
        for example in examples {
            for broken in support::check_example(&example) {
                failures.push(format!(
                    "{} (docs line {}): {broken}",
                    rule.code, example.line
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "documentation examples disagree with CPython:\n{}",
        failures.join("\n")
    );
}
