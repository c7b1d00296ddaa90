//! Plumbing between the process's stdio and tower-lsp-server: the framing
//! filter reads stdin on a plain thread (see `framing`), and one writer
//! thread owns stdout, so that whole frames from tower-lsp and from the
//! filter never interleave.

use std::io::{self, Write};
use std::pin::Pin;
use std::sync::mpsc as std_mpsc;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::mpsc;

pub enum OutMsg {
    Frame(Vec<u8>),
    Flush(std_mpsc::Sender<()>),
}

/// Write frames to `out` until every sender is gone.
pub fn write_loop(rx: std_mpsc::Receiver<OutMsg>, mut out: impl Write) {
    let mut broken = false;
    while let Ok(msg) = rx.recv() {
        let mut pending = Some(msg);
        // Batch what is already queued, then flush once.
        while let Some(msg) = pending.take() {
            match msg {
                OutMsg::Frame(frame) => {
                    if !broken && out.write_all(&frame).is_err() {
                        broken = true;
                    }
                }
                OutMsg::Flush(ack) => {
                    let _ = out.flush();
                    let _ = ack.send(());
                }
            }
            pending = rx.try_recv().ok();
        }
        if !broken && out.flush().is_err() {
            broken = true;
        }
    }
    let _ = out.flush();
}

/// tower-lsp's input: frames from the filter thread.
pub struct ChannelReader {
    rx: mpsc::Receiver<Vec<u8>>,
    current: Vec<u8>,
    pos: usize,
}

impl ChannelReader {
    pub fn new(rx: mpsc::Receiver<Vec<u8>>) -> Self {
        ChannelReader {
            rx,
            current: Vec::new(),
            pos: 0,
        }
    }
}

impl AsyncRead for ChannelReader {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        loop {
            if self.pos < self.current.len() {
                let n = buf.remaining().min(self.current.len() - self.pos);
                let start = self.pos;
                buf.put_slice(&self.current[start..start + n]);
                self.pos += n;
                return Poll::Ready(Ok(()));
            }
            match self.rx.poll_recv(cx) {
                Poll::Ready(Some(chunk)) => {
                    self.current = chunk;
                    self.pos = 0;
                }
                Poll::Ready(None) => return Poll::Ready(Ok(())),
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

/// tower-lsp's output: cut into whole frames and handed to the writer.
pub struct FrameWriter {
    buf: Vec<u8>,
    tx: std_mpsc::Sender<OutMsg>,
}

impl FrameWriter {
    pub fn new(tx: std_mpsc::Sender<OutMsg>) -> Self {
        FrameWriter {
            buf: Vec::new(),
            tx,
        }
    }

    fn complete_frame_len(&self) -> Option<usize> {
        let end = self.buf.windows(4).position(|w| w == b"\r\n\r\n")?;
        let header = std::str::from_utf8(&self.buf[..end]).ok()?;
        let len: usize = header
            .lines()
            .find_map(|l| l.strip_prefix("Content-Length:"))
            .and_then(|v| v.trim().parse().ok())?;
        let total = end + 4 + len;
        (self.buf.len() >= total).then_some(total)
    }
}

impl AsyncWrite for FrameWriter {
    fn poll_write(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.buf.extend_from_slice(data);
        while let Some(total) = self.complete_frame_len() {
            let rest = self.buf.split_off(total);
            let frame = std::mem::replace(&mut self.buf, rest);
            if self.tx.send(OutMsg::Frame(frame)).is_err() {
                return Poll::Ready(Err(io::Error::from(io::ErrorKind::BrokenPipe)));
            }
        }
        Poll::Ready(Ok(data.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}
