//! End-to-end tests of the `dunderls` binary: output formats, exit codes,
//! fixes, suppression and configuration, on real files in temp folders.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn dunderls(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dunderls"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run dunderls")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn project(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, content) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    dir
}

const EQ_NO_HASH: &[u8] =
    b"class Key:\n    def __eq__(self, other):\n        return self.k == other.k\n";

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn bundled_examples_have_findings_and_exit_1() {
    let out = dunderls(
        &["check", "examples", "--output-format", "concise"],
        &repo_root(),
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains(
            "examples/shop/products.py:10:9: DUN401 [eq-without-hash] `Product` overrides `__eq__`"
        ),
        "cross-module base not seen:\n{text}"
    );
    // Bases from two other modules, one inheriting the other.
    assert!(
        text.contains("examples/shop/plugins/json_plugin.py:5:7: DUN607 [inconsistent-mro]")
            && text.contains("for bases Plugin, ExportMixin`"),
        "cross-module MRO conflict not seen:\n{text}"
    );
    // Slots and ABC methods counted through a base in another module.
    for expected in [
        "examples/shop/geometry/labelled.py:10:9: DUN111 [assign-non-slot]",
        "examples/shop/store/memory.py:4:7: DUN202 [abc-abstract-missing]",
        "examples/shop/plugins/csv_plugin.py:4:25: DUN603 [class-keyword-not-accepted]",
        "examples/shop/plugins/base.py:14:9: DUN704 [enter-returns-none]",
    ] {
        assert!(text.contains(expected), "missing {expected}:\n{text}");
    }
}

