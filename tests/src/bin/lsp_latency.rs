//! Keystroke latency benchmark (not a test):
//!
//!     cargo run --release -p dunderls_e2e --bin lsp_latency [-- EDITS]
//!
//! Builds the release server if needed, opens a 10,000-line Python file
//! with many classes, then makes single-character edits one at a time and
//! measures the time from sending `didChange` to receiving the
//! `publishDiagnostics` for that version. Reports p50/p90/p99/max and the
//! server's resident memory (from /proc).

use std::time::{Duration, Instant};

use dunderls_e2e::{capabilities, many_classes, Rng, Server, TextModel};
use dunderls_python::PositionEncoding;
use serde_json::{json, Value};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

struct Scenario {
    name: &'static str,
    samples: Vec<Duration>,
}

fn report(s: &Scenario) {
    let mut sorted = s.samples.clone();
    sorted.sort();
    println!(
        "{:<44} n={:<4} p50 {:>10}  p90 {:>10}  p99 {:>10}  max {:>10}",
        s.name,
        sorted.len(),
        ms(percentile(&sorted, 0.50)),
        ms(percentile(&sorted, 0.90)),
        ms(percentile(&sorted, 0.99)),
        ms(sorted.last().copied().unwrap_or_default())
    );
}

fn rss_kb(pid: u32, key: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn main() {
    let edits: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(400);
    let bin = dunderls_e2e::release_binary();
    let trace = std::env::var("DUNDERLS_TRACE").unwrap_or_default();
    let mut server = Server::start_with(&bin, &[("DUNDERLS_TRACE", trace.as_str())]);
    server.keep_log = false;
    server.initialize(capabilities(&["utf-16"]), Value::Null);
    let mut text = many_classes(10_000);
    if std::env::var("BENCH_NO_FINDINGS").is_ok() {
        text = text.replace(
            "    def __eq__(self, other):\n",
            "    __hash__ = None\n\n    def __eq__(self, other):\n",
        );
    }
    let uri = "file:///bench/models.py";
    let lines = text.lines().count();
    let classes = text.matches("\nclass ").count();
    let t0 = Instant::now();
    server.open(uri, &text);
    let first = server.published(uri, 1);
    let open_time = t0.elapsed();
    let findings = first.as_array().map_or(0, Vec::len);
    let mut model = TextModel::new(&text, PositionEncoding::Utf16);
    let pid = server.pid();
    let rss_open = rss_kb(pid, "VmRSS:");

    // Edit spots: inside method bodies of classes all over the file.
    let spots: Vec<usize> = model
        .text
        .match_indices("total = 0")
        .map(|(i, _)| i + "total = ".len())
        .collect();
    let mut rng = Rng(0x1234_5678_9abc_def1);
    let mut version = 1;
    let mut measure = |server: &mut Server,
                       model: &mut TextModel,
                       start: usize,
                       end: usize,
                       insert: &str|
     -> Duration {
        version += 1;
        let change = model.edit(start, end, insert);
        let msg = json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}});
        let sent = Instant::now();
        server.send(&msg);
        server.published(uri, version as i64);
        sent.elapsed()
    };
    // Warm up.
    for _ in 0..20 {
        let at = spots[rng.below(spots.len())];
        measure(&mut server, &mut model, at, at, "1");
        measure(&mut server, &mut model, at, at + 1, "");
    }
    let mut typing = Scenario {
        name: "keystroke in a method body (insert/delete)",
        samples: Vec::new(),
    };
    for i in 0..edits {
        let at = spots[(i / 2 * 7919) % spots.len()];
        let d = if i % 2 == 0 {
            measure(&mut server, &mut model, at, at, "1")
        } else {
            measure(&mut server, &mut model, at, at + 1, "")
        };
        typing.samples.push(d);
    }
    // Keystrokes that leave a syntax error (an open parenthesis) and fix it.
    let mut broken = Scenario {
        name: "keystroke leaving a syntax error, then fixing",
        samples: Vec::new(),
    };
    for i in 0..edits / 4 {
        let at = spots[(i * 104_729) % spots.len()];
        broken
            .samples
            .push(measure(&mut server, &mut model, at, at, "("));
        broken
            .samples
            .push(measure(&mut server, &mut model, at, at + 1, ""));
    }
    // Renaming __eq__ -> __eqx__ and back: the finding appears/disappears.
    let mut rename = Scenario {
        name: "token edit changing a finding (__eq__)",
        samples: Vec::new(),
    };
    for i in 0..edits / 8 {
        let hits: Vec<usize> = model
            .text
            .match_indices("def __eq__")
            .map(|(i, _)| i + 4 + 4)
            .collect();
        let at = hits[(i * 31) % hits.len()];
        rename
            .samples
            .push(measure(&mut server, &mut model, at, at, "x"));
        rename
            .samples
            .push(measure(&mut server, &mut model, at, at + 1, ""));
    }
    // For scale: the round trip of a request that does no work (pipes,
    // threads and JSON on both sides).
    let mut baseline = Scenario {
        name: "baseline: trivial request round trip",
        samples: Vec::new(),
    };
    for _ in 0..edits / 2 {
        let sent = Instant::now();
        server.request(
            "dunderls/documentText",
            json!({"textDocument": {"uri": "file:///none.py"}}),
        );
        baseline.samples.push(sent.elapsed());
    }
    // Let the idle full check run, then check the server's text.
    std::thread::sleep(Duration::from_millis(800));
    let server_text = server.document_text(uri);
    assert_eq!(
        server_text["text"].as_str().map(str::len),
        Some(model.text.len()),
        "server and client text differ"
    );
    let rss = rss_kb(pid, "VmRSS:");
    let hwm = rss_kb(pid, "VmHWM:");

    println!("dunderls keystroke latency: didChange -> publishDiagnostics of that version");
    println!(
        "file: {lines} lines, {} KiB, {classes} classes, {findings} findings; initial open+check {}",
        text.len() / 1024,
        ms(open_time)
    );
    println!(
        "machine: {} cores",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    report(&typing);
    report(&broken);
    report(&rename);
    report(&baseline);
    if let Ok(load) = std::fs::read_to_string("/proc/loadavg") {
        println!(
            "load average during the run: {}",
            load.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        );
    }
    println!(
        "server RSS after open: {:.1} MiB; after the edits: {:.1} MiB; peak: {:.1} MiB",
        rss_open as f64 / 1024.0,
        rss as f64 / 1024.0,
        hwm as f64 / 1024.0
    );
    // Scale: a 10 MB document (open + full check, then a keystroke).
    if std::env::var("BENCH_SKIP_BIG").is_err() {
        let big = many_classes(430_000);
        let big_uri = "file:///bench/huge.py";
        let t0 = Instant::now();
        server.open(big_uri, &big);
        let d = server.published(big_uri, 1);
        let open_big = t0.elapsed();
        let rss_big = rss_kb(pid, "VmRSS:");
        let mut big_model = TextModel::new(&big, PositionEncoding::Utf16);
        let at = big_model.text.len() / 2;
        let at = at + big_model.text[at..].find("total = 0").map_or(0, |i| i + 8);
        let change = big_model.edit(at, at, "1");
        let t1 = Instant::now();
        server.change(big_uri, 2, json!([change]));
        server.published(big_uri, 2);
        let key_big = t1.elapsed();
        println!(
            "10 MiB document ({} KiB, {} findings): open -> diagnostics {}, one keystroke {}, server RSS {:.1} MiB (peak {:.1} MiB)",
            big.len() / 1024,
            d.as_array().map_or(0, Vec::len),
            ms(open_big),
            ms(key_big),
            rss_big as f64 / 1024.0,
            rss_kb(pid, "VmHWM:") as f64 / 1024.0
        );
        server.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": big_uri}}),
        );
    }
    if trace == "1" {
        let stderr = server.stderr();
        let lines: Vec<&str> = stderr
            .lines()
            .filter(|l| l.starts_with("dunderls trace"))
            .collect();
        for l in lines.iter().rev().take(12).rev() {
            println!("{l}");
        }
    }
    let status = server.shutdown_and_exit();
    assert!(status.success());
}
