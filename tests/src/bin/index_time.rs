//! Workspace indexing benchmark (not a test):
//!
//!     cargo run --release -p dunderls_e2e --bin index_time [-- DIR]
//!
//! Starts the release server with DIR (default: the standard library of
//! `python3`) as its workspace folder and measures the time from
//! `initialized` to the end of the indexing progress, the time to the
//! first diagnostics of a document opened meanwhile, and the server's
//! resident memory afterwards.

use std::path::PathBuf;
use std::time::Instant;

use dunderls_e2e::{capabilities, file_uri, Server, TIMEOUT};
use serde_json::json;

fn stdlib() -> PathBuf {
    let out = std::process::Command::new("python3")
        .args([
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['stdlib'])",
        ])
        .output()
        .expect("python3 runs");
    PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
}

fn main() {
    let dir = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(stdlib);
    let bin = dunderls_e2e::release_binary();
    let mut server = Server::start_with(&bin, &[]);
    let mut caps = capabilities(&["utf-16"]);
    caps["window"] = json!({"workDoneProgress": true});
    let started = Instant::now();
    server.initialize_in(&dir, caps, json!({}));
    let probe = dir.join("dunderls-index-probe.py");
    let uri = file_uri(&probe);
    server.open(
        &uri,
        "class A:\n    def __eq__(self, other):\n        return True\n",
    );
    server.published(&uri, 1);
    let first_diagnostics = started.elapsed();
    let end = server
        .wait_for(TIMEOUT * 10, |m| {
            m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end"
        })
        .expect("indexing ends");
    let indexed = started.elapsed();
    println!("workspace: {}", dir.display());
    println!(
        "server: {}",
        end["params"]["value"]["message"]
            .as_str()
            .unwrap_or_default()
    );
    println!(
        "initialized -> indexing ended: {:.0} ms; first diagnostics of a document opened meanwhile: {:.0} ms; RSS after: {} MB",
        indexed.as_secs_f64() * 1000.0,
        first_diagnostics.as_secs_f64() * 1000.0,
        server.rss_bytes().unwrap_or(0) / (1 << 20)
    );
    assert!(server.shutdown_and_exit().success());
}
