//! Hover (finding, special method, class, noqa code), code actions and
//! completion, through the real binary.

use dunderls_e2e::{capabilities, expected_diagnostics, Server, TextModel};
use dunderls_python::PositionEncoding;
use serde_json::{json, Value};

const SRC: &str = "class Money:\n    __slots__ = ('amount',)\n\n    def __init__(self, amount):\n        self.amount = amount\n\n    def __eq__(self, other):\n        return self.amount == other.amount\n\n    def total(self, xs):\n        return len(xs) + xs.__len__()  # noqa: DUN401, PLW1641\n";

fn hover(s: &mut Server, uri: &str, model: &TextModel, needle: &str, delta: usize) -> Value {
    let offset = model
        .text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} in text"))
        + delta;
    s.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": model.position(offset)}),
    )
}

fn value(h: &Value) -> &str {
    h["contents"]["value"].as_str().unwrap_or("")
}

#[test]
fn hover_kinds() {
    let mut s = Server::start();
    s.initialize(capabilities(&["utf-16"]), Value::Null);
    let uri = "file:///hover.py";
    s.open(uri, SRC);
    let model = TextModel::new(SRC, PositionEncoding::Utf16);
    // (a) over a finding: the rule's explanation and the message.
    let h = hover(&mut s, uri, &model, "__eq__", 3);
    assert_eq!(h["contents"]["kind"], "markdown");
    let v = value(&h);
    assert!(v.contains("**DUN401** `eq-without-hash`"), "{v}");
    assert!(
        v.contains("> `Money` defines `__eq__` without `__hash__`"),
        "{v}"
    );
    for section in [
        "## What it does",
        "## Why is this a problem",
        "## Scenario",
        "## Use instead",
        "## Fix",
    ] {
        assert!(v.contains(section), "missing {section}: {v}");
    }
    // ... plus what Python calls __eq__ for.
    assert!(v.contains("def __eq__(self, other: object) -> bool"), "{v}");
    assert_eq!(
        h["range"],
        model.range(
            model.text.find("__eq__").unwrap_or(0)..model.text.find("__eq__").unwrap_or(0) + 6
        )
    );
    // (b) over a special method name in an attribute access and __slots__.
    // (The wording comes from the data model; check the structure.)
    let h = hover(&mut s, uri, &model, "__len__()", 2);
    let v = value(&h);
    assert!(
        v.contains("def __len__(self") && v.contains("**Called for:**") && v.contains("](http"),
        "{v}"
    );
    let h = hover(&mut s, uri, &model, "__slots__", 1);
    assert!(value(&h).contains("__slots__"), "{}", value(&h));
    let h = hover(&mut s, uri, &model, "__init__", 1);
    assert!(value(&h).contains("def __init__(self"), "{}", value(&h));
    // (c) over a class name: the protocol card.
    let h = hover(&mut s, uri, &model, "Money", 2);
    let v = value(&h);
    assert!(v.contains("**Protocols**"), "{v}");
    assert!(
        v.contains("❌ **Hashable**: no. It defines `__eq__` without `__hash__`"),
        "{v}"
    );
    assert!(v.contains("`__slots__`"), "{v}");
    // A code in a noqa comment (and a peer alias).
    let h = hover(&mut s, uri, &model, "DUN401,", 2);
    assert!(
        value(&h).starts_with("**DUN401** `eq-without-hash`"),
        "{}",
        value(&h)
    );
    let h = hover(&mut s, uri, &model, "PLW1641", 2);
    assert!(value(&h).contains("eq-without-hash"));
    // Nothing interesting: null.
    let h = hover(&mut s, uri, &model, "return len", 2);
    assert_eq!(h, Value::Null);
    assert_eq!(s.shutdown_and_exit().code(), Some(0));
}

fn apply_action(model: &mut TextModel, action: &Value, uri: &str) {
    let changes = &action["edit"]["documentChanges"];
    assert!(changes.is_array(), "documentChanges expected: {action}");
    let edit = &changes[0];
    assert_eq!(edit["textDocument"]["uri"], uri);
    let edits: Vec<Value> = edit["edits"].as_array().cloned().unwrap_or_default();
    model.apply_lsp_edits(&edits);
}

