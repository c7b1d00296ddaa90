//! Development aid: run selected rules over every .py file under a folder
//! and print the findings (e.g. to sample precision on the stdlib).
//! `cargo run --release -p dunderls_linter --example scan -- DIR [CODE...]`

use dunderls_linter::{check_source, RuleSelector, Settings};
use dunderls_python::{LineIndex, PositionEncoding};

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().expect("usage: scan DIR [CODE...]");
    let select: Vec<_> = args
        .map(|c| RuleSelector::parse(&c).expect("rule code"))
        .collect();
    let settings = Settings {
        select,
        ..Settings::default()
    };
    let mut stack = vec![std::path::PathBuf::from(dir)];
    let mut counts = std::collections::BTreeMap::<&str, usize>::new();
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            for entry in std::fs::read_dir(&path).into_iter().flatten().flatten() {
                stack.push(entry.path());
            }
            continue;
        }
        if path.extension().is_none_or(|e| e != "py") {
            continue;
        }
        let Ok(source) = std::fs::read_to_string(&path) else {
            continue;
        };
        let result = check_source(&source, &settings);
        let index = LineIndex::new(&source);
        for d in result.diagnostics {
            let p = index.position(&source, d.range.start, PositionEncoding::Utf32);
            println!(
                "{}:{}:{}: {} {}",
                path.display(),
                p.line + 1,
                p.col + 1,
                d.code,
                d.message
            );
            *counts.entry(d.code).or_default() += 1;
        }
        for e in result.rule_errors {
            println!("{}: INTERNAL {e}", path.display());
        }
    }
    eprintln!("{counts:?}");
}
