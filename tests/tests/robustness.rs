//! Bad input never kills the server, corrupts a document, or makes it
//! allocate without bound; deep nesting and huge files are checked.

use std::time::Duration;

use dunderls_e2e::{
    binary, capabilities, expected_diagnostics, summarize, Server, TextModel, TIMEOUT,
};
use dunderls_python::PositionEncoding;
use serde_json::{json, Value};

fn alive(s: &mut Server) {
    let r = s.request(
        "dunderls/documentText",
        json!({"textDocument": {"uri": "file:///nothing.py"}}),
    );
    assert_eq!(r, Value::Null);
}

fn error_reply(s: &mut Server, code: i64) -> Value {
    s.wait_for(TIMEOUT, |m| {
        m["error"]["code"] == code && m.get("method").is_none()
    })
    .unwrap_or_else(|| panic!("no error {code} reply; stderr:\n{}", s.stderr()))
}

#[test]
fn malformed_framing_is_answered_and_survived() {
    let mut s = Server::start();
    s.initialize(capabilities(&["utf-16"]), Value::Null);
    // Invalid JSON.
    s.send_raw(b"Content-Length: 9\r\n\r\n{not json");
    let e = error_reply(&mut s, -32700);
    assert_eq!(e["id"], Value::Null);
    alive(&mut s);
    // Valid JSON, not a JSON-RPC message: Invalid Request with its id.
    let body = br#"{"id": 77, "hello": "world"}"#;
    s.send_raw(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
    s.send_raw(body);
    let e = error_reply(&mut s, -32600);
    assert_eq!(e["id"], 77);
    alive(&mut s);
    // Invalid UTF-8 in the body.
    s.send_raw(b"Content-Length: 6\r\n\r\n\"\xff\xfe\xfd\"x");
    error_reply(&mut s, -32700);
    alive(&mut s);
    // Garbage without a header, then a header that is not a number.
    s.send_raw(b"hello there\r\n\r\n");
    error_reply(&mut s, -32700);
    alive(&mut s);
    s.send_raw(b"Content-Length: -5\r\n\r\n");
    error_reply(&mut s, -32700);
    alive(&mut s);
    // Deeply nested JSON (serde_json's recursion limit) is a parse error.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    s.send_raw(format!("Content-Length: {}\r\n\r\n{deep}", deep.len()).as_bytes());
    error_reply(&mut s, -32700);
    alive(&mut s);
    // More headers than tower-lsp's codec takes (it accepts two).
    let body = br#"{"jsonrpc":"2.0","id":900,"method":"dunderls/documentText","params":{"textDocument":{"uri":"file:///n.py"}}}"#;
    s.send_raw(
        format!(
            "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nX-One: 1\r\nX-Two: 2\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )
        .as_bytes(),
    );
    s.send_raw(body);
    assert_eq!(s.response(900)["result"], Value::Null);
    // A Content-Length that is too large swallows the next header: both
    // are recovered.
    let body = br#"{"jsonrpc":"2.0","id":901,"method":"shutdown"}"#;
    s.send_raw(format!("Content-Length: {}\r\n\r\n", body.len() + 30).as_bytes());
    s.send_raw(body);
    alive(&mut s);
    assert!(s.is_running());
    assert_eq!(s.shutdown_and_exit().code(), Some(0));
}

#[test]
fn absurd_content_length_does_not_allocate_or_hang() {
    let mut s = Server::start();
    s.initialize(capabilities(&["utf-16"]), Value::Null);
    let before = s.rss_bytes().unwrap_or(0);
    s.send_raw(b"Content-Length: 2000000000\r\n\r\n");
    let e = error_reply(&mut s, -32700);
    assert!(
        e["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("exceeds the limit")),
        "{e}"
    );
    let log = s
        .wait_for(TIMEOUT, |m| {
            m["method"] == "window/logMessage"
                && m["params"]["message"]
                    .as_str()
                    .is_some_and(|t| t.contains("2000000000"))
        })
        .expect("the rejection is logged for the user");
    assert_eq!(log["params"]["type"], 1);
    // The next message is served normally.
    alive(&mut s);
    let after = s.rss_bytes().unwrap_or(0);
    assert!(
        after < before + (64 << 20),
        "RSS grew from {before} to {after}"
    );
    // Also with a body that follows: the filter resynchronises at the next header.
    s.send_raw(b"Content-Length: 99999999999999999999\r\n\r\n{\"jsonrpc\":\"2.0\"}");
    error_reply(&mut s, -32700);
    alive(&mut s);
    assert_eq!(s.shutdown_and_exit().code(), Some(0));
}

#[test]
fn odd_changes_are_handled_without_corruption() {
    let mut s = Server::start();
    s.initialize(capabilities(&["utf-16"]), Value::Null);
    // A change to a document that is not open: ignored, logged.
    s.change("file:///ghost.py", 2, json!([{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "x"}]));
    s.wait_for(TIMEOUT, |m| {
        m["method"] == "window/logMessage"
            && m["params"]["message"]
                .as_str()
                .is_some_and(|t| t.contains("not open"))
    })
    .expect("logged");
    let uri = "file:///odd.py";
    let text = "a = '😀'\nb = 2\n";
    s.open(uri, text);
    s.published(uri, 1);
    let range = |l0: u32, c0: u32, l1: u32, c1: u32| json!({"start": {"line": l0, "character": c0}, "end": {"line": l1, "character": c1}});
    // Past the end of a line and of the document: clamped.
    s.change(
        uri,
        2,
        json!([{"range": range(0, 99, 0, 120), "text": "#1"}]),
    );
    assert_eq!(s.document_text(uri)["text"], "a = '😀'#1\nb = 2\n");
    s.change(
        uri,
        3,
        json!([{"range": range(50, 0, 60, 3), "text": "c = 3\n"}]),
    );
    assert_eq!(s.document_text(uri)["text"], "a = '😀'#1\nb = 2\nc = 3\n");
    // End before start: treated as the reversed range.
    s.change(
        uri,
        4,
        json!([{"range": range(1, 5, 1, 0), "text": "B = 22"}]),
    );
    assert_eq!(s.document_text(uri)["text"], "a = '😀'#1\nB = 22\nc = 3\n");
    // Inside the surrogate pair (UTF-16 column 6 is the emoji's middle):
    // snaps to the emoji's start.
    s.change(uri, 5, json!([{"range": range(0, 6, 0, 6), "text": "x"}]));
    assert_eq!(s.document_text(uri)["text"], "a = 'x😀'#1\nB = 22\nc = 3\n");
    // Version going backwards: applied (the client's order wins), logged.
    s.change(uri, 1, json!([{"range": range(2, 0, 2, 1), "text": "C"}]));
    let t = s.document_text(uri);
    assert_eq!(t["text"], "a = 'x😀'#1\nB = 22\nC = 3\n");
    assert_eq!(t["version"], 1);
    // Negative and huge numbers in positions are malformed params: the
    // notification is dropped, the document untouched.
    s.change(uri, 7, json!([{"range": range(0, 0, 0, 0), "text": "ok"}]));
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 8}, "contentChanges": [{"range": {"start": {"line": -1, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "bad"}]}),
    );
    let t = s.document_text(uri);
    assert_eq!(t["text"], "oka = 'x😀'#1\nB = 22\nC = 3\n");
    let final_text = t["text"].as_str().unwrap_or("").to_string();
    let pushed = s.published(uri, 7);
    assert_eq!(
        summarize(&pushed),
        expected_diagnostics(&final_text, PositionEncoding::Utf16)
    );
    assert_eq!(s.shutdown_and_exit().code(), Some(0));
}

fn nested(depth: usize, open: &str, close: &str, inner: &str) -> String {
    format!("{}{}{}", open.repeat(depth), inner, close.repeat(depth))
}

#[test]
fn pathological_nesting_is_checked_without_stack_overflow() {
    let mut s = Server::start();
    s.initialize(capabilities(&["utf-16"]), Value::Null);
    let mut ifs = String::new();
    for i in 0..2_000 {
        ifs.push_str(&" ".repeat(i));
        ifs.push_str("if x:\n");
    }
    ifs.push_str(&" ".repeat(2_000));
    ifs.push_str("pass\n");
    let long_expr = format!(
        "y = {}\n",
        (0..100_000)
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(" + ")
    );
    let chain = format!("z = a{}\n", ".b".repeat(50_000));
    let cases = [
        ("parens", format!("x = {}\n", nested(10_000, "(", ")", "1"))),
        ("lists", format!("x = {}\n", nested(10_000, "[", "]", ""))),
        ("unary", format!("x = {}1\n", "-".repeat(50_000))),
        ("not", format!("x = {}y\n", "not ".repeat(20_000))),
        ("calls", format!("x = {}\n", nested(5_000, "f(", ")", ""))),
        ("ifs", ifs),
        ("expr", long_expr),
        ("chain", chain),
        ("lambda", format!("x = {}0\n", "lambda: ".repeat(10_000))),
    ];
    let tail = "\nclass K:\n    def __eq__(self, o):\n        return True\n";
    for (i, (name, body)) in cases.iter().enumerate() {
        let uri = format!("file:///nest_{name}.py");
        let text = format!("{body}{tail}");
        s.open(&uri, &text);
        let d = s.published(&uri, 1);
        assert_eq!(
            summarize(&d),
            expected_diagnostics(&text, PositionEncoding::Utf16),
            "{name}"
        );
        // Hover over the class name and a code action work too.
        let model = TextModel::new(&text, PositionEncoding::Utf16);
        let at = text.rfind("class K").unwrap_or(0) + 6;
        let h = s.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": model.position(at)}),
        );
        assert!(
            h["contents"]["value"]
                .as_str()
                .is_some_and(|v| v.contains("Protocols")),
            "{name}: {h}"
        );
        assert!(
            s.is_running(),
            "case {i} {name} killed the server; stderr:\n{}",
            s.stderr()
        );
        s.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": uri}}),
        );
    }
    assert_eq!(s.shutdown_and_exit().code(), Some(0));
}

