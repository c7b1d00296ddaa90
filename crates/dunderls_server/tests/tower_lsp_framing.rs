//! What tower-lsp-server 0.23 does with malformed framing when nothing
//! guards its input: the evidence for `framing.rs`. These tests run
//! `dunderls_server::serve` (tower-lsp without the filter) over in-memory
//! pipes.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn frame(body: &str) -> Vec<u8> {
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

const INIT: &str = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#;
const SHUTDOWN: &str = r#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#;

/// Read what the server writes within `wait`.
async fn drain(reader: &mut tokio::io::DuplexStream, wait: Duration) -> String {
    let mut out = Vec::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        match tokio::time::timeout(wait, reader.read(&mut buf)).await {
            Ok(Ok(0)) | Err(_) | Ok(Err(_)) => break,
            Ok(Ok(n)) => out.extend_from_slice(&buf[..n]),
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unguarded_tower_lsp_stops_reading_after_one_bad_json_body() {
    let (mut client_w, server_r) = tokio::io::duplex(1 << 20);
    let (server_w, mut client_r) = tokio::io::duplex(1 << 20);
    let server = tokio::spawn(dunderls_server::serve(server_r, server_w));
    client_w.write_all(&frame(INIT)).await.expect("write");
    let out = drain(&mut client_r, Duration::from_millis(500)).await;
    assert!(out.contains("\"id\":1"), "{out}");
    let mut both = frame("{not json");
    both.extend_from_slice(&frame(SHUTDOWN));
    // (The write may even fail: the server drops its input.)
    let _ = client_w.write_all(&both).await;
    let out = drain(&mut client_r, Duration::from_millis(500)).await;
    // One parse error, then the input stream has ended: shutdown is never
    // answered and the server exits (code 1: no shutdown).
    assert!(out.contains("-32700"), "{out}");
    assert!(!out.contains("\"id\":2"), "{out}");
    let code = tokio::time::timeout(Duration::from_secs(5), server)
        .await
        .expect("serve returns")
        .expect("join");
    assert_eq!(code, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unguarded_tower_lsp_waits_forever_on_an_absurd_content_length() {
    let (mut client_w, server_r) = tokio::io::duplex(1 << 20);
    let (server_w, mut client_r) = tokio::io::duplex(1 << 20);
    let _server = tokio::spawn(dunderls_server::serve(server_r, server_w));
    client_w.write_all(&frame(INIT)).await.expect("write");
    drain(&mut client_r, Duration::from_millis(500)).await;
    client_w
        .write_all(b"Content-Length: 2000000000\r\n\r\n")
        .await
        .expect("write");
    client_w.write_all(&frame(SHUTDOWN)).await.expect("write");
    let out = drain(&mut client_r, Duration::from_millis(1000)).await;
    // No error, no answer: the next message became part of a 2 GB body.
    // (Memory grows only with what is actually sent: tokio_util's
    // FramedRead does not pre-allocate the claimed length.)
    assert!(out.is_empty(), "{out}");
}
