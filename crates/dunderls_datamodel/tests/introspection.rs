//! Compares the crate's tables with what the installed CPython reports
//! (`tools/introspect.py`): arities of the special methods Python's own
//! classes implement, the ABCs' abstract/mixin methods, the typing aliases,
//! the builtin base classes, and the documentation anchors.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use dunderls_datamodel::{abc, abcs, builtin_bases, special_methods, Arity};
use serde_json::{json, Value};

/// Methods whose builtin implementations accept more than Python passes, and
/// why the table is still right.
const WIDER_BUILTINS: &[(&str, &str)] = &[(
    "__get__",
    "builtin descriptors make `owner` optional for direct calls; attribute lookup always passes it",
)];

/// Anchors that exist in the current docs (checked in CPython's Doc/ sources)
/// but not in the 3.11 HTML, with the 3.11 page#id that documents the same
/// thing.
const NEWER_ANCHORS: &[(&str, &str)] = &[
    (
        "https://docs.python.org/3/reference/datamodel.html#object.__mro_entries__",
        "https://docs.python.org/3/reference/datamodel.html#resolving-mro-entries",
    ),
    (
        "https://docs.python.org/3/reference/datamodel.html#type.__instancecheck__",
        "https://docs.python.org/3/reference/datamodel.html#class.__instancecheck__",
    ),
    (
        "https://docs.python.org/3/reference/datamodel.html#type.__subclasscheck__",
        "https://docs.python.org/3/reference/datamodel.html#class.__subclasscheck__",
    ),
    (
        "https://docs.python.org/3/reference/datamodel.html#object.__dict__",
        "https://docs.python.org/3/library/stdtypes.html#object.__dict__",
    ),
    (
        "https://docs.python.org/3/reference/datamodel.html#object.__buffer__",
        "",
    ),
    (
        "https://docs.python.org/3/reference/datamodel.html#object.__release_buffer__",
        "",
    ),
    (
        "https://docs.python.org/3/library/copy.html#object.__copy__",
        "https://docs.python.org/3/library/copy.html#module-copy",
    ),
    (
        "https://docs.python.org/3/library/copy.html#object.__deepcopy__",
        "https://docs.python.org/3/library/copy.html#module-copy",
    ),
    (
        "https://docs.python.org/3/library/copy.html#object.__replace__",
        "",
    ),
];

/// Data-model methods whose section is not among `pydoc_data.topics` (used
/// only when the HTML docs are not installed).
const NOT_IN_PYDOC_TOPICS: &[&str] = &["__await__"]; // "Coroutines" has no topic

fn facts() -> &'static Value {
    static FACTS: OnceLock<Value> = OnceLock::new();
    FACTS.get_or_init(|| {
        let mut urls: Vec<Value> = special_methods()
            .iter()
            .map(|m| json!({"name": m.name, "url": m.docs_url()}))
            .collect();
        for (_, older) in NEWER_ANCHORS.iter().filter(|(_, o)| !o.is_empty()) {
            urls.push(json!({"name": "", "url": older}));
        }
        let request = json!({
            "methods": urls,
            "builtins": builtin_bases().iter().map(|b| b.qualified_name()).collect::<Vec<_>>(),
        });
        let script = common::crate_dir().join("tools/introspect.py");
        let mut child = Command::new(common::python())
            .arg(&script)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run tools/introspect.py");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(request.to_string().as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "tools/introspect.py failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("introspect.py prints JSON")
    })
}

fn python_version() -> (u8, u8) {
    let v = &facts()["version"];
    (v[0].as_u64().unwrap() as u8, v[1].as_u64().unwrap() as u8)
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("expected a list, got {v}"))
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

