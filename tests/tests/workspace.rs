//! The server's workspace index: built in the background with progress,
//! requests answered meanwhile, and findings that depend on other modules
//! refreshed when those change in the editor or on disk.

use std::path::Path;

use dunderls_e2e::{binary, capabilities, file_uri, Server, TIMEOUT};
use serde_json::{json, Value};

const BASE: &str = "class Entity:\n    def __hash__(self):\n        return 1\n\n\nclass Plugin:\n    def __init_subclass__(cls, **kwargs):\n        super().__init_subclass__()\n";
const BASE_NO_KWARGS: &str = "class Entity:\n    def __hash__(self):\n        return 1\n\n\nclass Plugin:\n    def __init_subclass__(cls):\n        super().__init_subclass__()\n";
const PRODUCTS: &str = "from app.base import Entity, Plugin\n\n\nclass Product(Entity):\n    def __eq__(self, other):\n        return NotImplemented\n\n\nclass CsvPlugin(Plugin, format=\"csv\"):\n    pass\n";

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = dir.path().join("app");
    std::fs::create_dir_all(&app).expect("mkdir");
    std::fs::write(app.join("__init__.py"), "").expect("write");
    std::fs::write(app.join("base.py"), BASE).expect("write");
    std::fs::write(app.join("products.py"), PRODUCTS).expect("write");
    dir
}

fn progress_capabilities() -> Value {
    let mut caps = capabilities(&["utf-16"]);
    caps["window"] = json!({"workDoneProgress": true});
    caps["workspace"]["didChangeWatchedFiles"] = json!({"dynamicRegistration": true});
    caps
}

fn is_progress(m: &Value, kind: &str) -> bool {
    m["method"] == "$/progress" && m["params"]["value"]["kind"] == kind
}

/// (code, message) of each diagnostic.
fn findings(diags: &Value) -> Vec<(String, String)> {
    diags
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                d["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// Wait for a publication for `uri` whose findings satisfy `want`.
fn wait_published(
    s: &mut Server,
    uri: &str,
    what: &str,
    want: impl Fn(&[(String, String)]) -> bool,
) -> Vec<(String, String)> {
    let found = s.wait_for(TIMEOUT, |m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri
            && want(&findings(&m["params"]["diagnostics"]))
    });
    match found {
        Some(m) => findings(&m["params"]["diagnostics"]),
        None => panic!(
            "no publication for {uri} where {what}; received: {:#?}\nstderr:\n{}",
            s.log
                .iter()
                .filter(|m| m["params"]["uri"] == uri)
                .map(|m| findings(&m["params"]["diagnostics"]))
                .collect::<Vec<_>>(),
            s.stderr()
        ),
    }
}

fn resolved_base(f: &[(String, String)]) -> bool {
    f.iter()
        .any(|(c, m)| c == "DUN401" && m.contains("inherited from `Entity`"))
}

fn has(f: &[(String, String)], code: &str) -> bool {
    f.iter().any(|(c, _)| c == code)
}

fn watched(s: &mut Server, path: &Path, kind: u32) {
    s.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(path), "type": kind}]}),
    );
}

