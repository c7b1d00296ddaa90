//! A small LSP client for end-to-end tests: starts the built `dunderls`
//! binary, speaks JSON-RPC over its stdio, answers the server's requests
//! (`client/registerCapability`, `workspace/configuration`, ...), and
//! fails (never hangs) when the server does not answer in time.
//!
//! The binary is `target/<profile>/dunderls` next to this crate, or
//! `$DUNDERLS_BIN`. Build it first: `cargo build -p dunderls`.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use dunderls_python::{LineCol, LineIndex, PositionEncoding};
use serde_json::{json, Value};

/// How long a request may take before the test fails. Generous: the test
/// machine may be loaded.
pub const TIMEOUT: Duration = Duration::from_secs(60);

/// Where the server binary is.
pub fn binary(profile: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    if let Ok(path) = std::env::var("DUNDERLS_BIN") {
        // Relative to the workspace root (tests run in this crate's folder).
        let path = PathBuf::from(path);
        return if path.is_absolute() {
            path
        } else {
            root.join(path)
        };
    }
    let bin = target_dir().join(profile).join(binary_name());
    assert!(
        bin.is_file(),
        "the dunderls binary is missing at {}: run `cargo build -p dunderls{}` first (or set DUNDERLS_BIN)",
        bin.display(),
        if profile == "release" { " --release" } else { "" }
    );
    if let Some(stale) = newer_source(&root.join("crates"), modified(&bin)) {
        panic!(
            "the dunderls binary at {} is older than {}: run `cargo build -p dunderls{}` first (or set DUNDERLS_BIN)",
            bin.display(),
            stale.display(),
            if profile == "release" { " --release" } else { "" }
        );
    }
    bin
}

fn modified(path: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// A Rust source under `dir` newer than `than`, if any.
fn newer_source(dir: &Path, than: Option<std::time::SystemTime>) -> Option<PathBuf> {
    let than = than?;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs" || e == "toml")
                && modified(&path).is_some_and(|m| m > than)
            {
                return Some(path);
            }
        }
    }
    None
}

/// The release binary when it is built and up to date, else the debug
/// one (for the slow tests: a 10 MB document takes minutes to check
/// with an unoptimised build).
pub fn fastest_binary() -> PathBuf {
    if std::env::var("DUNDERLS_BIN").is_err() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let release = target_dir().join("release").join(binary_name());
        if release.is_file() && newer_source(&root.join("crates"), modified(&release)).is_none() {
            return release;
        }
        eprintln!("note: using the debug server; `cargo build --release -p dunderls` makes this test much faster");
    }
    binary("debug")
}

/// The release server for benchmarks: built first (`cargo build --release
/// -p dunderls`) unless DUNDERLS_BIN names one.
pub fn release_binary() -> PathBuf {
    if std::env::var("DUNDERLS_BIN").is_err() {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.toml");
        eprintln!("building the release server (cargo build --release -p dunderls)...");
        let status = std::process::Command::new(cargo)
            .args([
                "build",
                "--release",
                "-p",
                "dunderls",
                "--manifest-path",
                manifest,
            ])
            .status();
        match status {
            // Up to date by cargo's judgement (which also knows that, say,
            // a new dev-dependency changes nothing in the binary).
            Ok(s) if s.success() => return target_dir().join("release").join(binary_name()),
            other => panic!("cargo build --release -p dunderls failed: {other:?}"),
        }
    }
    binary("release")
}

fn target_dir() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| root.join("target"))
}

fn binary_name() -> String {
    format!("dunderls{}", std::env::consts::EXE_SUFFIX)
}

/// What the reader thread saw.
#[derive(Debug, Clone)]
pub enum Incoming {
    Message(Value),
    /// The server closed stdout.
    Closed,
}

/// A running server.
pub struct Server {
    child: Child,
    stdin: Arc<Mutex<Option<ChildStdin>>>,
    rx: Receiver<Incoming>,
    next_id: i64,
    /// Messages received but not yet consumed by a wait.
    pub inbox: VecDeque<Value>,
    /// Every message received, in order (unless `keep_log` is false).
    pub log: Vec<Value>,
    pub keep_log: bool,
    /// What `workspace/configuration` answers (per item).
    pub settings: Arc<Mutex<Value>>,
    stderr: Arc<Mutex<String>>,
    closed: bool,
}

fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

