use super::util;
use crate::rules::prelude::*;

const DOCS: &str = r#"
## What it does
Flags the built-in `hash()` used for data that leaves the process: reduced
to pick a shard, node, partition or server (`hash(key) % len(nodes)`,
`hash(key) & mask`), turned into a file name or path, or passed to
`json.dumps`, `pickle.dump`, a socket's `send` or a database `execute`.

## Why is this a problem
The hashes of `str`, `bytes` and `datetime` values are salted with a random
seed chosen when the interpreter starts (hash randomization,
`PYTHONHASHSEED`), so `hash("user:42")` differs from one process to the next
and from one restart to the next. Within one process it is consistent, which
is why the bug hides in tests: two workers (or the same worker after a
deploy) route the same key to different nodes, and a value persisted from
`hash()` no longer matches what the next process computes. Objects that
hash by identity are no better: their hash comes from the memory address
(on CPython 3.11 that includes `None`). Numbers, and tuples of numbers,
hash the same in every process.

## Scenario
A distributed cache client shards keys across 10K nodes with
`hash(key) % len(nodes)`. Each web worker is a separate process with its own
hash seed, so each sends `user:42` to a different node: a value written by
one worker is looked for on another node by the next, and cache misses spike
as soon as more than one worker runs. The fix is a hash that is the same in
every process, such as `zlib.crc32` or `hashlib.blake2b`, or a
consistent-hashing library that also limits reshuffling when nodes change.

## Example
```python
import subprocess, sys

worker = """
NODES = ["cache-a", "cache-b", "cache-c", "cache-d"]

def node_for(key):
    return NODES[hash(key) % len(NODES)]

print(node_for("user:42"))
"""
# Each worker process starts with its own hash seed.
picked = {
    subprocess.run([sys.executable, "-c", worker], env={"PYTHONHASHSEED": str(seed)},
                   capture_output=True, text=True).stdout.strip()
    for seed in range(1, 9)
}
print("routes disagree:", len(picked) > 1)  # prints: routes disagree: True
```

## Use instead
```python
import subprocess, sys

worker = """
import zlib

NODES = ["cache-a", "cache-b", "cache-c", "cache-d"]

def node_for(key):
    return NODES[zlib.crc32(key.encode()) % len(NODES)]

print(node_for("user:42"))
"""
picked = {
    subprocess.run([sys.executable, "-c", worker], env={"PYTHONHASHSEED": str(seed)},
                   capture_output=True, text=True).stdout.strip()
    for seed in range(1, 9)
}
print("routes agree:", len(picked) == 1)  # prints: routes agree: True
```

## Fix
No automatic fix: any stable hash assigns keys to different nodes than the
current one does, so switching is a migration (and the right function
depends on the key type: `zlib.crc32(key.encode())` for strings,
`hashlib.blake2b(..., digest_size=8)` for a wider spread).

