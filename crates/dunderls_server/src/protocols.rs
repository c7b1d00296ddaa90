//! The protocol card shown when hovering a class name: which of Python's
//! protocols the class implements, which only partly and what is missing,
//! counting what it inherits from resolvable bases.
//!
//! A pure function of the module's facts (`protocol_card`), so it is
//! tested without a server.

use std::collections::BTreeSet;

use dunderls_linter::hierarchy::{self, Ancestor, Ancestry};
use dunderls_linter::ClassIndex;
use dunderls_python::{syntax, Class, Module};

use crate::knowledge;

/// Where a special method of the class comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Origin {
    Own,
    /// A user class in the hierarchy.
    Base(String),
    /// A builtin/stdlib base (`dict`, `collections.UserList`, ...).
    Builtin(String),
    /// A mixin method of a collections.abc base.
    Abc(String),
}

impl Origin {
    fn note(&self) -> String {
        match self {
            Origin::Own => String::new(),
            Origin::Base(b) => format!(" (inherited from `{b}`)"),
            Origin::Builtin(b) => format!(" (from `{b}`)"),
            Origin::Abc(a) => format!(" (mixin from `collections.abc.{a}`)"),
        }
    }
}

/// Dunders builtin bases provide (enough for the card's questions).
fn builtin_provides(name: &str) -> &'static [&'static str] {
    let bare = name.rsplit('.').next().unwrap_or(name);
    const MAPPING: &[&str] = &[
        "__getitem__",
        "__setitem__",
        "__delitem__",
        "__len__",
        "__iter__",
        "__contains__",
        "__eq__",
        "__reversed__",
    ];
    const SEQUENCE: &[&str] = &[
        "__getitem__",
        "__setitem__",
        "__delitem__",
        "__len__",
        "__iter__",
        "__contains__",
        "__eq__",
        "__reversed__",
        "__add__",
        "__iadd__",
        "__mul__",
        "__rmul__",
        "__imul__",
        "__lt__",
        "__le__",
        "__gt__",
        "__ge__",
    ];
    const FROZEN_SEQUENCE: &[&str] = &[
        "__getitem__",
        "__len__",
        "__iter__",
        "__contains__",
        "__eq__",
        "__hash__",
        "__add__",
        "__mul__",
        "__rmul__",
        "__lt__",
        "__le__",
        "__gt__",
        "__ge__",
    ];
    const SET: &[&str] = &[
        "__len__",
        "__iter__",
        "__contains__",
        "__eq__",
        "__le__",
        "__lt__",
        "__ge__",
        "__gt__",
    ];
    const NUMBER: &[&str] = &[
        "__eq__",
        "__hash__",
        "__lt__",
        "__le__",
        "__gt__",
        "__ge__",
        "__add__",
        "__radd__",
        "__sub__",
        "__rsub__",
        "__mul__",
        "__rmul__",
        "__truediv__",
        "__rtruediv__",
        "__neg__",
        "__abs__",
        "__bool__",
    ];
    match bare {
        "dict" | "UserDict" | "OrderedDict" | "defaultdict" | "Counter" | "ChainMap" => MAPPING,
        "list" | "UserList" | "deque" | "bytearray" => SEQUENCE,
        "tuple" | "str" | "bytes" | "UserString" | "NamedTuple" | "range" => FROZEN_SEQUENCE,
        "set" | "frozenset" => SET,
        "int" | "float" | "complex" | "bool" | "IntEnum" | "IntFlag" => NUMBER,
        _ => &[],
    }
}

/// Builtins whose instances are unhashable.
fn builtin_unhashable(name: &str) -> bool {
    let bare = name.rsplit('.').next().unwrap_or(name);
    matches!(
        bare,
        "dict"
            | "list"
            | "set"
            | "bytearray"
            | "UserDict"
            | "UserList"
            | "OrderedDict"
            | "defaultdict"
            | "Counter"
            | "deque"
            | "ChainMap"
    )
}

struct Facts<'m> {
    own_methods: Vec<&'m str>,
    /// Class-level assignments: name -> value text.
    own_attrs: Vec<(&'m str, String)>,
    ancestry: Ancestry,
}