#[test]
fn code_actions_fix_and_suppress() {
    let mut s = Server::start();
    s.initialize(capabilities(&["utf-16"]), Value::Null);
    let uri = "file:///actions.py";
    let src = "class Point:\n    def __init__(self, x, y):\n        self.x, self.y = x, y\n\n    def __eq__(self, other):  # a comment with é\n        return (self.x, self.y) == (other.x, other.y)\n";
    s.open(uri, src);
    let diags = s.published(uri, 1);
    assert_eq!(diags.as_array().map(Vec::len), Some(1));
    let model0 = TextModel::new(src, PositionEncoding::Utf16);
    let params = json!({
        "textDocument": {"uri": uri},
        "range": diags[0]["range"],
        "context": {"diagnostics": diags, "only": ["quickfix"]},
    });
    let actions = s.request("textDocument/codeAction", params.clone());
    let actions = actions.as_array().cloned().unwrap_or_default();
    let titles: Vec<&str> = actions.iter().filter_map(|a| a["title"].as_str()).collect();
    assert_eq!(titles.len(), 2, "{titles:?}");
    assert!(
        titles[0].starts_with("Fix DUN401: Add `__hash__` over the fields"),
        "{titles:?}"
    );
    assert_eq!(titles[1], "Suppress DUN401 with `# noqa: DUN401`");
    assert!(actions.iter().all(|a| a["kind"] == "quickfix"));
    assert!(
        actions[0].get("isPreferred").is_none_or(|p| p == false),
        "an unsafe fix is not preferred"
    );
    assert_eq!(actions[0]["diagnostics"][0]["code"], "DUN401");
    assert_eq!(
        actions[0]["edit"]["documentChanges"][0]["textDocument"]["version"],
        1
    );

    // Applying the fix removes the finding.
    let mut fixed = TextModel::new(src, PositionEncoding::Utf16);
    apply_action(&mut fixed, &actions[0], uri);
    assert!(
        fixed
            .text
            .contains("def __hash__(self):\n        return hash((self.x, self.y))"),
        "{}",
        fixed.text
    );
    assert!(
        expected_diagnostics(&fixed.text, PositionEncoding::Utf16).is_empty(),
        "{}",
        fixed.text
    );
    // Applying the suppression appends to the comment's line.
    let mut suppressed = TextModel::new(src, PositionEncoding::Utf16);
    apply_action(&mut suppressed, &actions[1], uri);
    assert!(
        suppressed
            .text
            .contains("def __eq__(self, other):  # a comment with é  # noqa: DUN401\n"),
        "{}",
        suppressed.text
    );
    assert!(expected_diagnostics(&suppressed.text, PositionEncoding::Utf16).is_empty());

    // Through the server: send the fixed text as an edit; no findings left.
    let change = json!({"range": model0.range(0..src.len()), "text": fixed.text});
    s.change(uri, 2, json!([change]));
    assert!(s.published(uri, 2).as_array().is_some_and(Vec::is_empty));

    // fixAll: DUN401's fix is unsafe, so there is nothing to apply.
    let mut params = params;
    params["context"]["only"] = json!(["source.fixAll"]);
    params["range"] =
        json!({"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}});
    let all = s.request("textDocument/codeAction", params);
    assert!(
        all.is_null() || all.as_array().is_some_and(Vec::is_empty),
        "{all}"
    );
    assert_eq!(s.shutdown_and_exit().code(), Some(0));
}

#[test]
fn suppress_appends_to_an_existing_noqa() {
    let mut s = Server::start();
    s.initialize(capabilities(&["utf-8", "utf-16"]), Value::Null);
    let uri = "file:///noqa.py";
    let src = "class A:\n    def __eq__(self, o):  # noqa: E501\n        return True\n";
    s.open(uri, src);
    let diags = s.published(uri, 1);
    let actions = s.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": diags[0]["range"], "context": {"diagnostics": diags}}),
    );
    let suppress = actions
        .as_array()
        .and_then(|a| {
            a.iter()
                .find(|x| {
                    x["title"]
                        .as_str()
                        .is_some_and(|t| t.starts_with("Suppress"))
                })
                .cloned()
        })
        .expect("suppress action");
    let mut model = TextModel::new(src, PositionEncoding::Utf8);
    apply_action(&mut model, &suppress, uri);
    assert!(
        model.text.contains("# noqa: E501, DUN401\n"),
        "{}",
        model.text
    );
    assert_eq!(s.shutdown_and_exit().code(), Some(0));
}

#[test]
fn completion_of_special_methods() {
    let mut s = Server::start();
    s.initialize(capabilities(&["utf-16"]), Value::Null);
    let uri = "file:///complete.py";
    let src = "class Money:\n    def __init__(self, amount, currency):\n        self.amount = amount\n        self.currency = currency\n\n    def __eq__(self, other):\n        return True\n\n    def __";
    s.open(uri, src);
    let model = TextModel::new(src, PositionEncoding::Utf16);
    let result = s.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": model.position(src.len())}),
    );
    let items = result["items"].as_array().cloned().unwrap_or_default();
    let mut sorted = items.clone();
    sorted.sort_by(|a, b| a["sortText"].as_str().cmp(&b["sortText"].as_str()));
    assert_eq!(
        sorted[0]["label"], "__hash__",
        "after __eq__, __hash__ first"
    );
    assert!(
        !items
            .iter()
            .any(|i| i["label"] == "__eq__" || i["label"] == "__init__"),
        "already defined"
    );
    let hash = &sorted[0];
    assert_eq!(hash["insertTextFormat"], 2, "snippet");
    assert_eq!(
        hash["textEdit"]["range"],
        model.range(src.len() - 2..src.len())
    );
    let text = hash["textEdit"]["newText"].as_str().unwrap_or("");
    assert!(
        text.starts_with(
            "__hash__(self) -> int:\n        return hash(${1:(self.amount, self.currency)})"
        ),
        "{text}"
    );
    assert!(hash["documentation"]["value"]
        .as_str()
        .is_some_and(|d| d.contains("hash(x)")));
    // Outside a class body: nothing.
    let r = s.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 4}}),
    );
    assert!(r.is_null(), "{r}");
    // Typing in a fresh class: __eq__ has the isinstance check and NotImplemented.
    s.change(
        uri,
        2,
        json!([{"text": "class P:\n    x = 1\n\n    def __"}]),
    );
    let r = s.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": 3, "character": 10}}),
    );
    let eq = r["items"]
        .as_array()
        .and_then(|a| a.iter().find(|i| i["label"] == "__eq__").cloned())
        .expect("__eq__ offered");
    let text = eq["textEdit"]["newText"].as_str().unwrap_or("");
    assert!(text.starts_with("__eq__(self, other: object) -> bool:\n        if not isinstance(other, ${1:P}):\n            return NotImplemented\n        return "), "{text}");
    assert_eq!(s.shutdown_and_exit().code(), Some(0));
}