#[test]
fn clean_code_exits_0_and_full_output_shows_a_snippet() {
    let dir = project(&[(
        "ok.py",
        b"class A:\n    def __len__(self):\n        return 0\n",
    )]);
    let out = dunderls(&["check", "."], dir.path());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(stdout(&out).contains("All checks passed"));

    let dir = project(&[("k.py", EQ_NO_HASH)]);
    let out = dunderls(&["check"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("k.py:2:9: DUN401 [eq-without-hash]"),
        "{text}"
    );
    assert!(text.contains("2 |     def __eq__(self, other):"), "{text}");
    assert!(text.contains("  |         ^^^^^^ warning"), "{text}");
}

#[test]
fn json_output_has_rusts_ruff_shape() {
    let dir = project(&[("k.py", EQ_NO_HASH)]);
    let out = dunderls(&["check", "--output-format", "json", "k.py"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let item = &v.as_array().unwrap()[0];
    assert_eq!(item["code"], "DUN401");
    assert_eq!(item["name"], "eq-without-hash");
    assert_eq!(item["severity"], "warning");
    assert_eq!(item["filename"], "k.py");
    assert_eq!(item["location"], serde_json::json!({"row": 2, "column": 9}));
    assert_eq!(
        item["end_location"],
        serde_json::json!({"row": 2, "column": 15})
    );
    assert_eq!(item["fix"]["applicability"], "unsafe");
    assert!(item["fix"]["edits"][0]["content"]
        .as_str()
        .unwrap()
        .contains("def __hash__(self):"));
    assert!(item["url"].as_str().unwrap().ends_with("/DUN401.md"));
}

#[test]
fn github_output_is_a_workflow_command() {
    let dir = project(&[("k.py", EQ_NO_HASH)]);
    let out = dunderls(&["check", "--output-format", "github", "k.py"], dir.path());
    let text = stdout(&out);
    assert!(
        text.starts_with("::warning title=dunderls (DUN401),file=k.py,line=2,col=9,endLine=2,endColumn=15::DUN401 [eq-without-hash]"),
        "{text}"
    );
}

#[test]
fn unreadable_files_are_reported_and_others_still_checked() {
    let dir = project(&[("bad.py", b"x = '\xff\xfe'\n"), ("k.py", EQ_NO_HASH)]);
    let out = dunderls(&["check", "--output-format", "concise", "."], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("bad.py: not valid UTF-8"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).contains("k.py:2:9: DUN401"));
    let out = dunderls(&["check", "missing.py"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("missing.py: no such file"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn select_ignore_and_bad_selectors() {
    let dir = project(&[("k.py", EQ_NO_HASH)]);
    let out = dunderls(&["check", "--ignore", "DUN4"], dir.path());
    assert_eq!(out.status.code(), Some(0));
    let out = dunderls(
        &[
            "check",
            "--ignore",
            "DUN4",
            "--extend-select",
            "eq-without-hash",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    let out = dunderls(&["check", "--select", "DUN999"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("DUN999"), "{}", stderr(&out));
}

#[test]
fn noqa_comments_suppress() {
    let src = b"# dunderls: noqa: DUN999X\nclass A:\n    def __eq__(self, o):  # noqa: DUN401\n        return True\nclass B:\n    def __eq__(self, o):  # noqa: PLW1641\n        return True\nclass C:\n    def __eq__(self, o):  # noqa\n        return True\nclass D:\n    def __eq__(self, o):  # noqa: DUN402\n        return True\n";
    let dir = project(&[("n.py", src)]);
    let out = dunderls(&["check", "--output-format", "concise"], dir.path());
    let text = stdout(&out);
    assert!(text.contains("n.py:12:9: DUN401"), "{text}");
    assert_eq!(text.matches("DUN401").count(), 1, "{text}");
    let dir = project(&[(
        "f.py",
        b"# dunderls: noqa: DUN401\nclass A:\n    def __eq__(self, o):\n        return True\n",
    )]);
    assert_eq!(dunderls(&["check"], dir.path()).status.code(), Some(0));
}

#[test]
fn config_is_found_walking_up_and_cli_flags_win() {
    let dir = project(&[
        ("pyproject.toml", b"[tool.dunderls]\nignore = [\"DUN401\"]\n[tool.dunderls.per-file-ignores]\n\"legacy/*.py\" = [\"DUN4\"]\n"),
        ("pkg/k.py", EQ_NO_HASH),
    ]);
    assert_eq!(
        dunderls(&["check", "pkg"], dir.path()).status.code(),
        Some(0)
    );
    let out = dunderls(
        &[
            "check",
            "pkg",
            "--ignore",
            "DUN4",
            "--extend-select",
            "DUN401",
        ],
        dir.path(),
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "CLI ignore replaces the file's ignore list"
    );
    let dir = project(&[
        (
            "pyproject.toml",
            b"[tool.dunderls.per-file-ignores]\n\"legacy/*.py\" = [\"DUN4\"]\n",
        ),
        ("legacy/k.py", EQ_NO_HASH),
        ("new/k.py", EQ_NO_HASH),
    ]);
    let out = dunderls(&["check", "--output-format", "concise"], dir.path());
    assert!(!stdout(&out).contains("legacy"), "{}", stdout(&out));
    assert!(stdout(&out).contains("new/k.py"));
}

#[test]
fn invalid_config_names_file_and_key() {
    let dir = project(&[
        ("pyproject.toml", b"[tool.dunderls]\nselect = \"DUN4\"\n"),
        ("k.py", EQ_NO_HASH),
    ]);
    let out = dunderls(&["check"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("pyproject.toml")
            && err.contains("select")
            && err.contains("expected a sequence"),
        "{err}"
    );
    assert_eq!(
        err.matches("invalid configuration").count(),
        1,
        "reported once: {err}"
    );
}

#[test]
fn fix_writes_only_changed_files_keeps_crlf_and_skips_syntax_errors() {
    let crlf =
        b"class Key:\r\n    def __eq__(self, other):\r\n        return self.k == other.k\r\n";
    let broken =
        b"class Key:\n    def __eq__(self, other):\n        return self.k == other.k\ndef oops(:\n";
    let dir = project(&[
        ("crlf.py", crlf),
        ("broken.py", broken),
        ("clean.py", b"x = 1\n"),
    ]);
    let clean_before = std::fs::metadata(dir.path().join("clean.py"))
        .unwrap()
        .modified()
        .unwrap();
    // Safe fixes only: DUN401's fix is unsafe, so nothing changes.
    let out = dunderls(&["check", "--fix", "."], dir.path());
    assert!(
        stdout(&out).contains("Fixed 0 findings"),
        "{}",
        stdout(&out)
    );
    assert_eq!(std::fs::read(dir.path().join("crlf.py")).unwrap(), crlf);
    let out = dunderls(&["check", "--fix", "--unsafe-fixes", "."], dir.path());
    // The file with a syntax error keeps its finding and its bytes.
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(stdout(&out).contains("broken.py:2:9: DUN401"));
    assert!(!stdout(&out).contains("crlf.py:"), "{}", stdout(&out));
    let fixed = std::fs::read_to_string(dir.path().join("crlf.py")).unwrap();
    assert!(
        fixed.contains("\r\n    def __hash__(self):\r\n        return hash((self.k,))"),
        "{fixed:?}"
    );
    assert!(
        !fixed.replace("\r\n", "").contains('\n'),
        "mixed line endings: {fixed:?}"
    );
    assert_eq!(std::fs::read(dir.path().join("broken.py")).unwrap(), broken);
    assert_eq!(
        std::fs::metadata(dir.path().join("clean.py"))
            .unwrap()
            .modified()
            .unwrap(),
        clean_before
    );
}

#[test]
fn statistics_rules_and_explain() {
    let dir = project(&[("k.py", EQ_NO_HASH), ("j.py", EQ_NO_HASH)]);
    let out = dunderls(&["check", "--statistics"], dir.path());
    assert!(
        stdout(&out).contains("    2  DUN401  [ ] eq-without-hash"),
        "{}",
        stdout(&out)
    );

    let out = dunderls(&["rules", "--output-format", "json"], dir.path());
    let rules: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(rules
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["code"] == "DUN401" && r["name"] == "eq-without-hash"));

    for key in ["DUN401", "dun401", "eq-without-hash"] {
        let out = dunderls(&["explain", key], dir.path());
        assert_eq!(out.status.code(), Some(0));
        assert!(
            stdout(&out).contains("## Why is this a problem"),
            "{}",
            stdout(&out)
        );
    }
    let out = dunderls(&["explain", "DUN000"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not a dunderls rule"));
}

#[test]
fn gitignored_and_virtualenv_files_are_skipped() {
    let dir = project(&[
        (".gitignore", b"generated/\n"),
        ("generated/k.py", EQ_NO_HASH),
        (".venv/lib/k.py", EQ_NO_HASH),
        ("env2/pyvenv.cfg", b"home = /usr\n"),
        ("env2/lib/k.py", EQ_NO_HASH),
        ("src/k.py", EQ_NO_HASH),
    ]);
    let out = dunderls(&["check", "--output-format", "concise"], dir.path());
    let text = stdout(&out);
    assert!(text.contains("src/k.py"), "{text}");
    assert_eq!(text.matches("DUN401").count(), 1, "{text}");
}
