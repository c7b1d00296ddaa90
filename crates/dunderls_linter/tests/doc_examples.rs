//! Every Python example in the rule documentation is executed under CPython
//! (NumPy ones in the test virtualenv) and must behave as its claim comments
//! say. A wrong claim fails the build.

use dunderls_datamodel::examples::{parse_expectations, python_blocks};
use dunderls_linter::{all_rules, docs};

#[test]
fn rule_examples_behave_as_documented() {
    let mut failures = Vec::new();
    let mut runs = Vec::new();
    for rule in all_rules() {
        let bad = docs::section(rule.docs, "Example")
            .map(python_blocks)
            .unwrap_or_default();
        let good = docs::section(rule.docs, "Use instead")
            .map(python_blocks)
            .unwrap_or_default();
        if bad.is_empty() || good.is_empty() {
            failures.push(format!(
                "{}: needs a python example in both Example and Use instead",
                rule.code
            ));
        }
        if bad.iter().all(|code| {
            let e = parse_expectations(code);
            e.raises.is_none() && e.prints.is_empty() && e.warns.is_empty()
        }) {
            failures.push(format!(
                "{}: the bad example claims no observable behaviour",
                rule.code
            ));
        }
        for code in python_blocks(rule.docs) {
            let expect = parse_expectations(code);
            if expect.raises.is_none()
                && expect.prints.is_empty()
                && expect.warns.is_empty()
                && !code.contains("assert")
            {
                failures.push(format!(
                    "{}: an example that cannot fail (no claim, no assert):\n{code}",
                    rule.code
                ));
            }
            runs.push((rule.code, code, expect));
        }
    }
    let inputs: Vec<_> = runs
        .iter()
        .map(|(_, code, expect)| (*code, expect))
        .collect();
    for ((code_name, code, _), broken) in runs.iter().zip(dunderls_testkit::verify_all(&inputs)) {
        for b in broken {
            failures.push(format!("{code_name}: {b}\n--- code ---\n{code}"));
        }
    }
    assert!(
        failures.is_empty(),
        "documentation examples disagree with CPython:\n{}",
        failures.join("\n")
    );
}
