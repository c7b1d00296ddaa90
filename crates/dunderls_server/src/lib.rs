//! The dunderls language server.
//!
//! `run_stdio()` serves LSP on stdin/stdout until `exit` and returns the
//! process exit code: 0 after `shutdown` + `exit`, 1 when the client exits
//! (or disappears) without `shutdown`.
//!
//! Layout:
//! - `framing`, `stdio`: the guarded stdio transport in front of
//!   tower-lsp-server;
//! - `server`: state, ordering of changes, check scheduling, handlers;
//! - `document`: the document store entry (rope, version, edit log);
//! - `analysis`: the exact full check and the fast partial check;
//! - `position`: LSP positions through `LineIndex`;
//! - `diagnostics`, `hover`, `protocols`, `completion`, `code_actions`,
//!   `config`: the features, mostly as pure functions;
//! - `workspace`: the cross-file class index, built in the background and
//!   kept current from edits and file events;
//! - `knowledge`: the only module that reads `dunderls_datamodel`.

pub mod analysis;
pub mod code_actions;
pub mod completion;
pub mod config;
pub mod diagnostics;
pub mod document;
pub mod framing;
pub mod hover;
pub mod knowledge;
pub mod position;
pub mod protocols;
pub mod server;
pub mod stdio;
pub mod workspace;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite};
use tower_lsp_server::{LspService, Server};

pub use server::Backend;

/// Stack size of the runtime's threads (workers and blocking pool). Parsing
/// and the facts walk are iterative, but rules written later may recurse
/// over deeply nested expressions; a big stack keeps that from killing the
/// server. It is virtual memory: untouched pages cost nothing.
pub const THREAD_STACK_BYTES: usize = 64 << 20;

/// How many requests tower-lsp-server may run at once. Its default (4)
/// stalls every later message, `$/cancelRequest` included, while four
/// slow requests wait.
const CONCURRENCY: usize = 64;

/// Serve LSP over `input`/`output` until `exit` (or end of input). Returns
/// the exit code.
pub async fn serve<I, O>(input: I, output: O) -> i32
where
    I: AsyncRead + Unpin,
    O: AsyncWrite,
{
    serve_with(input, output, None).await
}

/// `raw_out`: the writer thread behind `output`, for diagnostics that
/// bypass tower-lsp's serialisation.
async fn serve_with<I, O>(
    input: I,
    output: O,
    raw_out: Option<std::sync::mpsc::Sender<stdio::OutMsg>>,
) -> i32
where
    I: AsyncRead + Unpin,
    O: AsyncWrite,
{
    let shutdown = Arc::new(AtomicBool::new(false));
    let flag = shutdown.clone();
    let (service, socket) = LspService::build(move |client| Backend::new(client, flag, raw_out))
        .custom_method("dunderls/documentText", Backend::document_text)
        .finish();
    Server::new(input, output, socket)
        .concurrency_level(CONCURRENCY)
        .serve(service)
        .await;
    if shutdown.load(Ordering::SeqCst) {
        0
    } else {
        1
    }
}

/// Serve LSP on the process's stdin/stdout. Blocks until `exit`; returns
/// the exit code (0 after `shutdown` + `exit`, 1 otherwise).
pub fn run_stdio() -> i32 {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("dunderls-worker")
        .thread_stack_size(THREAD_STACK_BYTES)
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("dunderls: cannot start the async runtime: {e}");
            return 1;
        }
    };
    let (out_tx, out_rx) = std::sync::mpsc::channel::<stdio::OutMsg>();
    let writer = std::thread::Builder::new()
        .name("dunderls-stdout".into())
        .spawn(move || stdio::write_loop(out_rx, std::io::stdout().lock()));
    if let Err(e) = writer {
        eprintln!("dunderls: cannot start the output thread: {e}");
        return 1;
    }
    let (in_tx, in_rx) = tokio::sync::mpsc::channel::<Vec<u8>>(16);
    let reply_tx = out_tx.clone();
    let limits = framing::Limits::default();
    // Detached: it may be blocked reading stdin when we return; the
    // process exit ends it.
    let reader = std::thread::Builder::new()
        .name("dunderls-stdin".into())
        .spawn(move || {
            framing::filter(
                std::io::stdin().lock(),
                limits,
                |frame| in_tx.blocking_send(frame).is_ok(),
                |reply| {
                    let _ = reply_tx.send(stdio::OutMsg::Frame(reply));
                },
            )
        });
    if let Err(e) = reader {
        eprintln!("dunderls: cannot start the input thread: {e}");
        return 1;
    }
    let code = runtime.block_on(serve_with(
        stdio::ChannelReader::new(in_rx),
        stdio::FrameWriter::new(out_tx.clone()),
        Some(out_tx.clone()),
    ));
    let (ack_tx, ack_rx) = std::sync::mpsc::channel();
    if out_tx.send(stdio::OutMsg::Flush(ack_tx)).is_ok() {
        let _ = ack_rx.recv_timeout(Duration::from_secs(5));
    }
    runtime.shutdown_timeout(Duration::from_millis(500));
    code
}