fn read_frames(
    stdout: impl Read,
    tx: mpsc::Sender<Incoming>,
    stdin: Arc<Mutex<Option<ChildStdin>>>,
    settings: Arc<Mutex<Value>>,
) {
    let mut reader = BufReader::new(stdout);
    loop {
        let mut length = None;
        loop {
            let mut line = String::new();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => {
                    let _ = tx.send(Incoming::Closed);
                    return;
                }
                Ok(_) => {}
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(v) = line.strip_prefix("Content-Length:") {
                length = v.trim().parse::<usize>().ok();
            }
        }
        let Some(length) = length else { continue };
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            let _ = tx.send(Incoming::Closed);
            return;
        }
        let Ok(value) = serde_json::from_slice::<Value>(&body) else {
            continue;
        };
        // Answer the server's own requests right away.
        if let (Some(id), Some(method)) =
            (value.get("id"), value.get("method").and_then(Value::as_str))
        {
            let result = match method {
                "workspace/configuration" => {
                    let items = value["params"]["items"].as_array().map_or(1, Vec::len);
                    let s = settings.lock().map(|s| s.clone()).unwrap_or(Value::Null);
                    Value::Array(vec![s; items])
                }
                _ => Value::Null,
            };
            let reply = json!({"jsonrpc": "2.0", "id": id, "result": result});
            if let Ok(mut guard) = stdin.lock() {
                if let Some(w) = guard.as_mut() {
                    let _ = w.write_all(&frame(reply.to_string().as_bytes()));
                    let _ = w.flush();
                }
            }
        }
        if tx.send(Incoming::Message(value)).is_err() {
            return;
        }
    }
}

impl Server {
    /// Start the debug binary.
    pub fn start() -> Server {
        Server::start_with(&binary("debug"), &[])
    }

