//! Hundreds of random incremental edits: the server's text always equals
//! the client's, and its findings equal a fresh check of that text.

use std::time::Duration;

use dunderls_e2e::{
    capabilities, expected_diagnostics, pull_capabilities, summarize, Rng, Server, TextModel,
};
use dunderls_python::PositionEncoding;
use serde_json::Value;

const BASE: &str = "import functools\n\n\nclass Base:\n    def __init__(self, a):\n        self.a = a\n\n    def __hash__(self):\n        return hash(self.a)\n\n    def __eq__(self, other):\n        return self.a == other.a\n\n\nclass Child(Base):\n    \"\"\"Docstring é 中文 😀.\"\"\"\n\n    def __eq__(self, other):\n        return self.a == other.a\n\n\nclass Other:\n    def __eq__(self, o):  # noqa: E501\n        return self.b == o.b\n    __hash__ = None\n";

const SNIPPETS: &[&str] = &[
    "    def __eq__(self, other):\n        return self.z == other.z\n",
    "    __hash__ = None\n",
    "class Extra(Base):\n    def __eq__(self, o):\n        return False\n\n",
    "x = 'é😀'\r\n",
    "\n",
    "    # comment 中文\n",
    "    def __hash__(self):\n        return 1\n",
    "(",
];

fn boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    // LSP cannot address the middle of a CRLF.
    if text[..at].ends_with('\r') && text[at..].starts_with('\n') {
        at += 1;
    }
    at
}

fn random_edit(rng: &mut Rng, text: &str) -> (usize, usize, String) {
    let len = text.len();
    match rng.below(8) {
        0 | 1 => {
            let at = boundary(text, rng.below(len + 1));
            (
                at,
                at,
                ["a", "_", " ", "é", "😀", "中", "\r\n", "\n", ":"][rng.below(9)].to_string(),
            )
        }
        2 => {
            let at = boundary(text, rng.below(len + 1));
            let end = boundary(text, at + 1 + rng.below(8));
            (at, end.max(at), String::new())
        }
        3 | 4 => {
            let starts: Vec<usize> = std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect();
            let at = starts[rng.below(starts.len())];
            (at, at, SNIPPETS[rng.below(SNIPPETS.len())].to_string())
        }
        5 => {
            let (from, to) = if rng.below(2) == 0 {
                ("__hash__", "__hasx__")
            } else {
                ("__hasx__", "__hash__")
            };
            let hits: Vec<usize> = text.match_indices(from).map(|(i, _)| i).collect();
            match hits.get(rng.below(hits.len())) {
                Some(&at) => (at, at + from.len(), to.to_string()),
                None => (0, 0, String::new()),
            }
        }
        6 => {
            // Replace a range with a multi-line text.
            let at = boundary(text, rng.below(len + 1));
            let end = boundary(text, at + rng.below(40));
            (at, end.max(at), "é\r\n    z = 1\n".to_string())
        }
        _ => {
            let starts: Vec<usize> = std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect();
            let i = rng.below(starts.len());
            (
                starts[i],
                starts.get(i + 1).copied().unwrap_or(len),
                String::new(),
            )
        }
    }
}

fn session(seed: u64, enc: PositionEncoding, encodings: &[&str], pull: bool) {
    let mut s = Server::start();
    let caps = if pull {
        pull_capabilities(encodings)
    } else {
        capabilities(encodings)
    };
    s.initialize(caps, Value::Null);
    let uri = format!("file:///prop_{seed}.py");
    s.open(&uri, BASE);
    let mut model = TextModel::new(BASE, enc);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ seed.wrapping_mul(0x2545_f491_4f6c_dd1d));
    let mut version = 1;
    for step in 0..300 {
        // One to three changes per notification.
        let mut changes = Vec::new();
        for _ in 0..1 + rng.below(3) {
            let (start, end, insert) = random_edit(&mut rng, &model.text);
            changes.push(model.edit(start, end, &insert));
        }
        version += 1;
        s.change(&uri, version, Value::Array(changes));
        if step % 15 == 0 {
            let server = s.document_text(&uri);
            assert_eq!(
                server["text"].as_str(),
                Some(model.text.as_str()),
                "seed {seed} step {step}"
            );
            assert_eq!(server["version"], version);
        }
        if step % 50 == 49 {
            // Let the server settle now and then; its findings must equal a
            // fresh check of the same text.
            let got = if pull {
                s.pull(&uri)
            } else {
                s.published(&uri, version as i64)
            };
            if !pull {
                // Pushed results may be partial checks; once the user pauses,
                // a full check confirms (publishing only if different).
                std::thread::sleep(Duration::from_millis(700));
            }
            let items = if pull {
                got
            } else {
                s.pull_or_latest(&uri, version as i64, got)
            };
            assert_eq!(
                summarize(&items),
                expected_diagnostics(&model.text, enc),
                "seed {seed} step {step}\n{}",
                model.text
            );
        }
    }
    let server = s.document_text(&uri);
    assert_eq!(server["text"].as_str(), Some(model.text.as_str()));
    assert_eq!(s.shutdown_and_exit().code(), Some(0));
}

trait Latest {
    fn pull_or_latest(&mut self, uri: &str, version: i64, first: Value) -> Value;
}

impl Latest for Server {
    /// The latest publication for `uri` at `version` received so far.
    fn pull_or_latest(&mut self, uri: &str, version: i64, first: Value) -> Value {
        let mut latest = first;
        while let Some(m) = self.wait_for(Duration::from_millis(50), |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == version
        }) {
            latest = m["params"]["diagnostics"].clone();
        }
        latest
    }
}

#[test]
fn random_edits_utf16_push() {
    session(1, PositionEncoding::Utf16, &["utf-16"], false);
}

#[test]
fn random_edits_utf8_pull() {
    session(2, PositionEncoding::Utf8, &["utf-8"], true);
}

#[test]
fn random_edits_utf16_pull() {
    session(3, PositionEncoding::Utf16, &["utf-16"], true);
}
