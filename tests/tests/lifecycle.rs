//! initialize / shutdown / exit, and the JSON-RPC error codes.

use std::time::Duration;

use dunderls_e2e::{capabilities, pull_capabilities, Server, TIMEOUT};
use serde_json::{json, Value};

#[test]
fn negotiates_utf8_when_offered_else_utf16() {
    let mut s = Server::start();
    let result = s.initialize(capabilities(&["utf-16", "utf-8"]), Value::Null);
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-8");
    assert_eq!(result["serverInfo"]["name"], "dunderls");
    assert_eq!(
        result["capabilities"]["textDocumentSync"]["change"], 2,
        "incremental sync"
    );
    let kinds = &result["capabilities"]["codeActionProvider"]["codeActionKinds"];
    assert_eq!(kinds, &json!(["quickfix", "source.fixAll.dunderls"]));
    assert!(result["capabilities"]["hoverProvider"]
        .as_bool()
        .unwrap_or(false));
    assert!(result["capabilities"]["completionProvider"].is_object());
    assert!(
        result["capabilities"].get("diagnosticProvider").is_none(),
        "no pull support declared: push"
    );
    assert!(s.shutdown_and_exit().success());

    let mut s = Server::start();
    let result = s.initialize(json!({}), Value::Null);
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(s.shutdown_and_exit().code(), Some(0));
}

#[test]
fn pull_capability_when_the_client_pulls() {
    let mut s = Server::start();
    let result = s.initialize(pull_capabilities(&["utf-16"]), Value::Null);
    assert_eq!(
        result["capabilities"]["diagnosticProvider"]["identifier"],
        "dunderls"
    );
    assert_eq!(
        result["capabilities"]["diagnosticProvider"]["interFileDependencies"],
        true
    );
    assert_eq!(s.shutdown_and_exit().code(), Some(0));
    // A client that pulls but cannot be asked to pull again gets pushed
    // diagnostics (they also change when other files do).
    let mut s = Server::start();
    let mut caps = capabilities(&["utf-16"]);
    caps["textDocument"]["diagnostic"] = json!({"dynamicRegistration": false});
    let result = s.initialize(caps, Value::Null);
    assert!(
        result["capabilities"].get("diagnosticProvider").is_none(),
        "{result}"
    );
    s.open(
        "file:///pushed.py",
        "class A:\n    def __eq__(self, o):\n        return True\n",
    );
    assert!(s.published("file:///pushed.py", 1).is_array());
    assert_eq!(s.shutdown_and_exit().code(), Some(0));
}

#[test]
fn exit_without_shutdown_is_exit_code_1() {
    let mut s = Server::start();
    s.initialize(json!({}), Value::Null);
    s.notify("exit", Value::Null);
    let status = s.wait_exit(TIMEOUT).expect("exits");
    assert_eq!(status.code(), Some(1));
    // Closing stdin without exit also ends the server.
    let mut s = Server::start();
    s.initialize(json!({}), Value::Null);
    s.close_stdin();
    let status = s.wait_exit(TIMEOUT).expect("exits at end of input");
    assert_eq!(status.code(), Some(1));
}

#[test]
fn error_codes_follow_the_spec() {
    let mut s = Server::start();
    // Before initialize: ServerNotInitialized.
    let e = s.request_error(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///x.py"}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(e["code"], -32002, "{e}");
    s.initialize(capabilities(&["utf-16"]), Value::Null);
    // A second initialize: InvalidRequest.
    let e = s.request_error("initialize", json!({"capabilities": {}}));
    assert_eq!(e["code"], -32600, "{e}");
    // Unknown method: MethodNotFound.
    let e = s.request_error("textDocument/nonsense", json!({}));
    assert_eq!(e["code"], -32601, "{e}");
    // Malformed params: InvalidParams.
    let e = s.request_error("textDocument/hover", json!({"textDocument": 42}));
    assert_eq!(e["code"], -32602, "{e}");
    let e = s.request_error("textDocument/completion", json!("not an object"));
    assert_eq!(e["code"], -32602, "{e}");
    // Unknown notifications ($/ or not) are ignored; the server still answers.
    s.notify("$/unknownThing", json!({}));
    s.notify("custom/whatever", json!({"a": 1}));
    s.notify("textDocument/didChange", json!({"bogus": true}));
    let r = s.request(
        "dunderls/documentText",
        json!({"textDocument": {"uri": "file:///none.py"}}),
    );
    assert_eq!(r, Value::Null);
    // After shutdown: InvalidRequest.
    assert_eq!(s.request("shutdown", Value::Null), Value::Null);
    let e = s.request_error(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///x.py"}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(e["code"], -32600, "{e}");
    s.notify("exit", Value::Null);
    assert_eq!(s.wait_exit(TIMEOUT).and_then(|st| st.code()), Some(0));
}

#[test]
fn cancel_request_is_honoured() {
    let mut s = Server::start();
    s.initialize(capabilities(&["utf-16"]), Value::Null);
    // A big document makes the exact check (which hover waits for) slow.
    let text = dunderls_e2e::many_classes(60_000);
    let uri = "file:///big_cancel.py";
    s.open(uri, &text);
    let id = s.send_request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 5, "character": 8}}),
    );
    s.notify("$/cancelRequest", json!({"id": id}));
    let response = s.response(id);
    // Either cancelled (-32800) or, if the server was faster than the
    // cancellation, a normal answer: never a hang or a crash.
    if let Some(e) = response.get("error") {
        assert_eq!(e["code"], -32800, "{response}");
    }
    assert!(s.is_running());
    // The server keeps working.
    let r = s.document_text(uri);
    assert_eq!(r["version"], 1);
    std::thread::sleep(Duration::from_millis(10));
    assert_eq!(s.shutdown_and_exit().code(), Some(0));
}
