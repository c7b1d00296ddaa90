//! A guard in front of tower-lsp-server's stdin reader.
//!
//! tower-lsp-server 0.23's codec has three failure modes on bad input
//! (observed, see `tests/framing.rs`):
//! - any decode error (invalid JSON, invalid UTF-8, a JSON value that is not
//!   a JSON-RPC message, more than two headers) answers one error and then
//!   *ends the input stream*: `tokio_util`'s `FramedRead` returns `None`
//!   after a decoder error, so the server stops reading and exits;
//! - invalid UTF-8 in a body is reported without consuming the body;
//! - an absurd `Content-Length` (2 GB) is accepted: the server buffers
//!   whatever arrives and never answers another message.
//!
//! So the server reads stdin itself, on a plain thread, frame by frame with
//! bounded memory, and passes tower-lsp only frames it will accept
//! (re-framed with a single `Content-Length` header). A rejected frame gets
//! the JSON-RPC error the spec asks for (-32700 Parse error, or -32600
//! Invalid Request with the message's id when the JSON has one), a
//! `window/logMessage`, and a line on stderr; reading continues with the
//! next frame, or, when the header itself was bad, at the next
//! `Content-Length` header found in the stream.

use std::io::{self, Read};

use serde_json::{json, Value};
use tower_lsp_server::jsonrpc::{Request, Response};

/// Limits on what one message may claim.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest accepted body (default 256 MiB, env
    /// `DUNDERLS_MAX_MESSAGE_BYTES`).
    pub max_content_length: usize,
    /// Largest header section.
    pub max_header_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        let max = std::env::var("DUNDERLS_MAX_MESSAGE_BYTES")
            .ok()
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(256 << 20);
        Limits {
            max_content_length: max,
            max_header_bytes: 8 << 10,
        }
    }
}

/// What the filter hands back for the client.
pub fn error_response(id: Value, code: i64, message: &str) -> Vec<u8> {
    frame(&json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}}))
}

pub fn log_notification(message: &str) -> Vec<u8> {
    frame(
        &json!({"jsonrpc": "2.0", "method": "window/logMessage", "params": {"type": 1, "message": message}}),
    )
}

pub fn frame(value: &Value) -> Vec<u8> {
    let body = value.to_string();
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body.as_bytes());
    out
}

const PARSE_ERROR: i64 = -32700;
const INVALID_REQUEST: i64 = -32600;

/// A byte source with a small pushback buffer.
struct Input<R> {
    inner: R,
    buf: Vec<u8>,
    pos: usize,
    eof: bool,
}

impl<R: Read> Input<R> {
    fn fill(&mut self) -> io::Result<bool> {
        if self.pos < self.buf.len() {
            return Ok(true);
        }
        if self.eof {
            return Ok(false);
        }
        self.buf.resize(64 << 10, 0);
        self.pos = 0;
        loop {
            match self.inner.read(&mut self.buf) {
                Ok(0) => {
                    self.buf.clear();
                    self.eof = true;
                    return Ok(false);
                }
                Ok(n) => {
                    self.buf.truncate(n);
                    return Ok(true);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.buf.clear();
                    return Err(e);
                }
            }
        }
    }

    fn next_byte(&mut self) -> io::Result<Option<u8>> {
        if !self.fill()? {
            return Ok(None);
        }
        let b = self.buf[self.pos];
        self.pos += 1;
        Ok(Some(b))
    }

    /// Read exactly `len` bytes, growing the buffer only as data arrives.
    fn read_body(&mut self, len: usize) -> io::Result<Option<Vec<u8>>> {
        let mut body = Vec::with_capacity(len.min(1 << 20));
        while body.len() < len {
            if !self.fill()? {
                return Ok(None);
            }
            let take = (len - body.len()).min(self.buf.len() - self.pos);
            body.extend_from_slice(&self.buf[self.pos..self.pos + take]);
            self.pos += take;
        }
        Ok(Some(body))
    }

    /// Put bytes back in front of the stream (for resynchronising).
    fn unread(&mut self, bytes: &[u8]) {
        let mut rest = bytes.to_vec();
        rest.extend_from_slice(&self.buf[self.pos..]);
        self.buf = rest;
        self.pos = 0;
    }
}