#[test]
fn findings_follow_base_classes_in_other_modules() {
    let dir = project();
    let base_path = dir.path().join("app/base.py");
    let products = file_uri(&dir.path().join("app/products.py"));
    let base = file_uri(&base_path);
    let mut s = Server::start();
    s.initialize_in(dir.path(), progress_capabilities(), json!({}));
    // Progress: created by the server, begun, ended with a summary.
    s.wait_for(TIMEOUT, |m| m["method"] == "window/workDoneProgress/create")
        .expect("the server creates a progress token");
    s.wait_for(TIMEOUT, |m| is_progress(m, "begin"))
        .expect("progress begins");
    let end = s
        .wait_for(TIMEOUT, |m| is_progress(m, "end"))
        .expect("progress ends");
    let summary = end["params"]["value"]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(
        summary.contains("indexed 3 modules (4 classes) from 3 files"),
        "{summary}"
    );

    s.open(&products, PRODUCTS);
    let f = wait_published(&mut s, &products, "the base is resolved", |f| {
        resolved_base(f) && !has(f, "DUN603")
    });
    assert_eq!(f.len(), 1, "{f:?}");
    // The protocol card resolves the base too.
    let hover = s.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": products}, "position": {"line": 3, "character": 8}}),
    );
    let card = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(!card.to_lowercase().contains("unresolved base"), "{card}");

    // Editing the base in the editor (unsaved) refreshes the subclass.
    s.open(&base, BASE);
    s.inbox.clear();
    s.change(&base, 2, json!([{"text": BASE_NO_KWARGS}]));
    wait_published(&mut s, &products, "DUN603 appears", |f| has(f, "DUN603"));

    // Closing the base without saving: back to the file on disk.
    s.inbox.clear();
    s.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": base}}),
    );
    wait_published(&mut s, &products, "DUN603 is gone", |f| {
        !has(f, "DUN603") && resolved_base(f)
    });

    // Changed on disk by another program.
    s.inbox.clear();
    std::fs::write(&base_path, BASE_NO_KWARGS).expect("write");
    watched(&mut s, &base_path, 2);
    wait_published(&mut s, &products, "DUN603 after the disk change", |f| {
        has(f, "DUN603")
    });

    // Deleted: the base no longer resolves, the rules that need it fall
    // silent and DUN401 no longer names it.
    s.inbox.clear();
    std::fs::remove_file(&base_path).expect("remove");
    watched(&mut s, &base_path, 3);
    let f = wait_published(&mut s, &products, "the base is unresolved", |f| {
        !has(f, "DUN603") && has(f, "DUN401") && !resolved_base(f)
    });
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(s.shutdown_and_exit().success());
}

#[test]
fn requests_are_answered_while_the_workspace_is_indexed() {
    let dir = project();
    let products = file_uri(&dir.path().join("app/products.py"));
    let mut s = Server::start_with(
        &binary("debug"),
        &[
            ("DUNDERLS_FAULT_INJECTION", "1"),
            ("DUNDERLS_TEST_INDEX_DELAY_MS", "6000"),
        ],
    );
    let mut caps = progress_capabilities();
    caps["textDocument"]["diagnostic"] = json!({"dynamicRegistration": false});
    caps["workspace"]["diagnostics"] = json!({"refreshSupport": true});
    s.initialize_in(dir.path(), caps, json!({}));
    s.open(&products, PRODUCTS);
    let first = s.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": products}}),
    );
    let pulled = findings(&first["items"]);
    let hover = s.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": products}, "position": {"line": 3, "character": 8}}),
    );
    assert!(hover["contents"]["value"]
        .as_str()
        .is_some_and(|v| v.contains("Product")));
    assert!(
        !s.log.iter().any(|m| is_progress(m, "end")),
        "indexing had already ended"
    );
    // Before the index: the base is unknown.
    assert!(
        has(&pulled, "DUN401") && !resolved_base(&pulled),
        "{pulled:?}"
    );
    // After it, the server asks the client to pull again.
    s.wait_for(TIMEOUT, |m| is_progress(m, "end"))
        .expect("indexing ends");
    s.wait_for(TIMEOUT, |m| m["method"] == "workspace/diagnostic/refresh")
        .expect("a refresh request");
    // Same text, other findings: the previous result id is not "unchanged".
    let report = s.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": products}, "previousResultId": first["resultId"]}),
    );
    assert_eq!(report["kind"], "full", "{report}");
    let pulled = findings(&report["items"]);
    assert!(
        resolved_base(&pulled) && has(&pulled, "DUN401"),
        "{pulled:?}"
    );
    let again = s.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": products}, "previousResultId": report["resultId"]}),
    );
    assert_eq!(again["kind"], "unchanged", "{again}");
    assert!(s.shutdown_and_exit().success());
}