    pub fn start_with(bin: &Path, env: &[(&str, &str)]) -> Server {
        let mut cmd = Command::new(bin);
        cmd.arg("server")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));
        let stdin = Arc::new(Mutex::new(child.stdin.take()));
        let stdout = child.stdout.take().expect("piped stdout");
        let stderr_pipe = child.stderr.take().expect("piped stderr");
        let settings = Arc::new(Mutex::new(Value::Null));
        let (tx, rx) = mpsc::channel();
        {
            let stdin = stdin.clone();
            let settings = settings.clone();
            std::thread::spawn(move || read_frames(stdout, tx, stdin, settings));
        }
        let stderr = Arc::new(Mutex::new(String::new()));
        {
            let stderr = stderr.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stderr_pipe);
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
                    if let Ok(mut s) = stderr.lock() {
                        s.push_str(&line);
                    }
                    line.clear();
                }
            });
        }
        Server {
            child,
            stdin,
            rx,
            next_id: 1,
            inbox: VecDeque::new(),
            log: Vec::new(),
            keep_log: true,
            settings,
            stderr,
            closed: false,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn stderr(&self) -> String {
        self.stderr.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// Write raw bytes to the server's stdin.
    pub fn send_raw(&mut self, bytes: &[u8]) {
        let mut guard = self.stdin.lock().expect("stdin lock");
        let w = guard.as_mut().expect("stdin open");
        w.write_all(bytes).expect("write to server");
        w.flush().expect("flush to server");
    }

    pub fn send(&mut self, value: &Value) {
        self.send_raw(&frame(value.to_string().as_bytes()));
    }

    /// Several messages in one write (they arrive together).
    pub fn send_batch(&mut self, values: &[Value]) {
        let mut bytes = Vec::new();
        for v in values {
            bytes.extend_from_slice(&frame(v.to_string().as_bytes()));
        }
        self.send_raw(&bytes);
    }

    pub fn close_stdin(&mut self) {
        if let Ok(mut guard) = self.stdin.lock() {
            guard.take();
        }
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Send a request, return its id.
    pub fn send_request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    /// The next message, waiting up to `timeout`.
    fn receive(&mut self, timeout: Duration) -> Option<Value> {
        if self.closed {
            return None;
        }
        match self.rx.recv_timeout(timeout) {
            Ok(Incoming::Message(v)) => {
                if self.keep_log {
                    self.log.push(v.clone());
                }
                Some(v)
            }
            Ok(Incoming::Closed) => {
                self.closed = true;
                None
            }
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => {
                self.closed = true;
                None
            }
        }
    }

    /// Wait for the first message matching `pred` (earlier unmatched
    /// messages stay in the inbox).
    pub fn wait_for(&mut self, timeout: Duration, pred: impl Fn(&Value) -> bool) -> Option<Value> {
        if let Some(i) = self.inbox.iter().position(&pred) {
            return self.inbox.remove(i);
        }
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            let msg = self.receive(left)?;
            if pred(&msg) {
                return Some(msg);
            }
            self.inbox.push_back(msg);
        }
    }

    /// The response to request `id` (the whole message).
    pub fn response(&mut self, id: i64) -> Value {
        let found = self.wait_for(TIMEOUT, |m| {
            m.get("id") == Some(&json!(id)) && m.get("method").is_none()
        });
        match found {
            Some(v) => v,
            None => panic!(
                "no response to request {id} within {TIMEOUT:?}; server stderr:\n{}",
                self.stderr()
            ),
        }
    }

    /// Send a request and return its `result` (panics on an error).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        let response = self.response(id);
        if let Some(error) = response.get("error") {
            panic!("{method} failed: {error}");
        }
        response["result"].clone()
    }

    /// Send a request and return its `error` (panics on success).
    pub fn request_error(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        let response = self.response(id);
        response
            .get("error")
            .cloned()
            .unwrap_or_else(|| panic!("{method} unexpectedly succeeded: {response}"))
    }

    /// `initialize` + `initialized`. Returns the initialize result.
    pub fn initialize(&mut self, capabilities: Value, options: Value) -> Value {
        let result = self.request(
            "initialize",
            json!({"processId": null, "rootUri": null, "capabilities": capabilities, "initializationOptions": options}),
        );
        self.notify("initialized", json!({}));
        result
    }

    pub fn initialize_in(&mut self, root: &Path, capabilities: Value, options: Value) -> Value {
        let uri = file_uri(root);
        let result = self.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": uri,
                "workspaceFolders": [{"uri": uri, "name": "ws"}],
                "capabilities": capabilities,
                "initializationOptions": options,
            }),
        );
        self.notify("initialized", json!({}));
        result
    }

    pub fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}}),
        );
    }

    pub fn change(&mut self, uri: &str, version: i32, changes: Value) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
        );
    }

    /// The server's copy of a document (custom request).
    pub fn document_text(&mut self, uri: &str) -> Value {
        self.request(
            "dunderls/documentText",
            json!({"textDocument": {"uri": uri}}),
        )
    }

    /// Wait for `publishDiagnostics` for `uri` at `version`.
    pub fn published(&mut self, uri: &str, version: i64) -> Value {
        let uri = uri.to_string();
        let stderr = self.stderr.clone();
        self.wait_for(TIMEOUT, |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri.as_str()
                && m["params"]["version"] == version
        })
        .unwrap_or_else(|| {
            panic!(
                "no diagnostics published for version {version} within {TIMEOUT:?}; stderr:\n{}",
                stderr.lock().map(|s| s.clone()).unwrap_or_default()
            )
        })["params"]["diagnostics"]
            .clone()
    }

    /// Pulled diagnostics (`textDocument/diagnostic`) items.
    pub fn pull(&mut self, uri: &str) -> Value {
        let report = self.request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": uri}}),
        );
        assert_eq!(report["kind"], "full", "{report}");
        report["items"].clone()
    }

    /// `shutdown` then `exit`; the process's exit status.
    pub fn shutdown_and_exit(mut self) -> ExitStatus {
        let result = self.request("shutdown", Value::Null);
        assert_eq!(result, Value::Null);
        self.notify("exit", Value::Null);
        self.wait_exit(TIMEOUT)
            .expect("the server exits after `exit`")
    }

    /// Wait for the process to end.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            if Instant::now() > deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Resident memory of the server process in bytes (Linux).
    pub fn rss_bytes(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
        let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kb * 1024)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// `file://` URI of a path.
pub fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// Client capabilities: push diagnostics, the given position encodings.
pub fn capabilities(encodings: &[&str]) -> Value {
    json!({
        "general": {"positionEncodings": encodings},
        "textDocument": {
            "completion": {"completionItem": {"snippetSupport": true}},
            "hover": {"contentFormat": ["markdown", "plaintext"]},
        },
        "workspace": {"workspaceEdit": {"documentChanges": true}},
    })
}

/// Like `capabilities`, for a client that pulls diagnostics
/// (`textDocument/diagnostic`) and can be asked to pull again
/// (`workspace/diagnostic/refresh`).
pub fn pull_capabilities(encodings: &[&str]) -> Value {
    let mut caps = capabilities(encodings);
    caps["textDocument"]["diagnostic"] = json!({"dynamicRegistration": false});
    caps["workspace"]["diagnostics"] = json!({"refreshSupport": true});
    caps
}

