//! Documents: incremental edits (multi-byte, CRLF), pushed and pulled
//! diagnostics equal to the CLI's findings on the same final text, version
//! ordering of publications.

use dunderls_e2e::{
    capabilities, expected_diagnostics, pull_capabilities, summarize, Server, TextModel,
};
use dunderls_python::PositionEncoding;
use serde_json::{json, Value};

const START: &str = "import functools\r\n\r\nclass Money:\r\n    \"\"\"Montant en €, 中文 😀.\"\"\"\r\n\r\n    def __init__(self, amount):\r\n        self.amount = amount\r\n\r\n    def __eq__(self, other):\r\n        return self.amount == other.amount\r\n";

/// A fixed sequence of edits through the UTF-16 or UTF-8 position model.
fn edit_session(enc: PositionEncoding, encodings: &[&str]) {
    let mut s = Server::start();
    let init = s.initialize(capabilities(encodings), Value::Null);
    let expected_enc = if enc == PositionEncoding::Utf8 {
        "utf-8"
    } else {
        "utf-16"
    };
    assert_eq!(init["capabilities"]["positionEncoding"], expected_enc);
    let uri = "file:///money.py";
    s.open(uri, START);
    let mut model = TextModel::new(START, enc);
    let first = s.published(uri, 1);
    assert_eq!(summarize(&first), expected_diagnostics(&model.text, enc));
    assert_eq!(first.as_array().map(Vec::len), Some(1));
    let d = &first[0];
    assert_eq!(d["code"], "DUN401");
    assert_eq!(d["source"], "dunderls");
    assert_eq!(d["severity"], 2);
    assert!(
        d["codeDescription"]["href"]
            .as_str()
            .is_some_and(|h| h.ends_with("DUN401.md")),
        "{d}"
    );
    assert_eq!(d["data"]["code"], "DUN401");

    let mut version = 1;
    let mut edit =
        |s: &mut Server, model: &mut TextModel, start: usize, end: usize, insert: &str| {
            version += 1;
            let change = model.edit(start, end, insert);
            s.change(uri, version, json!([change]));
            version
        };
    // Type after the emoji (UTF-16: a surrogate pair before the cursor).
    let after_emoji = model
        .text
        .find('😀')
        .map(|i| i + '😀'.len_utf8())
        .unwrap_or(0);
    edit(&mut s, &mut model, after_emoji, after_emoji, " ünïcødé 👍🏽");
    // Replace "中文" with "日本語".
    let zh = model.text.find("中文").unwrap_or(0);
    edit(&mut s, &mut model, zh, zh + "中文".len(), "日本語");
    // Add a class with CRLF line ends after the first class.
    let end = model.text.len();
    edit(&mut s, &mut model, end, end, "\r\n\r\nclass Key:\r\n    def __eq__(self, o):\r\n        return True\r\n    __hash__ = None\r\n");
    // Delete across a CRLF line break, then re-insert it.
    let at = model.text.find("    def __init__").unwrap_or(0);
    edit(&mut s, &mut model, at - 2, at, "");
    let v = edit(&mut s, &mut model, at - 2, at - 2, "\r\n");
    let text = s.document_text(uri);
    assert_eq!(text["text"].as_str(), Some(model.text.as_str()));
    assert_eq!(text["version"], v);
    let pushed = s.published(uri, v as i64);
    assert_eq!(summarize(&pushed), expected_diagnostics(&model.text, enc));
    // Rename __eq__ to __eqx__ in Money: a pure token edit.
    let eq = model.text.find("def __eq__").map(|i| i + 4).unwrap_or(0);
    let v = edit(&mut s, &mut model, eq, eq + 6, "__eqx__");
    let pushed = s.published(uri, v as i64);
    // The token edit is re-checked: DUN401 on `__eq__` is gone.
    assert!(!pushed.to_string().contains("DUN401"), "{pushed}");
    assert_eq!(summarize(&pushed), expected_diagnostics(&model.text, enc));
    assert_eq!(s.shutdown_and_exit().code(), Some(0));
}

#[test]
fn incremental_edits_utf16() {
    edit_session(PositionEncoding::Utf16, &["utf-16"]);
}

#[test]
fn incremental_edits_utf8() {
    edit_session(PositionEncoding::Utf8, &["utf-8", "utf-16"]);
}