impl Facts<'_> {
    fn origin(&self, name: &str) -> Option<Origin> {
        if self.own_methods.contains(&name) || self.own_attrs.iter().any(|(n, _)| *n == name) {
            return Some(Origin::Own);
        }
        for anc in &self.ancestry.ancestors {
            match anc {
                Ancestor::Class(c) if c.defines(name) => return Some(Origin::Base(c.name.clone())),
                Ancestor::Builtin(b) if builtin_provides(b).contains(&name) => {
                    return Some(Origin::Builtin(b.clone()))
                }
                Ancestor::Abc(a) if a.mixin_methods.contains(&name) => {
                    return Some(Origin::Abc(a.name.to_string()))
                }
                _ => {}
            }
        }
        None
    }

    fn has(&self, name: &str) -> bool {
        self.origin(name).is_some()
    }

    fn own_attr(&self, name: &str) -> Option<&str> {
        self.own_attrs
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    fn unknown_bases(&self) -> Vec<&str> {
        self.ancestry
            .ancestors
            .iter()
            .filter_map(|a| match a {
                Ancestor::Unknown(n) => Some(n.as_str()),
                _ => None,
            })
            .collect()
    }
}

fn code_list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A dataclass decorator's effect on `__hash__`, if the class has one.
fn dataclass_hash(module: &Module, class: &Class) -> Option<String> {
    let deco = class
        .decorators
        .iter()
        .find(|d| syntax::name_matches(d.name, "dataclasses.dataclass"))?;
    let flag = |key: &str| {
        deco.keywords
            .iter()
            .find(|k| k.name == key)
            .map(|k| module.text(k.value) == "True")
    };
    let eq = flag("eq").unwrap_or(true);
    let frozen = flag("frozen").unwrap_or(false);
    let unsafe_hash = flag("unsafe_hash").unwrap_or(false);
    Some(if unsafe_hash {
        "✅ **Hashable**: `@dataclass(unsafe_hash=True)` generates `__hash__` from the fields (only safe if they never change)".into()
    } else if eq && frozen {
        "✅ **Hashable**: `@dataclass(frozen=True)` generates `__hash__` from the fields".into()
    } else if eq {
        "❌ **Hashable**: no. `@dataclass` generates `__eq__` and, without `frozen=True`, sets `__hash__ = None`".into()
    } else {
        return None;
    })
}

fn hashability(module: &Module, class: &Class, f: &Facts) -> String {
    if let Some(v) = f.own_attr("__hash__") {
        return if v.trim() == "None" {
            "❌ **Hashable**: no, `__hash__ = None` says so explicitly".into()
        } else {
            format!("✅ **Hashable**: `__hash__ = {v}`")
        };
    }
    if f.own_methods.contains(&"__hash__") {
        let eq = if f.has("__eq__") {
            ""
        } else {
            " (but equality is still identity: no `__eq__`)"
        };
        return format!("✅ **Hashable**: custom `__hash__`{eq}");
    }
    if let Some(line) = dataclass_hash(module, class) {
        return line;
    }
    if f.own_methods.contains(&"__eq__") {
        return format!(
            "❌ **Hashable**: no. It defines `__eq__` without `__hash__`, so Python sets `__hash__ = None`: \
             using an instance as a dict key or set member raises `TypeError: unhashable type: '{}'`",
            class.name
        );
    }
    // The nearest ancestor that decides.
    for anc in &f.ancestry.ancestors {
        match anc {
            Ancestor::Class(c) => {
                if let Some((_, v)) = c.attributes.iter().find(|(n, _)| n == "__hash__") {
                    return if v.trim() == "None" {
                        format!("❌ **Hashable**: no, `{}` sets `__hash__ = None`", c.name)
                    } else {
                        format!("✅ **Hashable**: `__hash__` inherited from `{}`", c.name)
                    };
                }
                if c.methods.iter().any(|m| m == "__hash__") {
                    return format!("✅ **Hashable**: `__hash__` inherited from `{}`", c.name);
                }
                if c.methods.iter().any(|m| m == "__eq__") {
                    return format!(
                        "❌ **Hashable**: no. `{}` defines `__eq__` without `__hash__`, so its `__hash__` is None and this class inherits that",
                        c.name
                    );
                }
            }
            Ancestor::Builtin(b) if builtin_unhashable(b) => {
                return format!("❌ **Hashable**: no, inherited from `{b}` (mutable builtin)");
            }
            Ancestor::Builtin(b) if builtin_provides(b).contains(&"__hash__") => {
                return format!("✅ **Hashable**: inherited from `{b}`");
            }
            Ancestor::Unknown(u) => {
                return format!("❔ **Hashable**: depends on the unresolved base `{u}`");
            }
            _ => {}
        }
    }
    "✅ **Hashable**: by identity (`object.__hash__`); equality is identity too".into()
}