/// The client's copy of a document, converting positions through
/// `LineIndex` like the server does.
pub struct TextModel {
    pub text: String,
    pub enc: PositionEncoding,
}

impl TextModel {
    pub fn new(text: &str, enc: PositionEncoding) -> Self {
        TextModel {
            text: text.to_string(),
            enc,
        }
    }

    pub fn position(&self, offset: usize) -> Value {
        let index = LineIndex::new(&self.text);
        let p = index.position(&self.text, offset, self.enc);
        json!({"line": p.line, "character": p.col})
    }

    pub fn offset(&self, pos: &Value) -> usize {
        let index = LineIndex::new(&self.text);
        let lc = LineCol {
            line: pos["line"].as_u64().unwrap_or(0) as u32,
            col: pos["character"].as_u64().unwrap_or(0) as u32,
        };
        index.offset(&self.text, lc, self.enc)
    }

    /// Replace bytes `start..end`; returns the change event to send.
    pub fn edit(&mut self, start: usize, end: usize, insert: &str) -> Value {
        let change = json!({"range": {"start": self.position(start), "end": self.position(end)}, "text": insert});
        self.text.replace_range(start..end, insert);
        change
    }

    /// Apply LSP text edits (as a client applying a workspace edit).
    pub fn apply_lsp_edits(&mut self, edits: &[Value]) {
        let mut byte_edits: Vec<(usize, usize, String)> = edits
            .iter()
            .map(|e| {
                (
                    self.offset(&e["range"]["start"]),
                    self.offset(&e["range"]["end"]),
                    e["newText"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect();
        byte_edits.sort_by_key(|e| std::cmp::Reverse(e.0));
        for (s, e, t) in byte_edits {
            self.text.replace_range(s..e, &t);
        }
    }

    /// The LSP range of a byte range.
    pub fn range(&self, range: std::ops::Range<usize>) -> Value {
        json!({"start": self.position(range.start), "end": self.position(range.end)})
    }
}

/// What the CLI would report for `text`, as (code, LSP range, message).
pub fn expected_diagnostics(text: &str, enc: PositionEncoding) -> Vec<(String, Value, String)> {
    let model = TextModel::new(text, enc);
    dunderls_linter::check_source(text, &dunderls_linter::Settings::default())
        .diagnostics
        .into_iter()
        .map(|d| (d.code.to_string(), model.range(d.range.clone()), d.message))
        .collect()
}

/// The (code, range, message) triples of LSP diagnostics.
pub fn summarize(diagnostics: &Value) -> Vec<(String, Value, String)> {
    diagnostics
        .as_array()
        .map(|a| {
            a.iter()
                .map(|d| {
                    (
                        d["code"].as_str().unwrap_or("").to_string(),
                        d["range"].clone(),
                        d["message"].as_str().unwrap_or("").to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A deterministic xorshift generator (no external crates).
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}

/// A Python file of about `lines` lines with many classes, some of them
/// with findings (for the benchmark and big-file tests).
pub fn many_classes(lines: usize) -> String {
    let mut s = String::from("import functools\nfrom dataclasses import dataclass\n\n");
    let mut i = 0;
    let mut count = s.matches('\n').count();
    while count < lines {
        let start = s.len();
        s.push_str(&format!(
            "\n\nclass Model{i}(object):\n    \"\"\"Docstring for model {i}.\"\"\"\n\n    def __init__(self, a, b):\n        self.a = a\n        self.b = b\n        self.items = [x * 2 for x in range(10) if x % 3]\n\n    def __eq__(self, other):\n        if not isinstance(other, Model{i}):\n            return NotImplemented\n        return (self.a, self.b) == (other.a, other.b)\n\n    def __repr__(self):\n        return f\"Model{i}(a={{self.a!r}}, b={{self.b!r}})\"\n\n    def compute(self, x):\n        total = 0\n        for item in self.items:\n            if item > x:\n                total += item * self.a - self.b\n            else:\n                total -= 1\n        return total\n"
        ));
        if i % 3 != 0 {
            s.push_str("\n    def __hash__(self):\n        return hash((self.a, self.b))\n");
        }
        count += s[start..].matches('\n').count();
        i += 1;
    }
    s
}