## References
- [Data model: `object.__hash__`](https://docs.python.org/3/reference/datamodel.html#object.__hash__) (hash randomization note)
- [`PYTHONHASHSEED`](https://docs.python.org/3/using/cmdline.html#envvar-PYTHONHASHSEED)
- [`zlib.crc32`](https://docs.python.org/3/library/zlib.html#zlib.crc32), [`hashlib.blake2b`](https://docs.python.org/3/library/hashlib.html#blake2)
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN404",
    name: "process-unstable-hash",
    group: Group::Hashing,
    severity: Severity::Warning,
    fix: FixAvailability::None,
    aliases: &[],
    docs: DOCS,
    check,
};

/// Words naming a destination in another process: (word, may start a
/// longer word, may end one).
const ROUTING: &[(&str, bool, bool)] = &[
    ("shard", true, true),
    ("partition", true, true),
    ("server", true, true),
    ("host", true, true),
    ("replica", true, true),
    ("cluster", true, true),
    ("backend", true, true),
    ("broker", true, true),
    ("endpoint", true, true),
    ("datacenter", true, true),
    ("node", true, false),
    ("vnode", true, false),
    ("peer", false, false),
    ("ring", false, false),
    ("hashring", false, false),
    ("region", false, false),
    ("machine", false, false),
];

/// Words naming storage that outlives the process.
const PERSISTED: &[(&str, bool, bool)] = &[
    ("file", true, true),
    ("path", true, true),
    ("disk", true, true),
    ("redis", true, true),
    ("memcache", true, true),
    ("database", true, true),
    ("directory", true, true),
    ("folder", true, true),
    ("persist", true, true),
    ("db", false, false),
    ("dir", false, false),
    ("dirname", false, false),
    ("etag", false, false),
];

/// Calls that write or send their arguments out of the process.
const SINKS: &[&str] = &[
    "dump",
    "dumps",
    "write",
    "writelines",
    "send",
    "sendall",
    "sendto",
    "publish",
    "execute",
    "executemany",
    "setex",
    "hset",
];

enum Use<'a> {
    Sink(&'a str),
    /// Reduced with `%`/`&`/`//`/`>>`, and/or turned into text.
    Derived {
        reduced: bool,
        text: bool,
    },
}

fn check(cx: &Checker) {
    if util::hash_is_shadowed(cx) {
        return;
    }
    let module = cx.module;
    // Each scope's calls, with the function whose own code they are.
    let calls = module
        .scope
        .calls
        .iter()
        .chain(module.classes.iter().flat_map(|c| &c.scope.calls))
        .map(|&call| (call, None))
        .chain(
            module
                .functions
                .iter()
                .flat_map(|f| f.scope.calls.iter().map(move |&call| (call, Some(f)))),
        )
        .filter(|(call, _)| syntax::callee_name(cx.source, *call) == Some("hash"));
    for (call, function) in calls {
        if let Some(f) = function {
            let enclosing: Vec<&Function> =
                std::iter::successors(Some(f), |f| f.parent_function.map(|p| &module.functions[p]))
                    .collect();
            let in_hash = enclosing.iter().any(|f| f.name == "__hash__");
            let rebound = enclosing.iter().any(|e| {
                e.params.iter().any(|p| p.name == "hash")
                    || module.functions_named("hash").any(|n| {
                        n.parent_function
                            .is_some_and(|p| module.functions[p].node == e.node)
                    })
            });
            if in_hash || rebound {
                continue;
            }
        }
        check_call(cx, call, function);
    }
}

fn check_call(cx: &Checker, call: Node, function: Option<&Function>) {
    let source = cx.source;
    if syntax::callee_name(source, call) != Some("hash") {
        return;
    }
    let args = syntax::positional_args(call);
    let [arg] = args.as_slice() else { return };
    if is_int(cx, *arg, function) {
        return;
    }
    let shown = format!("hash({})", cx.text(*arg));
    let message = match value_use(cx, call) {
        Use::Sink(sink) => format!(
            "`{shown}` is passed to `{sink}()`, but the built-in `hash()` of str/bytes is salted per process (PYTHONHASHSEED): another process or a restart computes a different value; use `hashlib` or `zlib.crc32`"
        ),
        Use::Derived { reduced, text } if reduced || text => {
            let words = context_words(cx, call, *arg, function);
            let routing = words.iter().any(|w| matches_any(w, ROUTING));
            let persisted = words.iter().any(|w| matches_any(w, PERSISTED));
            if routing && reduced {
                format!(
                    "`{shown}` picks a shard, node or partition, but the built-in `hash()` of str/bytes is salted per process (PYTHONHASHSEED): other workers route the same key elsewhere; use `zlib.crc32`, `hashlib` or consistent hashing"
                )
            } else if persisted || routing {
                format!(
                    "`{shown}` is stored or sent out of the process, but the built-in `hash()` of str/bytes is salted per process (PYTHONHASHSEED): the next process computes a different value; use `hashlib` or `zlib.crc32`"
                )
            } else {
                return;
            }
        }
        Use::Derived { .. } => return,
    };
    cx.report(call, message);
}

/// Follow the hash value outwards through parentheses, `abs()`/`int()`,
/// arithmetic and string formatting.
fn value_use<'a>(cx: &Checker<'a>, call: Node<'a>) -> Use<'a> {
    let source = cx.source;
    let (mut reduced, mut text) = (false, false);
    let mut node = call;
    while let Some(parent) = node.parent() {
        match parent.kind() {
            "parenthesized_expression"
            | "unary_operator"
            | "interpolation"
            | "keyword_argument"
            | "pair"
            | "dictionary"
            | "list"
            | "tuple"
            | "set" => {}
            "string" | "concatenated_string" => text = true,
            "argument_list" => {
                let Some(outer) = parent.parent().filter(|c| c.kind() == "call") else {
                    break;
                };
                match syntax::callee_last(source, outer) {
                    Some("abs" | "int") => {}
                    Some("str" | "hex" | "format" | "repr") => text = true,
                    Some(sink) if SINKS.contains(&sink) => return Use::Sink(sink),
                    _ => break,
                }
                node = outer;
                continue;
            }
            "binary_operator" => {
                let op = parent
                    .child_by_field_name("operator")
                    .map(|o| cx.text(o))
                    .unwrap_or("");
                let left = parent.child_by_field_name("left") == Some(node);
                let string_left = parent.child_by_field_name("left").is_some_and(|l| {
                    matches!(
                        syntax::unparenthesize(l).kind(),
                        "string" | "concatenated_string"
                    )
                });
                match op {
                    "%" if string_left && !left => text = true,
                    "%" | "//" | ">>" if left => reduced = true,
                    "&" => reduced = true,
                    _ => {}
                }
            }
            _ => break,
        }
        node = parent;
    }
    Use::Derived { reduced, text }
}

/// An argument whose hash is the same in every process: an int literal,
/// `int(...)`/`len(...)`, or a parameter annotated `int`.
fn is_int(cx: &Checker, arg: Node, function: Option<&Function>) -> bool {
    let arg = syntax::unparenthesize(arg);
    match arg.kind() {
        "integer" => true,
        "call" => matches!(
            syntax::callee_name(cx.source, arg),
            Some("int" | "len" | "ord")
        ),
        "identifier" => function.is_some_and(|f| {
            f.params.iter().any(|p| {
                p.name == cx.text(arg) && p.annotation.is_some_and(|t| cx.text(t) == "int")
            })
        }),
        _ => false,
    }
}

/// The words of the statement around the call (without the hashed
/// argument itself), of the enclosing function's name and of its class.
fn context_words(cx: &Checker, call: Node, arg: Node, function: Option<&Function>) -> Vec<String> {
    let mut statement = call;
    while let Some(parent) = statement.parent() {
        if matches!(parent.kind(), "block" | "module") {
            break;
        }
        if is_compound(parent.kind()) {
            break;
        }
        statement = parent;
    }
    let mut words = Vec::new();
    for n in syntax::descendants(statement, true) {
        if arg.byte_range().contains(&n.start_byte()) {
            continue;
        }
        if matches!(n.kind(), "identifier" | "string_content") {
            split_words(cx.text(n), &mut words);
        }
    }
    if let Some(f) = function {
        split_words(f.name, &mut words);
        let class = f
            .outer
            .parent()
            .and_then(|body| body.parent())
            .filter(|c| c.kind() == "class_definition");
        if let Some(name) = class.and_then(|c| c.child_by_field_name("name")) {
            split_words(cx.text(name), &mut words);
        }
    }
    words
}

fn is_compound(kind: &str) -> bool {
    matches!(
        kind,
        "if_statement"
            | "elif_clause"
            | "else_clause"
            | "for_statement"
            | "while_statement"
            | "with_statement"
            | "try_statement"
            | "except_clause"
            | "finally_clause"
            | "match_statement"
            | "case_clause"
            | "function_definition"
            | "class_definition"
            | "decorated_definition"
    )
}

/// `getShardFor_key` -> `get`, `shard`, `for`, `key`.
fn split_words(text: &str, out: &mut Vec<String>) {
    let mut current = String::new();
    let mut prev_lower = false;
    for c in text.chars() {
        if !c.is_alphanumeric() || c.is_ascii_digit() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        prev_lower = c.is_lowercase();
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        out.push(current);
    }
}

fn matches_any(word: &str, list: &[(&str, bool, bool)]) -> bool {
    list.iter().any(|(kw, prefix, suffix)| {
        word == *kw
            || word
                .strip_prefix(kw)
                .is_some_and(|rest| matches!(rest, "s" | "es"))
            || *prefix && word.starts_with(kw)
            || *suffix && word.ends_with(kw)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_identifiers_into_words() {
        let mut w = Vec::new();
        split_words("getShardFor_key2x", &mut w);
        assert_eq!(w, ["get", "shard", "for", "key", "x"]);
        assert!(matches_any("gethashfile", PERSISTED));
        assert!(matches_any("nodes", ROUTING));
        assert!(!matches_any("string", ROUTING));
        assert!(!matches_any("direction", PERSISTED));
    }
}
