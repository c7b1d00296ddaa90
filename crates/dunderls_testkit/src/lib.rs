//! Runs a documentation example under CPython and checks the behaviour its
//! comments claim (`# raises:`, `# prints:`, `# warns:`, `# requires:`; see
//! `dunderls_datamodel::examples`). Used by the rule-documentation and the
//! knowledge-base tests, so both hold examples to the same standard.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use dunderls_datamodel::examples::Expectations;

const RUNNER: &str = include_str!("run_example.py");

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn runs(python: &Path, code: &str) -> bool {
    Command::new(python)
        .args(["-c", code])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// `$DUNDERLS_PYTHON` or `python3`. Panics with a clear message when there
/// is none: these tests exist to compare claims with a real CPython.
pub fn python() -> PathBuf {
    let python =
        PathBuf::from(std::env::var("DUNDERLS_PYTHON").unwrap_or_else(|_| "python3".into()));
    assert!(
        runs(&python, "import sys; assert sys.implementation.name == 'cpython'"),
        "documentation examples are checked by running them under CPython, but `{}` could not be run: install python3 or set DUNDERLS_PYTHON",
        python.display()
    );
    python
}

/// An interpreter with NumPy 2.x: `$DUNDERLS_NUMPY_PYTHON`, else the test
/// virtualenv `.venv` that `tests/run-all.sh` creates. Panics otherwise: a
/// NumPy claim that was not run is not a passing claim.
pub fn numpy_python() -> PathBuf {
    let candidate = std::env::var("DUNDERLS_NUMPY_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|_| repo_root().join(".venv/bin/python"));
    assert!(
        runs(&candidate, "import numpy; assert int(numpy.__version__.split('.')[0]) >= 2"),
        "NumPy examples need NumPy 2.x: `{}` cannot import it. Run `bash tests/run-all.sh` (it creates .venv with tests/requirements.txt) or set DUNDERLS_NUMPY_PYTHON",
        candidate.display()
    );
    candidate
}

/// Run `code` and return every claim it breaks (empty: all hold).
pub fn verify(code: &str, expect: &Expectations) -> Vec<String> {
    let python = if expect.requires.iter().any(|r| r == "numpy") {
        numpy_python()
    } else {
        python()
    };
    let child = Command::new(&python)
        .args(["-c", RUNNER])
        .env("PYTHONHASHSEED", "random")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => return vec![format!("cannot start {}: {e}", python.display())],
    };
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(code.as_bytes());
    }
    let output = match child.wait_with_output() {
        Ok(o) => o,
        Err(e) => return vec![format!("python failed: {e}")],
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    let Some(result) = stdout
        .lines()
        .last()
        .and_then(|l| serde_json::from_str::<serde_json::Value>(l).ok())
    else {
        return vec![format!(
            "the runner printed no result; stderr:\n{}",
            String::from_utf8_lossy(&output.stderr)
        )];
    };
    compare(&result, expect)
}

/// `verify` for many examples at once, in parallel (each is its own process).
pub fn verify_all(examples: &[(&str, &Expectations)]) -> Vec<Vec<String>> {
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get() * 2);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results = std::sync::Mutex::new(vec![Vec::new(); examples.len()]);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some((code, expect)) = examples.get(i) else {
                    break;
                };
                let broken = verify(code, expect);
                results.lock().unwrap_or_else(|p| p.into_inner())[i] = broken;
            });
        }
    });
    results.into_inner().unwrap_or_else(|p| p.into_inner())
}

fn compare(result: &serde_json::Value, expect: &Expectations) -> Vec<String> {
    let exception = result["exception"].as_str();
    let message = result["message"].as_str().unwrap_or("");
    let printed = result["stdout"].as_str().unwrap_or("");
    let warnings: Vec<&str> = result["warnings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|w| w.as_str())
        .collect();
    let mut broken = Vec::new();
    match (&expect.raises, exception) {
        (None, Some(exc)) => {
            broken.push(format!("claimed to run cleanly, raised {exc}: {message}"))
        }
        (Some((want, _)), None) => broken.push(format!("claimed to raise {want}, raised nothing")),
        (Some((want, frag)), Some(exc)) if want != exc || !message.contains(frag.as_str()) => {
            broken.push(format!("claimed {want}: {frag}, raised {exc}: {message}"))
        }
        _ => {}
    }
    for text in &expect.prints {
        if !printed.lines().any(|l| l.contains(text.trim())) {
            broken.push(format!("claimed to print {text:?}, printed {printed:?}"));
        }
    }
    for (category, fragment) in &expect.warns {
        if !warnings
            .iter()
            .any(|w| w.starts_with(category.as_str()) && w.contains(fragment.as_str()))
        {
            broken.push(format!(
                "claimed warning {category}: {fragment}, got {warnings:?}"
            ));
        }
    }
    broken
}

#[cfg(test)]
mod tests {
    use super::*;
    use dunderls_datamodel::examples::parse_expectations;

    #[test]
    fn a_wrong_claim_is_caught() {
        let ok = "hash([])  # raises: TypeError: unhashable type: 'list'\n";
        assert!(verify(ok, &parse_expectations(ok)).is_empty());
        let wrong_type = "hash([])  # raises: ValueError: unhashable\n";
        assert_eq!(verify(wrong_type, &parse_expectations(wrong_type)).len(), 1);
        let silent = "x = 1  # prints: 2\n";
        assert_eq!(verify(silent, &parse_expectations(silent)).len(), 1);
        let clean_claim_but_raises = "assert 1 == 2\n";
        assert_eq!(
            verify(
                clean_claim_but_raises,
                &parse_expectations(clean_claim_but_raises)
            )
            .len(),
            1
        );
        let warns = "import warnings\nwarnings.warn('old', DeprecationWarning)  # warns: DeprecationWarning: old\n";
        assert!(verify(warns, &parse_expectations(warns)).is_empty());
    }
}
