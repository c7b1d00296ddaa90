#![allow(dead_code)] // each test binary uses a different subset
//! Finding and running the Python interpreters the tests compare against.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

/// `$DUNDERLS_PYTHON` or `python3`; panics with a clear message when absent,
/// because these tests exist to compare the tables with a real CPython.
pub fn python() -> String {
    let python = std::env::var("DUNDERLS_PYTHON").unwrap_or_else(|_| "python3".to_string());
    match Command::new(&python).arg("--version").output() {
        Ok(out) if out.status.success() => python,
        _ => panic!(
            "these tests need CPython: `{python}` could not be run. Install python3 \
             (3.11 is what the tables were taken from) or point DUNDERLS_PYTHON at one."
        ),
    }
}

/// An interpreter that can `import numpy`: `$DUNDERLS_NUMPY_PYTHON`, else
/// `python()` if it has NumPy. None when there is none (NumPy examples are
/// then skipped, with a note on stderr).
pub fn numpy_python() -> Option<String> {
    let candidates = std::env::var("DUNDERLS_NUMPY_PYTHON")
        .into_iter()
        .chain(std::iter::once(python()));
    candidates.into_iter().find(|p| {
        Command::new(p)
            .args(["-c", "import numpy"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    })
}

/// Run `code` as a script file (so it is `__main__`) with `-W always`.
pub fn run_script(python: &str, code: &str, tag: &str) -> Output {
    let dir = std::env::temp_dir().join(format!("dunderls-datamodel-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path: PathBuf = dir.join(format!("{tag}.py"));
    std::fs::write(&path, code).expect("write script");
    let out = Command::new(python)
        .arg("-W")
        .arg("always")
        .arg(&path)
        .env("PYTHONHASHSEED", "0")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdin(Stdio::null())
        .output()
        .expect("run python");
    let _ = std::fs::remove_file(&path);
    out
}

pub fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}