fn status_line(ok: bool, partial: bool, title: &str, text: String) -> String {
    let mark = if ok {
        "✅"
    } else if partial {
        "⚠️"
    } else {
        "❌"
    };
    format!("{mark} **{title}**: {text}")
}

/// Which of `<`, `<=`, `>`, `>=` work between two instances.
fn ordering(f: &Facts, total_ordering: bool) -> Option<String> {
    let ops = [
        ("__lt__", "<", "__gt__"),
        ("__le__", "<=", "__ge__"),
        ("__gt__", ">", "__lt__"),
        ("__ge__", ">=", "__le__"),
    ];
    let defined: Vec<&str> = ops
        .iter()
        .map(|(m, _, _)| *m)
        .filter(|m| f.has(m))
        .collect();
    if defined.is_empty() {
        return None;
    }
    if total_ordering {
        return Some(status_line(
            true,
            false,
            "Ordering",
            format!(
                "complete via `@functools.total_ordering` (from {})",
                code_list(&defined)
            ),
        ));
    }
    if defined.len() == 4 {
        return Some(status_line(
            true,
            false,
            "Ordering",
            "all of `<`, `<=`, `>`, `>=`".into(),
        ));
    }
    let failing: Vec<&str> = ops
        .iter()
        .filter(|(m, _, mirror)| !f.has(m) && !f.has(mirror))
        .map(|(_, op, _)| *op)
        .collect();
    let missing: Vec<&str> = ops
        .iter()
        .map(|(m, _, _)| *m)
        .filter(|m| !f.has(m))
        .collect();
    let text = if failing.is_empty() {
        format!(
            "{} defined; the rest work through reflection between two instances, but not against other types. Missing: {}",
            code_list(&defined),
            code_list(&missing)
        )
    } else {
        format!(
            "partial: {} defined; {} raise `TypeError: '{}' not supported between instances`. Add {} or `@functools.total_ordering`",
            code_list(&defined),
            failing.iter().map(|o| format!("`{o}`")).collect::<Vec<_>>().join(", "),
            failing[0],
            code_list(&missing)
        )
    };
    Some(status_line(failing.is_empty(), true, "Ordering", text))
}

