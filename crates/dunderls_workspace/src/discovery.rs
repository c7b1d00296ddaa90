//! Finding the Python files to check, as a user of ruff expects: honour
//! .gitignore/.ignore, skip virtualenvs, caches and build output.

use std::path::{Path, PathBuf};

const SKIPPED_DIRS: &[&str] = &[
    ".git",
    ".hg",
    ".svn",
    ".venv",
    "venv",
    ".tox",
    ".nox",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    "__pycache__",
    "node_modules",
    "build",
    "dist",
    "site-packages",
    "_build",
    ".eggs",
    "target",
];

/// Expand paths (files are taken as given, even if ignored) into the
/// sorted list of .py/.pyi files to check.
pub fn discover_python_files(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<String>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.is_file() {
            files.push(path.clone());
            continue;
        }
        if !path.exists() {
            errors.push(format!("{}: no such file or directory", path.display()));
            continue;
        }
        let walker = ignore::WalkBuilder::new(path)
            .hidden(false)
            .require_git(false)
            .filter_entry(|e| {
                !(e.file_type().is_some_and(|t| t.is_dir())
                    && (SKIPPED_DIRS.contains(&e.file_name().to_string_lossy().as_ref())
                        || e.path().join("pyvenv.cfg").exists()))
            })
            .build();
        for entry in walker {
            match entry {
                Ok(e) if e.file_type().is_some_and(|t| t.is_file()) && is_python(e.path()) => {
                    files.push(e.into_path())
                }
                Ok(_) => {}
                Err(err) => errors.push(err.to_string()),
            }
        }
    }
    files.sort();
    files.dedup();
    (files, errors)
}

/// A Python source or stub file, by extension.
pub fn is_python(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "py" || e == "pyi")
}
