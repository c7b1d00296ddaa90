//! The C3 linearization in `mro.rs` against CPython's own: random class
//! hierarchies (user classes over a few builtins), each defined by a real
//! interpreter that reports `__mro__` or the TypeError it raises.

use std::io::Write;
use std::process::{Command, Stdio};

use dunderls_linter::hierarchy::NoIndex;
use dunderls_linter::mro::{mro, Mro};
use dunderls_python::Module;

const BUILTINS: &[&str] = &[
    "object",
    "object",
    "object",
    "int",
    "dict",
    "bool",
    "Exception",
];

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// A module of classes C0..Cn whose bases are earlier classes or builtins.
/// Earlier classes list distinct bases, subclasses first (usually valid);
/// the last one lists them in random order, sometimes twice, so that
/// conflicts and duplicates are common.
fn hierarchy(rng: &mut Rng) -> String {
    let mut src = String::new();
    let count = 2 + rng.below(7);
    for i in 0..count {
        let last = i + 1 == count;
        let mut bases: Vec<String> = Vec::new();
        for _ in 0..rng.below(if last { 5 } else { 3 }) {
            let base = if i > 0 && rng.below(6) != 0 {
                format!("C{}", rng.below(i))
            } else {
                BUILTINS[rng.below(BUILTINS.len())].to_string()
            };
            if last && rng.below(10) == 0 || !bases.contains(&base) {
                bases.push(base);
            }
        }
        if !last {
            bases.sort_by_key(|b| {
                std::cmp::Reverse(b.trim_start_matches('C').parse::<usize>().ok())
            });
        }
        src.push_str(&format!("class C{i}({}): pass\n", bases.join(", ")));
    }
    src
}

/// What we say about the last class, in the words CPython's check prints.
fn ours(src: &str) -> String {
    let tree = dunderls_python::parse(src, None);
    let module = Module::build(src, &tree);
    let class = module.classes.last().expect("a class");
    let bare = |n: &str| n.rsplit('.').next().unwrap_or(n).to_string();
    match mro(&module, "m", class, &NoIndex) {
        Mro::Linear(order) => order.iter().map(|n| bare(n)).collect::<Vec<_>>().join(" "),
        Mro::Inconsistent(heads) => format!(
            "Cannot create a consistent method resolution order (MRO) for bases {}",
            heads.iter().map(|n| bare(n)).collect::<Vec<_>>().join(", ")
        ),
        Mro::DuplicateBase(name) => format!("duplicate base class {}", bare(&name)),
        Mro::Unknown => "unknown".into(),
    }
}

const RUNNER: &str = r#"
import json, sys
out = []
for src in json.load(sys.stdin):
    ns = {}
    lines = src.splitlines()
    try:
        # Earlier classes must exist: an error there is not the last class's.
        for line in lines[:-1]:
            exec(line, ns)
    except TypeError:
        out.append("earlier class fails")
        continue
    try:
        exec(lines[-1], ns)
        last = ns[lines[-1].split("(")[0].split()[1]]
        out.append(" ".join(c.__name__ for c in last.__mro__[1:]))
    except TypeError as e:
        out.append(" ".join(str(e).split()))
print(json.dumps(out))
"#;

#[test]
fn c3_matches_cpython_on_random_hierarchies() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let programs: Vec<String> = (0..1000).map(|_| hierarchy(&mut rng)).collect();
    let mut child = Command::new(dunderls_testkit::python())
        .args(["-c", RUNNER])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    let input = serde_json::to_string(&programs).expect("json");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write");
    let output = child.wait_with_output().expect("python3 finishes");
    let theirs: Vec<String> = serde_json::from_slice(&output.stdout).expect("python's json");
    let mut compared = [0usize; 3];
    let mut wrong = Vec::new();
    for (src, expected) in programs.iter().zip(&theirs) {
        // Layout conflicts (`class C(int, dict)`) and final builtins
        // (`bool`) fail for reasons other than the order.
        if expected == "earlier class fails"
            || expected.contains("lay-out conflict")
            || expected.contains("not an acceptable base type")
        {
            continue;
        }
        let got = ours(src);
        let kind = if expected.starts_with("Cannot") {
            1
        } else if expected.starts_with("duplicate") {
            2
        } else {
            0
        };
        compared[kind] += 1;
        if &got != expected {
            wrong.push(format!("{src}\n  CPython: {expected}\n  dunderls: {got}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
    // The generator must exercise all three outcomes.
    eprintln!("compared (linear, inconsistent, duplicate): {compared:?}");
    assert!(compared.iter().all(|&n| n >= 10), "{compared:?}");
}
