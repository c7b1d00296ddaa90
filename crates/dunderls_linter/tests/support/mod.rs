//! Helpers shared by the linter's integration tests.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use dunderls_linter::docs::{Claim, Example};

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// The interpreter for an example: the project's test virtualenv for
/// examples that need NumPy, else python3 on PATH.
pub fn python_for(example: &Example) -> PathBuf {
    if example.requires.iter().any(|r| r == "numpy") {
        let venv = workspace_root().join(".venv/bin/python");
        assert!(
            venv.exists(),
            "this example needs NumPy from the test virtualenv {}: run `bash tests/run-all.sh` (it creates it)",
            venv.display()
        );
        return venv;
    }
    let found = Command::new("python3").arg("--version").output();
    assert!(
        found.is_ok_and(|o| o.status.success()),
        "python3 is not on PATH: the documentation examples are checked by running them under CPython"
    );
    PathBuf::from("python3")
}

/// Run an example and return a list of broken claims (empty = all true).
pub fn check_example(example: &Example) -> Vec<String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/run_example.py");
    let mut child = Command::new(python_for(example))
        .arg(&script)
        .env("PYTHONHASHSEED", "random")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start python");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(example.code.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let Some(last) = stdout.lines().last() else {
        return vec![format!(
            "no result; stderr: {}",
            String::from_utf8_lossy(&output.stderr)
        )];
    };
    let result: serde_json::Value = serde_json::from_str(last).expect("runner prints JSON");
    let exception = result["exception"].as_str();
    let message = result["message"].as_str().unwrap_or("");
    let printed = result["stdout"].as_str().unwrap_or("");
    let warnings: Vec<&str> = result["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|w| w.as_str())
        .collect();
    let mut broken = Vec::new();
    match (example.raises(), exception) {
        (None, Some(exc)) => {
            broken.push(format!("claimed to run cleanly, raised {exc}: {message}"))
        }
        (Some((want, _)), None) => broken.push(format!("claimed to raise {want}, raised nothing")),
        (Some((want, frag)), Some(exc)) if want != exc || !message.contains(frag) => {
            broken.push(format!("claimed {want}: {frag}, raised {exc}: {message}"))
        }
        _ => {}
    }
    for claim in &example.claims {
        match claim {
            Claim::Prints(text) if !printed.lines().any(|l| l.contains(text.as_str())) => {
                broken.push(format!("claimed to print {text:?}, printed {printed:?}"))
            }
            Claim::Warns { category, fragment }
                if !warnings
                    .iter()
                    .any(|w| w.starts_with(category.as_str()) && w.contains(fragment.as_str())) =>
            {
                broken.push(format!(
                    "claimed warning {category}: {fragment}, got {warnings:?}"
                ))
            }
            _ => {}
        }
    }
    broken
}