#[test]
fn a_ten_megabyte_document() {
    let mut s = Server::start_with(&dunderls_e2e::fastest_binary(), &[]);
    s.initialize(capabilities(&["utf-16"]), Value::Null);
    let text = dunderls_e2e::many_classes(430_000);
    assert!(text.len() > 10 << 20, "{}", text.len());
    let uri = "file:///huge.py";
    s.open(uri, &text);
    let mut model = TextModel::new(&text, PositionEncoding::Utf16);
    let d = s
        .wait_for(Duration::from_secs(600), |m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == 1
        })
        .expect("diagnostics for the 10 MB document");
    let n = d["params"]["diagnostics"].as_array().map_or(0, Vec::len);
    assert!(n > 1000, "{n} findings");
    // An edit near the end is still handled.
    let at = model.text.len() - 10;
    let change = model.edit(at, at, "# é\n");
    s.change(uri, 2, json!([change]));
    let t = s.document_text(uri);
    assert_eq!(t["text"].as_str().map(str::len), Some(model.text.len()));
    assert!(s.is_running());
    assert_eq!(s.shutdown_and_exit().code(), Some(0));
}

#[test]
fn panics_are_reported_and_survived() {
    let bin = binary("debug");
    let mut s = Server::start_with(&bin, &[("DUNDERLS_FAULT_INJECTION", "1")]);
    s.initialize(capabilities(&["utf-16"]), Value::Null);
    // A rule error: logged through window/logMessage, other findings published.
    let uri = "file:///rule_error.py";
    let text =
        "# dunderls-fault: rule-error\nclass K:\n    def __eq__(self, o):\n        return True\n";
    s.open(uri, text);
    let d = s.published(uri, 1);
    assert_eq!(
        summarize(&d),
        expected_diagnostics(text, PositionEncoding::Utf16)
    );
    let log = s
        .wait_for(TIMEOUT, |m| {
            m["method"] == "window/logMessage"
                && m["params"]["message"]
                    .as_str()
                    .is_some_and(|t| t.contains("panicked"))
        })
        .expect("the rule error is logged");
    assert_eq!(log["params"]["type"], 1);
    // A panic in the server's own analysis: logged, the server goes on.
    let uri2 = "file:///server_panic.py";
    s.open(uri2, "# dunderls-fault: server-panic\n");
    s.wait_for(TIMEOUT, |m| {
        m["method"] == "window/logMessage"
            && m["params"]["message"]
                .as_str()
                .is_some_and(|t| t.contains("internal error"))
    })
    .expect("the internal error is logged");
    // Hover on the panicking document answers (null), it does not hang.
    let h = s.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri2}, "position": {"line": 0, "character": 0}}),
    );
    assert!(h.is_null());
    alive(&mut s);
    assert_eq!(s.shutdown_and_exit().code(), Some(0));
}