enum Header {
    Ok(usize),
    /// A bad header; the bytes after the header section's start, for
    /// resynchronising.
    Bad(String, Vec<u8>),
    Eof,
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

/// Read one header section. Returns the content length, or why it is bad.
fn read_header<R: Read>(input: &mut Input<R>, limits: &Limits) -> io::Result<Header> {
    let mut raw = Vec::new();
    loop {
        let Some(b) = input.next_byte()? else {
            return Ok(Header::Eof);
        };
        raw.push(b);
        if raw.ends_with(b"\r\n\r\n") || raw.ends_with(b"\n\n") {
            break;
        }
        if raw.len() > limits.max_header_bytes {
            return Ok(Header::Bad(
                format!(
                    "header section longer than {} bytes",
                    limits.max_header_bytes
                ),
                raw,
            ));
        }
    }
    // Blank lines between messages are tolerated.
    if raw.iter().all(|b| matches!(b, b'\r' | b'\n')) {
        return Ok(Header::Bad(String::new(), Vec::new()));
    }
    let text = match std::str::from_utf8(&raw) {
        Ok(t) => t,
        Err(_) => return Ok(Header::Bad("header is not valid UTF-8".into(), raw)),
    };
    let mut length = None;
    for line in text
        .split('\n')
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.is_empty())
    {
        let Some((name, value)) = line.split_once(':') else {
            return Ok(Header::Bad(
                format!("malformed header line `{}`", truncate(line)),
                raw,
            ));
        };
        let value = value.trim();
        if name.trim().eq_ignore_ascii_case("Content-Length") {
            match value.parse::<u64>() {
                Ok(n) if n as u128 <= limits.max_content_length as u128 => {
                    length = Some(n as usize)
                }
                Ok(n) => {
                    return Ok(Header::Bad(
                        format!(
                            "Content-Length {n} exceeds the limit of {} bytes",
                            limits.max_content_length
                        ),
                        raw,
                    ))
                }
                Err(_) => {
                    return Ok(Header::Bad(
                        format!("invalid Content-Length `{}`", truncate(value)),
                        raw,
                    ))
                }
            }
        } else if name.trim().eq_ignore_ascii_case("Content-Type") {
            let charset = value
                .split(';')
                .skip(1)
                .filter_map(|p| p.trim().strip_prefix("charset="))
                .next();
            if let Some(cs) = charset {
                let cs = cs.trim_matches('"').to_ascii_lowercase();
                if cs != "utf-8" && cs != "utf8" {
                    return Ok(Header::Bad(
                        format!("unsupported charset `{}`", truncate(&cs)),
                        raw,
                    ));
                }
            }
        }
    }
    match length {
        Some(n) => Ok(Header::Ok(n)),
        None => Ok(Header::Bad("missing Content-Length header".into(), raw)),
    }
}

fn truncate(s: &str) -> String {
    if s.len() <= 80 {
        s.to_string()
    } else {
        let mut end = 80;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}...", &s[..end])
    }
}

/// Skip input until the next `Content-Length` header (bounded memory).
fn resync<R: Read>(input: &mut Input<R>, after_bad: &[u8]) -> io::Result<bool> {
    // The bad header may itself contain the start of the next message.
    let skip = if after_bad.len() > 1 { 1 } else { 0 };
    if let Some(i) = find(&after_bad[skip.min(after_bad.len())..], b"Content-Length") {
        input.unread(&after_bad[skip + i..]);
        return Ok(true);
    }
    let needle = b"Content-Length";
    let mut window: Vec<u8> = Vec::with_capacity(needle.len());
    loop {
        let Some(b) = input.next_byte()? else {
            return Ok(false);
        };
        window.push(b);
        if window.len() > needle.len() {
            window.remove(0);
        }
        if window.eq_ignore_ascii_case(needle) {
            input.unread(&window);
            return Ok(true);
        }
    }
}

/// Why a body was rejected, and the id to answer with.
fn check_body(body: &[u8]) -> Result<(), (Value, i64, String)> {
    let text = std::str::from_utf8(body).map_err(|e| {
        (
            Value::Null,
            PARSE_ERROR,
            format!("message body is not valid UTF-8: {e}"),
        )
    })?;
    if serde_json::from_str::<Request>(text).is_ok()
        || serde_json::from_str::<Response>(text).is_ok()
    {
        return Ok(());
    }
    match serde_json::from_str::<Value>(text) {
        Err(e) => Err((
            Value::Null,
            PARSE_ERROR,
            format!("message body is not valid JSON: {e}"),
        )),
        Ok(value) => {
            let id = match value.get("id") {
                Some(id @ (Value::Number(_) | Value::String(_))) => id.clone(),
                _ => Value::Null,
            };
            Err((
                id,
                INVALID_REQUEST,
                "not a JSON-RPC 2.0 request, notification or response".into(),
            ))
        }
    }
}