/// The card, in Markdown.
pub fn protocol_card(
    module: &Module,
    module_name: &str,
    class: &Class,
    index: &dyn ClassIndex,
) -> String {
    let facts = Facts {
        own_methods: module.methods(class).map(|f| f.name).collect(),
        own_attrs: class
            .attributes
            .iter()
            .map(|a| {
                (
                    a.name,
                    a.value
                        .map(|v| module.text(v).to_string())
                        .unwrap_or_default(),
                )
            })
            .collect(),
        ancestry: hierarchy::ancestry(module, module_name, class, index),
    };
    let f = &facts;
    let bases: Vec<&str> = class.bases.iter().map(|b| module.text(b.node)).collect();
    let mut out = if bases.is_empty() {
        format!("```python\nclass {}\n```\n", class.name)
    } else {
        format!(
            "```python\nclass {}({})\n```\n",
            class.name,
            bases.join(", ")
        )
    };
    out.push_str("**Protocols**\n\n");
    let mut lines: Vec<String> = Vec::new();
    let has = |n: &str| f.has(n);
    let from = |n: &str| f.origin(n).map(|o| o.note()).unwrap_or_default();

    lines.push(hashability(module, class, f));
    if has("__eq__") {
        lines.push(format!("✅ **Equality**: `__eq__`{}", from("__eq__")));
    }
    // Size, truth, iteration, containers.
    if has("__len__") {
        let truth = if has("__bool__") {
            ""
        } else {
            "; truth value follows `len()`"
        };
        lines.push(format!("✅ **Sized**: `len(x)`{}{truth}", from("__len__")));
    }
    if has("__bool__") {
        lines.push(format!(
            "✅ **Truth value**: `__bool__`{}",
            from("__bool__")
        ));
    }
    let iterable = has("__iter__");
    if iterable {
        lines.push(format!("✅ **Iterable**: `__iter__`{}", from("__iter__")));
    } else if has("__getitem__") {
        lines.push(
            "⚠️ **Iterable**: only through the legacy sequence protocol (`__getitem__` with 0, 1, 2... until `IndexError`); a mapping-style `__getitem__` raising `KeyError` breaks `for` loops. Define `__iter__`".into(),
        );
    }
    if has("__next__") {
        if iterable {
            lines.push(
                "✅ **Iterator**: `__iter__` and `__next__` (make `__iter__` return `self`)".into(),
            );
        } else {
            lines.push(format!(
                "⚠️ **Iterator**: partial: `__next__` without `__iter__`, so `for x in obj` raises `TypeError: '{}' object is not iterable`",
                class.name
            ));
        }
    }
    if has("__contains__") {
        lines.push(format!(
            "✅ **Container**: `in` via `__contains__`{}",
            from("__contains__")
        ));
    } else if iterable || has("__getitem__") {
        lines.push("ℹ️ **Container**: `in` falls back to iterating (a linear scan); define `__contains__` for a fast test".into());
    }
    if has("__getitem__") {
        let mapping_like = has("keys")
            || f.ancestry
                .builtins()
                .any(|b| builtin_provides(b) == builtin_provides("dict"))
            || f.ancestry.abcs().any(|a| a.name.contains("Mapping"));
        let (title, needed): (&str, &[&str]) = if mapping_like {
            ("Mapping", &["__getitem__", "__len__", "__iter__"])
        } else {
            ("Sequence", &["__getitem__", "__len__"])
        };
        let missing: Vec<&str> = needed.iter().copied().filter(|n| !has(n)).collect();
        let mutable: Vec<&str> = ["__setitem__", "__delitem__"]
            .into_iter()
            .filter(|n| has(n))
            .collect();
        let mutability = if mutable.is_empty() {
            "read-only".to_string()
        } else {
            format!("mutable ({})", code_list(&mutable))
        };
        if missing.is_empty() {
            lines.push(format!("✅ **{title}-like**: {mutability}"));
        } else {
            lines.push(format!(
                "⚠️ **{title}-like**: partial, {mutability}; missing {} (or derive from `collections.abc.{title}` to get the rest)",
                code_list(&missing)
            ));
        }
    } else if has("__setitem__") {
        lines.push("⚠️ **Container**: `__setitem__` without `__getitem__`: items can be stored but not read back with `x[key]`".into());
    }
    // Abstract methods still to implement.
    for abc in f.ancestry.abcs() {
        if let Some((name, abstract_methods)) = knowledge::abc_abstract_methods(abc.name) {
            let missing: Vec<&str> = abstract_methods
                .iter()
                .copied()
                .filter(|m| !f.own_methods.contains(m) && !f.ancestry.user_class_defines(m))
                .collect();
            if missing.is_empty() {
                lines.push(format!(
                    "✅ **`collections.abc.{name}`**: all abstract methods implemented"
                ));
            } else {
                lines.push(format!(
                    "❌ **`collections.abc.{name}`**: abstract {} not implemented: instantiating raises `TypeError: Can't instantiate abstract class {}`",
                    code_list(&missing),
                    class.name
                ));
            }
        }
    }
    // Context managers.
    for (enter, exit, title, stmt) in [
        ("__enter__", "__exit__", "Context manager", "with"),
        (
            "__aenter__",
            "__aexit__",
            "Async context manager",
            "async with",
        ),
    ] {
        match (has(enter), has(exit)) {
            (true, true) => lines.push(format!("✅ **{title}**: `{stmt}` via `{enter}`/`{exit}`")),
            (true, false) | (false, true) => {
                let (present, missing) = if has(enter) {
                    (enter, exit)
                } else {
                    (exit, enter)
                };
                lines.push(format!(
                    "❌ **{title}**: partial: `{present}` without `{missing}`, so `{stmt}` raises `TypeError: '{}' object does not support the {}context manager protocol`",
                    class.name,
                    if stmt == "with" { "" } else { "asynchronous " }
                ));
            }
            _ => {}
        }
    }
    // Descriptors.
    let get = has("__get__");
    let set = has("__set__") || has("__delete__");
    if get || set {
        let kind = if set {
            "data descriptor (`__set__`/`__delete__`): it takes precedence over the instance `__dict__`"
        } else {
            "non-data descriptor (`__get__` only): a value in the instance `__dict__` shadows it"
        };
        let name_note = if has("__set_name__") {
            "; learns its attribute name via `__set_name__`"
        } else {
            ""
        };
        let get_note = if get {
            ""
        } else {
            "; without `__get__`, reading the attribute returns the descriptor object itself"
        };
        lines.push(format!("✅ **Descriptor**: {kind}{name_note}{get_note}"));
    }
    if let Some(line) = ordering(
        f,
        class
            .decorators
            .iter()
            .any(|d| syntax::name_matches(d.name, "functools.total_ordering")),
    ) {
        lines.push(line);
    }
    // Numeric operators with their reflected twins.
    let mut numeric = Vec::new();
    let mut missing_reflected = Vec::new();
    for info in knowledge::all().iter().filter(|i| i.numeric) {
        let Some(reflected) = info.reflected else {
            continue;
        };
        if !has(info.name) {
            continue;
        }
        if has(reflected) {
            numeric.push(format!("`{}` + `{reflected}`", info.name));
        } else {
            numeric.push(format!("`{}`", info.name));
            missing_reflected.push((info.name, reflected, info.trigger));
        }
    }
    let reflected_only: Vec<&str> = knowledge::all()
        .iter()
        .filter(|i| {
            i.numeric
                && i.forward.is_some()
                && i.reflected.is_none()
                && i.inplace.is_none()
                && has(i.name)
        })
        .filter(|i| i.forward.is_some_and(|fwd| !has(fwd)))
        .map(|i| i.name)
        .collect();
    if !numeric.is_empty() {
        if missing_reflected.is_empty() {
            lines.push(format!(
                "✅ **Numeric**: {} (with reflected operands)",
                numeric.join(", ")
            ));
        } else {
            let missing: Vec<String> = missing_reflected
                .iter()
                .map(|(_, r, _)| format!("`{r}`"))
                .collect();
            lines.push(format!(
                "⚠️ **Numeric**: {}; no reflected {}: `2 {} x`-style expressions (and `sum()` for `__add__`) raise TypeError when the left operand does not know this type",
                numeric.join(", "),
                missing.join(", "),
                symbol(missing_reflected[0].0)
            ));
        }
    }
    if !reflected_only.is_empty() {
        lines.push(format!(
            "ℹ️ **Numeric**: reflected {} without the forward method",
            code_list(&reflected_only)
        ));
    }
    if has("__call__") {
        lines.push(format!("✅ **Callable**: `x(...)`{}", from("__call__")));
    }
    if has("__await__") {
        lines.push("✅ **Awaitable**: `await x`".into());
    }
    match (has("__aiter__"), has("__anext__")) {
        (true, true) => lines.push("✅ **Async iterator**: `__aiter__` and `__anext__`".into()),
        (true, false) => lines.push("✅ **Async iterable**: `async for` via `__aiter__`".into()),
        (false, true) => lines.push(
            "⚠️ **Async iterator**: partial: `__anext__` without `__aiter__`, so `async for` fails"
                .into(),
        ),
        _ => {}
    }
    let hooks: Vec<&str> = [
        "__getattr__",
        "__getattribute__",
        "__setattr__",
        "__delattr__",
    ]
    .into_iter()
    .filter(|n| has(n))
    .collect();
    if !hooks.is_empty() {
        lines.push(format!("ℹ️ **Attribute hooks**: {}", code_list(&hooks)));
    }
    if let Some(slots) = &class.slots {
        let text = match &slots.names {
            Some(names) if names.iter().any(|(n, _)| n == "__dict__") => {
                "declared, with `__dict__`".to_string()
            }
            Some(names) => format!(
                "{}: instances have no `__dict__`",
                code_list(&names.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>())
            ),
            None => "computed dynamically".to_string(),
        };
        lines.push(format!("ℹ️ **`__slots__`**: {text}"));
    }
    let repr: Vec<&str> = ["__repr__", "__str__"]
        .into_iter()
        .filter(|n| has(n))
        .collect();
    if !repr.is_empty() {
        lines.push(format!("ℹ️ **Representation**: {}", code_list(&repr)));
    }
    for line in lines {
        out.push_str("- ");
        out.push_str(&line);
        out.push('\n');
    }
    let unknown = f.unknown_bases();
    if !unknown.is_empty() {
        let set: BTreeSet<&str> = unknown.into_iter().collect();
        out.push_str(&format!(
            "\n_Unresolved bases: {}. They may provide more of these methods._\n",
            set.into_iter()
                .map(|u| format!("`{u}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    out
}

fn symbol(method: &str) -> &'static str {
    match method {
        "__add__" => "+",
        "__sub__" => "-",
        "__mul__" => "*",
        "__truediv__" => "/",
        "__floordiv__" => "//",
        "__mod__" => "%",
        "__pow__" => "**",
        "__matmul__" => "@",
        "__and__" => "&",
        "__or__" => "|",
        "__xor__" => "^",
        "__lshift__" => "<<",
        "__rshift__" => ">>",
        _ => "<op>",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dunderls_linter::NoIndex;

    fn card(source: &str, name: &str) -> String {
        let tree = dunderls_python::parse(source, None);
        let module = Module::build(source, &tree);
        let class = module.class_named(name).expect("class");
        protocol_card(&module, "", class, &NoIndex)
    }

    #[test]
    fn eq_without_hash_is_unhashable_and_says_why() {
        let c = card(
            "class P:\n    def __eq__(self, o):\n        return True\n",
            "P",
        );
        assert!(
            c.contains("❌ **Hashable**: no. It defines `__eq__` without `__hash__`"),
            "{c}"
        );
        assert!(c.contains("unhashable type: 'P'"), "{c}");
        let c = card(
            "class P:\n    def __eq__(self, o):\n        return True\n    __hash__ = None\n",
            "P",
        );
        assert!(c.contains("explicitly"), "{c}");
        let c = card("class P:\n    def __eq__(self, o):\n        return True\n    def __hash__(self):\n        return 1\n", "P");
        assert!(c.contains("✅ **Hashable**: custom `__hash__`"), "{c}");
    }

    #[test]
    fn inheritance_decides_hashability() {
        let src = "class A:\n    def __eq__(self, o):\n        return True\nclass B(A):\n    pass\nclass C(dict):\n    pass\nclass D(Unknown):\n    pass\n";
        assert!(
            card(src, "B").contains("`A` defines `__eq__` without `__hash__`"),
            "{}",
            card(src, "B")
        );
        assert!(card(src, "C").contains("inherited from `dict`"));
        let d = card(src, "D");
        assert!(
            d.contains("unresolved base `Unknown`") && d.contains("_Unresolved bases"),
            "{d}"
        );
        let e = card("class E:\n    pass\n", "E");
        assert!(e.contains("by identity"), "{e}");
    }

    #[test]
    fn partial_protocols_list_what_is_missing() {
        let src = "class W:\n    def __enter__(self):\n        return self\n    def __next__(self):\n        return 1\n    def __lt__(self, o):\n        return True\n    def __add__(self, o):\n        return self\n    def __getitem__(self, i):\n        return i\n";
        let c = card(src, "W");
        assert!(c.contains("`__enter__` without `__exit__`"), "{c}");
        assert!(c.contains("`__next__` without `__iter__`"), "{c}");
        assert!(c.contains("`<=`, `>=` raise"), "{c}");
        assert!(c.contains("no reflected `__radd__`"), "{c}");
        assert!(c.contains("legacy sequence protocol"), "{c}");
        assert!(c.contains("missing `__len__`"), "{c}");
    }

    #[test]
    fn complete_protocols() {
        let src = "import functools\nclass M:\n    def __getitem__(self, k):\n        return k\n    def __len__(self):\n        return 0\n    def __iter__(self):\n        return iter(())\n    def keys(self):\n        return []\n    def __exit__(self, *a):\n        pass\n    def __enter__(self):\n        return self\n    def __get__(self, i, o=None):\n        return self\n    def __call__(self):\n        pass\n@functools.total_ordering\nclass O:\n    def __lt__(self, o):\n        return True\n    def __eq__(self, o):\n        return True\n";
        let c = card(src, "M");
        assert!(c.contains("✅ **Mapping-like**: read-only"), "{c}");
        assert!(c.contains("✅ **Context manager**"), "{c}");
        assert!(c.contains("non-data descriptor"), "{c}");
        assert!(c.contains("✅ **Callable**"), "{c}");
        assert!(c.contains("✅ **Sized**"), "{c}");
        let o = card(src, "O");
        assert!(
            o.contains("complete via `@functools.total_ordering`"),
            "{o}"
        );
    }

    #[test]
    fn dataclass_and_abc() {
        let src = "from dataclasses import dataclass\nfrom collections.abc import Mapping\n@dataclass\nclass D:\n    x: int\n@dataclass(frozen=True)\nclass F:\n    x: int\nclass M(Mapping):\n    def __getitem__(self, k):\n        return k\n";
        assert!(
            card(src, "D").contains("sets `__hash__ = None`"),
            "{}",
            card(src, "D")
        );
        assert!(card(src, "F").contains("frozen=True"));
        let m = card(src, "M");
        assert!(
            m.contains("abstract `__iter__`, `__len__` not implemented"),
            "{m}"
        );
    }
}