fn sorted(items: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = items.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

#[test]
fn arities_match_the_builtin_implementations() {
    let sigs = &facts()["signatures"];
    let mut problems = Vec::new();
    let mut compared = 0;
    for m in special_methods() {
        let Some(sig) = sigs.get(m.name) else {
            continue;
        };
        compared += 1;
        let required = sig["required"].as_u64().unwrap() as u8;
        let max = sig["max"].as_u64().map(|v| v as u8);
        let owner = sig["owner"].as_str().unwrap();
        // The builtin must accept every call Python makes ...
        if !m.arity.fits_all(required, max) {
            problems.push(format!(
                "{}: table says Python passes {:?}, but {owner}.{} takes {required}..{max:?}",
                m.name, m.arity, m.name
            ));
        }
        // ... and, unless it takes *args or is known to be wider, exactly those.
        let exact = Arity {
            min: required,
            max: max.unwrap_or(Arity::VARIADIC),
        };
        let wider_ok = WIDER_BUILTINS.iter().any(|(n, _)| *n == m.name);
        if max.is_some() && !wider_ok && exact != m.arity {
            problems.push(format!(
                "{}: table {:?} but {owner}.{} is exactly {exact:?}",
                m.name, m.arity, m.name
            ));
        }
    }
    assert!(
        compared >= 90,
        "only {compared} signatures compared: probe broken?"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn abcs_match_collections_abc() {
    let py = facts()["abcs"].as_object().unwrap();
    let version = python_version();
    let mut problems = Vec::new();
    for a in abcs() {
        let present = py.get(a.name);
        match (a.since, present) {
            (Some(since), Some(_)) if since > version => {
                problems.push(format!("{} exists before {since:?}", a.name))
            }
            (Some(since), None) if since > version => continue,
            (_, None) => {
                problems.push(format!("{} is missing from Python {version:?}", a.name));
                continue;
            }
            _ => {}
        }
        let p = present.unwrap();
        let checks = [
            (
                "abstract",
                sorted(a.abstract_methods),
                strings(&p["abstract"]),
            ),
            ("mixins", sorted(a.mixin_methods), strings(&p["mixins"])),
            ("blocked", sorted(a.blocked), strings(&p["blocked"])),
            (
                "bases",
                a.bases.iter().map(|s| s.to_string()).collect(),
                strings(&p["bases"]),
            ),
        ];
        for (what, ours, theirs) in checks {
            if ours != theirs {
                problems.push(format!(
                    "{} {what}: table {ours:?}, Python {theirs:?}",
                    a.name
                ));
            }
        }
        if p["module"].as_str() != Some(a.module) {
            problems.push(format!(
                "{}: module {} vs {}",
                a.name, a.module, p["module"]
            ));
        }
    }
    for name in py.keys() {
        if abc(name).is_none() {
            problems.push(format!("Python has ABC {name}, the table does not"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn typing_aliases_resolve_to_their_abcs() {
    let aliases = facts()["typing_aliases"].as_object().unwrap();
    assert!(aliases.len() >= 20, "too few typing aliases found");
    for (alias, origin) in aliases {
        let found = abc(&format!("typing.{alias}"))
            .unwrap_or_else(|| panic!("typing.{alias} does not resolve"));
        assert_eq!(found.name, origin.as_str().unwrap(), "typing.{alias}");
    }
}

#[test]
fn builtin_bases_match_introspection() {
    let py = &facts()["builtins"];
    let mut problems = Vec::new();
    for b in builtin_bases() {
        let p = &py[b.qualified_name()];
        let flags = [
            ("hashable", b.hashable),
            ("instances_have_dict", b.instances_have_dict),
            ("instances_weakrefable", b.instances_weakrefable),
            ("subclass_weakrefable", b.subclass_weakrefable),
            ("nonempty_slots_allowed", b.nonempty_slots_allowed),
            ("consults_missing", b.consults_missing),
            ("is_exception", b.is_exception),
        ];
        for (field, ours) in flags {
            if p[field].as_bool() != Some(ours) {
                problems.push(format!(
                    "{}.{field}: table {ours}, Python {}",
                    b.name, p[field]
                ));
            }
        }
        if sorted(b.methods) != strings(&p["methods"]) {
            problems.push(format!(
                "{} methods: table {:?}, Python {:?}",
                b.name, b.methods, p["methods"]
            ));
        }
        if sorted(b.abcs) != strings(&p["abcs"]) {
            problems.push(format!(
                "{} abcs: table {:?}, Python {}",
                b.name, b.abcs, p["abcs"]
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn documentation_anchors_exist() {
    let anchors = &facts()["anchors"];
    let checks = &anchors["checks"];
    let docs_installed = !anchors["docs_dir"].is_null();
    let mut problems = Vec::new();
    let mut unverifiable = Vec::new();
    for m in special_methods() {
        let url = m.docs_url();
        if !url.starts_with("https://docs.python.org/3/") {
            unverifiable.push(url);
            continue;
        }
        let check = &checks[&url];
        if !docs_installed {
            // Fallback: the language reference text must at least discuss it.
            let datamodel = url.contains("/reference/datamodel.html");
            let exempt = m.since.is_some() || NOT_IN_PYDOC_TOPICS.contains(&m.name);
            if datamodel && !exempt && check["mentioned_in_reference"] != json!(true) {
                problems.push(format!("{}: not mentioned in pydoc_data.topics", m.name));
            }
            continue;
        }
        let target = match NEWER_ANCHORS.iter().find(|(new, _)| *new == url) {
            Some((_, "")) => continue, // documented only from 3.12/3.13 on
            Some((_, older)) => &checks[*older],
            None => check,
        };
        if target["page_found"] != json!(true) {
            problems.push(format!("{}: page of {url} not in the local docs", m.name));
        } else if target["id_found"] != json!(true) {
            problems.push(format!("{}: no id for {url}", m.name));
        }
    }
    if !docs_installed {
        eprintln!(
            "note: no local Python HTML docs (Debian: apt-get install python3.11-doc, or set \
             DUNDERLS_PYTHON_DOCS): anchors were checked against pydoc_data text only"
        );
    }
    eprintln!(
        "note: {} non-Python URLs (NumPy) cannot be checked offline",
        unverifiable.len()
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