/// Read frames from `input` until EOF. Good frames go to `forward`
/// (returning false stops the filter); errors go to `reply`.
pub fn filter<R: Read>(
    input: R,
    limits: Limits,
    mut forward: impl FnMut(Vec<u8>) -> bool,
    mut reply: impl FnMut(Vec<u8>),
) {
    let mut input = Input {
        inner: input,
        buf: Vec::new(),
        pos: 0,
        eof: false,
    };
    let report = |reply: &mut dyn FnMut(Vec<u8>), id: Value, code: i64, why: &str| {
        let message = format!("dunderls: rejected a malformed message: {why}");
        eprintln!("{message}");
        reply(error_response(id, code, &message));
        reply(log_notification(&message));
    };
    loop {
        let header = match read_header(&mut input, &limits) {
            Ok(h) => h,
            Err(e) => {
                eprintln!("dunderls: cannot read stdin: {e}");
                return;
            }
        };
        match header {
            Header::Eof => return,
            Header::Bad(why, raw) => {
                if why.is_empty() {
                    continue;
                }
                report(&mut reply, Value::Null, PARSE_ERROR, &why);
                match resync(&mut input, &raw) {
                    Ok(true) => continue,
                    _ => return,
                }
            }
            Header::Ok(len) => {
                let body = match input.read_body(len) {
                    Ok(Some(body)) => body,
                    Ok(None) => {
                        if len > 0 {
                            eprintln!("dunderls: input ended inside a message body");
                        }
                        return;
                    }
                    Err(e) => {
                        eprintln!("dunderls: cannot read stdin: {e}");
                        return;
                    }
                };
                match check_body(&body) {
                    Ok(()) => {
                        let mut framed =
                            format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
                        framed.extend_from_slice(&body);
                        if !forward(framed) {
                            return;
                        }
                    }
                    Err((id, code, why)) => {
                        report(&mut reply, id, code, &why);
                        // A wrong (too large) length swallows the next
                        // header: pick it up again.
                        if let Some(i) = find(&body, b"Content-Length") {
                            input.unread(&body[i..]);
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(input: &[u8]) -> (Vec<String>, Vec<Value>) {
        let mut forwarded = Vec::new();
        let mut replies = Vec::new();
        filter(
            input,
            Limits {
                max_content_length: 1 << 20,
                max_header_bytes: 1024,
            },
            |f| {
                forwarded.push(String::from_utf8_lossy(&f).into_owned());
                true
            },
            |r| {
                let text = String::from_utf8_lossy(&r).into_owned();
                let body = text
                    .split("\r\n\r\n")
                    .nth(1)
                    .unwrap_or_default()
                    .to_string();
                replies.push(serde_json::from_str(&body).unwrap_or(Value::Null));
            },
        );
        (forwarded, replies)
    }

    fn msg(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    const OK: &str = r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#;

    #[test]
    fn passes_good_frames_and_normalises_headers() {
        let input = format!(
            "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nContent-Length: {}\r\nX-Extra: 1\r\n\r\n{OK}\r\n{}",
            OK.len(),
            msg(OK)
        );
        let (fwd, replies) = run(input.as_bytes());
        assert_eq!(fwd.len(), 2, "{fwd:?} {replies:?}");
        assert!(fwd[0].starts_with("Content-Length: "));
        assert!(replies.is_empty());
    }

    #[test]
    fn rejects_and_recovers() {
        let mut input = Vec::new();
        input.extend_from_slice(msg("{not json").as_bytes());
        input.extend_from_slice(msg(r#"{"id": 7, "hello": 1}"#).as_bytes());
        input.extend_from_slice(b"Content-Length: 4\r\n\r\n\xff\xfe\xfd\xfc");
        input.extend_from_slice(b"Content-Length: 2000000000\r\n\r\n");
        input.extend_from_slice(msg(OK).as_bytes());
        input.extend_from_slice(b"garbage without header\r\n\r\n");
        input.extend_from_slice(msg(OK).as_bytes());
        input.extend_from_slice(b"Content-Length: abc\r\n\r\n");
        input.extend_from_slice(msg(OK).as_bytes());
        let (fwd, replies) = run(&input);
        let codes: Vec<_> = replies
            .iter()
            .filter_map(|r| {
                r.get("error")
                    .and_then(|e| e.get("code"))
                    .and_then(Value::as_i64)
            })
            .collect();
        assert_eq!(
            codes,
            vec![-32700, -32600, -32700, -32700, -32700, -32700],
            "{replies:?}"
        );
        let invalid = replies
            .iter()
            .find(|r| r["error"]["code"] == -32600)
            .expect("invalid request reply");
        assert_eq!(invalid["id"], 7);
        assert_eq!(fwd.len(), 3, "{fwd:?}");
        // Every rejection is also logged for the user.
        assert_eq!(
            replies
                .iter()
                .filter(|r| r["method"] == "window/logMessage")
                .count(),
            6
        );
    }

    #[test]
    fn too_long_length_swallowing_the_next_header_is_recovered() {
        let mut input = format!("Content-Length: {}\r\n\r\n{OK}", OK.len() + 25).into_bytes();
        input.extend_from_slice(msg(OK).as_bytes());
        input.extend_from_slice(msg(OK).as_bytes());
        let (fwd, replies) = run(&input);
        assert_eq!(
            replies.iter().filter(|r| r.get("error").is_some()).count(),
            1
        );
        assert!(!fwd.is_empty());
    }
}
