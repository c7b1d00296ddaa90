//! Runs every Python example of the knowledge base (method entries and
//! topics) and checks the behaviour its markers claim.

use dunderls_datamodel::examples::examples;

#[test]
fn every_knowledge_example_behaves_as_annotated() {
    let all = examples();
    assert!(
        all.len() > 100,
        "the knowledge base lost its examples: {}",
        all.len()
    );
    let inputs: Vec<_> = all.iter().map(|ex| (ex.code, &ex.expect)).collect();
    let results = dunderls_testkit::verify_all(&inputs);
    let failures: Vec<String> = all
        .iter()
        .zip(results)
        .filter_map(|(ex, broken)| {
            (!broken.is_empty()).then(|| {
                format!(
                    "{} example {} of {}: {}\n--- code ---\n{}",
                    ex.file,
                    ex.index,
                    ex.origin,
                    broken.join("; "),
                    ex.code
                )
            })
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} examples are wrong:\n\n{}",
        failures.len(),
        all.len(),
        failures.join("\n\n")
    );
}

#[test]
fn every_example_can_fail() {
    // A block with no marker must still be able to fail: it needs an assert.
    let weak: Vec<String> = examples()
        .iter()
        .filter(|e| e.expect.raises.is_none() && e.expect.prints.is_empty())
        .filter(|e| e.expect.warns.is_empty() && !e.code.contains("assert"))
        .map(|e| format!("{} #{} ({})", e.origin, e.index, e.file))
        .collect();
    assert!(weak.is_empty(), "examples that cannot fail: {weak:?}");
}
