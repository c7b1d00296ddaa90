//! Runs every Python example of the knowledge base and checks the behaviour
//! its markers claim (`# raises:`, `# prints:`, `# warns:`, `# requires:`).

mod common;

use dunderls_datamodel::examples::{examples, Example};

/// The exception type and message of the last traceback line:
/// `_pickle.PicklingError: msg` -> ("PicklingError", "msg").
fn raised(stderr: &str) -> Option<(String, String)> {
    stderr.lines().rev().find_map(|line| {
        let (kind, msg) = line.split_once(": ").unwrap_or((line, ""));
        let is_name = !kind.is_empty()
            && !line.starts_with(char::is_whitespace)
            && kind
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '.');
        is_name.then(|| {
            let kind = kind.rsplit('.').next().unwrap_or(kind);
            (kind.to_string(), msg.to_string())
        })
    })
}

fn check(python: &str, ex: &Example) -> Result<(), String> {
    let tag = format!("{}_{}", ex.origin.trim_matches('_'), ex.index);
    let out = common::run_script(python, ex.code, &tag);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let mut problems = Vec::new();
    match &ex.expect.raises {
        Some((kind, fragment)) => match raised(&stderr) {
            _ if out.status.success() => problems.push(format!("expected {kind} but it exited 0")),
            Some((k, msg)) if k == *kind && msg.contains(fragment.as_str()) => {}
            other => problems.push(format!("expected {kind}: {fragment:?}, got {other:?}")),
        },
        None if !out.status.success() => problems.push("exited non-zero".to_string()),
        None => {}
    }
    for line in &ex.expect.prints {
        if !stdout.lines().any(|l| l.trim() == line.trim()) {
            problems.push(format!("stdout has no line {line:?}"));
        }
    }
    for (kind, fragment) in &ex.expect.warns {
        let needle = format!("{kind}: ");
        if !stderr
            .lines()
            .any(|l| l.contains(&needle) && l.contains(fragment.as_str()))
        {
            problems.push(format!("no {kind} containing {fragment:?}"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} example {} of {}: {}\n--- code ---\n{}--- stdout ---\n{stdout}--- stderr ---\n{stderr}",
            ex.file,
            ex.index,
            ex.origin,
            problems.join("; "),
            ex.code
        ))
    }
}

#[test]
fn every_knowledge_example_behaves_as_annotated() {
    let python = common::python();
    let numpy = common::numpy_python();
    let all = examples();
    let mut failures = Vec::new();
    let mut ran = 0;
    let mut skipped = 0;
    for ex in &all {
        let needs_numpy = ex.expect.requires.iter().any(|m| m == "numpy");
        let interpreter = match (needs_numpy, &numpy) {
            (false, _) => &python,
            (true, Some(np)) => np,
            (true, None) => {
                skipped += 1;
                continue;
            }
        };
        ran += 1;
        if let Err(e) = check(interpreter, ex) {
            failures.push(e);
        }
    }
    if skipped > 0 {
        eprintln!(
            "note: skipped {skipped} NumPy examples: no interpreter with numpy \
             (set DUNDERLS_NUMPY_PYTHON to a venv python that has NumPy 2.x)"
        );
    }
    eprintln!("ran {ran} knowledge examples");
    assert!(
        failures.is_empty(),
        "{} of {ran} examples failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn every_example_without_raises_uses_an_assert_or_a_print_marker() {
    // A block with no marker must be able to fail: it needs an assert.
    let weak: Vec<String> = examples()
        .iter()
        .filter(|e| e.expect.raises.is_none() && e.expect.prints.is_empty())
        .filter(|e| e.expect.warns.is_empty() && !e.code.contains("assert"))
        .map(|e| format!("{} #{} ({})", e.origin, e.index, e.file))
        .collect();
    assert!(weak.is_empty(), "examples that cannot fail: {weak:?}");
}