#[test]
fn several_changes_in_one_notification_apply_in_order() {
    let mut s = Server::start();
    s.initialize(capabilities(&["utf-16"]), Value::Null);
    let uri = "file:///multi.py";
    s.open(uri, "a = 1\n");
    let mut model = TextModel::new("a = 1\n", PositionEncoding::Utf16);
    let c1 = model.edit(
        6,
        6,
        "class K:\n    def __eq__(self, o):\n        return 1\n",
    );
    let c2 = model.edit(0, 1, "b");
    let c3 = model.edit(model.text.len(), model.text.len(), "# é\r\n");
    s.change(uri, 2, json!([c1, c2, c3]));
    let text = s.document_text(uri);
    assert_eq!(text["text"].as_str(), Some(model.text.as_str()));
    let pushed = s.published(uri, 2);
    assert_eq!(
        summarize(&pushed),
        expected_diagnostics(&model.text, PositionEncoding::Utf16)
    );
    // Full-text sync (no range) works too.
    s.change(uri, 3, json!([{"text": "x = 2\n"}]));
    assert_eq!(s.document_text(uri)["text"], "x = 2\n");
    assert!(s.published(uri, 3).as_array().is_some_and(Vec::is_empty));
    assert_eq!(s.shutdown_and_exit().code(), Some(0));
}

#[test]
fn a_burst_of_edits_ends_with_the_latest_version_and_never_goes_back() {
    let mut s = Server::start();
    s.initialize(capabilities(&["utf-16"]), Value::Null);
    let uri = "file:///burst.py";
    let start = dunderls_e2e::many_classes(2_000);
    s.open(uri, &start);
    let mut model = TextModel::new(&start, PositionEncoding::Utf16);
    s.published(uri, 1);
    let at = model.text.find("total = 0").map(|i| i + 8).unwrap_or(0);
    let mut version = 1;
    let mut burst = Vec::new();
    for i in 0..60 {
        version += 1;
        let change = if i % 2 == 0 {
            model.edit(at, at, "7")
        } else {
            model.edit(at, at + 1, "")
        };
        burst.push(json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}}));
    }
    s.send_batch(&burst);
    let last = s.published(uri, version as i64);
    assert_eq!(
        summarize(&last),
        expected_diagnostics(&model.text, PositionEncoding::Utf16)
    );
    // Versions of the publications for this document never decrease.
    let versions: Vec<i64> = s
        .log
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri)
        .filter_map(|m| m["params"]["version"].as_i64())
        .collect();
    assert!(versions.windows(2).all(|w| w[0] <= w[1]), "{versions:?}");
    assert!(
        versions.len() < 40,
        "a burst is coalesced: {} publications for 61 versions",
        versions.len()
    );
    assert_eq!(s.shutdown_and_exit().code(), Some(0));
}

#[test]
fn pulled_diagnostics_when_the_client_pulls_and_no_push() {
    let mut s = Server::start();
    s.initialize(pull_capabilities(&["utf-16"]), Value::Null);
    let uri = "file:///pulled.py";
    s.open(uri, START);
    let mut model = TextModel::new(START, PositionEncoding::Utf16);
    let items = s.pull(uri);
    assert_eq!(
        summarize(&items),
        expected_diagnostics(&model.text, PositionEncoding::Utf16)
    );
    let at = model.text.find("        return self.amount").unwrap_or(0);
    let change = model.edit(at, at, "        x = 'é😀'\r\n");
    s.change(uri, 2, json!([change]));
    let report = s.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(report["kind"], "full");
    assert_eq!(
        summarize(&report["items"]),
        expected_diagnostics(&model.text, PositionEncoding::Utf16)
    );
    // Same state again: unchanged.
    let id = report["resultId"].clone();
    let again = s.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}, "previousResultId": id}),
    );
    assert_eq!(again["kind"], "unchanged", "{again}");
    // Nothing was pushed.
    assert!(
        !s.log
            .iter()
            .chain(s.inbox.iter())
            .any(|m| m["method"] == "textDocument/publishDiagnostics"),
        "a pulling client gets no pushed diagnostics"
    );
    assert_eq!(s.shutdown_and_exit().code(), Some(0));
}

#[test]
fn closing_clears_diagnostics() {
    let mut s = Server::start();
    s.initialize(capabilities(&["utf-16"]), Value::Null);
    let uri = "file:///closing.py";
    s.open(uri, START);
    assert_eq!(s.published(uri, 1).as_array().map(Vec::len), Some(1));
    s.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    let cleared = s
        .wait_for(dunderls_e2e::TIMEOUT, |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["diagnostics"] == json!([])
        })
        .expect("cleared");
    assert!(cleared["params"].get("version").is_none_or(Value::is_null));
    assert_eq!(s.document_text(uri), Value::Null);
    assert_eq!(s.shutdown_and_exit().code(), Some(0));
}
