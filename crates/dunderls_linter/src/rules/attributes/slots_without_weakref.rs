use std::collections::HashMap;

use crate::rules::prelude::*;

use super::util::{self, Has};

const DOCS: &str = r#"
## What it does
Points out a class with a non-empty literal `__slots__` that lists no
`'__weakref__'` when no base provides one either, so its instances cannot
be weakly referenced. Bases that provide it: any class without
`__slots__` (user classes, `collections.OrderedDict`, enums, ...), a
slotted class that lists `'__weakref__'`, and `set`, `frozenset` and
`collections.deque`; `object`, ABCs, `Generic`/`Protocol`, exceptions and
most other builtins do not. The rule stays silent when a base cannot be
resolved, and for empty `__slots__ = ()` (the usual way to let subclasses
decide). The finding is a warning instead of a hint when the same file
makes weak references to the instances: `weakref.ref(self)`,
`weakref.proxy(self)`, `weakref.finalize(self, ...)` or
`weakref.WeakMethod(self.method)` in the class's methods, or one of these
applied to `ClassName(...)`.

## Why is this a problem
Weak references need a `__weakref__` slot in the instance. A class without
`__slots__` gets one automatically; a class with `__slots__` gets one only
when the slots (or a base) declare it. Otherwise `weakref.ref(obj)`,
`weakref.proxy(obj)`, `weakref.finalize(obj, ...)`, and putting the
instance in a `WeakSet`, a `WeakValueDictionary` (as a value) or a
`WeakKeyDictionary` (as a key) raise
`TypeError: cannot create weak reference to 'Handle' object`.

## Scenario
The ORM's identity map keeps loaded rows in a `WeakValueDictionary`, so
that rows nobody uses any more can be freed. After the row class gets
`__slots__` for memory, the first query that registers a row in the
identity map raises `TypeError`.

## Example
```python
import weakref

class Handle:
    __slots__ = ("fd",)

    def __init__(self, fd):
        self.fd = fd

identity_map = weakref.WeakValueDictionary()
identity_map[3] = Handle(3)  # raises: TypeError: cannot create weak reference to 'Handle' object
```

## Use instead
```python
import weakref

class Handle:
    __slots__ = ("fd", "__weakref__")

    def __init__(self, fd):
        self.fd = fd

identity_map = weakref.WeakValueDictionary()
h = Handle(3)
identity_map[3] = h
assert identity_map[3] is h
```

## Fix
Adds `'__weakref__'` to the `__slots__` literal. Safe when the file makes
weak references to the instances (the code fails without it); unsafe
otherwise, since it adds a pointer to every instance that may not be
wanted. The fix is never offered when a base already has the slot
(Python would reject a second one with `TypeError: __weakref__ slot
disallowed`).

## References
- [Data model: `__slots__`](https://docs.python.org/3/reference/datamodel.html#slots)
- [`weakref`](https://docs.python.org/3/library/weakref.html)
- Related: DUN116.
- Peers: none known.
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN115",
    name: "slots-without-weakref",
    group: Group::Attributes,
    severity: Severity::Information,
    fix: FixAvailability::Sometimes,
    aliases: &[],
    docs: DOCS,
    check,
};

const WEAKREF_MAKERS: &[&str] = &[
    "weakref.ref",
    "weakref.proxy",
    "weakref.finalize",
    "weakref.WeakMethod",
];

fn check(cx: &Checker) {
    let built_refs = std::cell::OnceCell::new();
    for class in &cx.module.classes {
        let Some(slots) = class.slots.as_ref() else {
            continue;
        };
        if slots.names.as_ref().is_none_or(|n| n.is_empty()) {
            continue;
        }
        let Some(layout) = util::slotted_layout(cx, class) else {
            continue;
        };
        if layout.weakref != Has::No || layout.variable_size {
            continue;
        }
        let target = util::slots_target(slots);
        let used = weakref_use(cx, class, built_refs.get_or_init(|| weakrefs_to_new(cx)));
        let (severity, message) = match &used {
            Some(use_site) => (
                Some(Severity::Warning),
                format!(
                    "`{}.__slots__` has no `'__weakref__'` and no base provides it, but {use_site} makes weak references to its instances: TypeError",
                    class.name
                ),
            ),
            None => (
                None,
                format!(
                    "`{}.__slots__` has no `'__weakref__'` and no base provides it: instances cannot be weakly referenced (`weakref.ref()` raises TypeError)",
                    class.name
                ),
            ),
        };
        let fix = util::add_slot_edit(cx.source, slots, "__weakref__").map(|edit| {
            let title = "Add `'__weakref__'` to `__slots__`";
            if used.is_some() {
                Fix::safe(title, vec![edit])
            } else {
                Fix::unsafe_(title, vec![edit])
            }
        });
        cx.report_at(target.byte_range(), message, severity, fix);
    }
}

fn is_weakref_maker(cx: &Checker, call: Node) -> bool {
    syntax::callee_name(cx.source, call)
        .is_some_and(|n| WEAKREF_MAKERS.contains(&cx.module.qualified_name(n).as_str()))
}

/// `weakref.ref(C(...))` anywhere in the file: the first such call for each
/// callee name `C`.
fn weakrefs_to_new<'a>(cx: &Checker<'a>) -> HashMap<&'a str, Node<'a>> {
    let mut out = HashMap::new();
    let scopes = std::iter::once(&cx.module.scope)
        .chain(cx.module.functions.iter().map(|f| &f.scope))
        .chain(cx.module.classes.iter().map(|c| &c.scope));
    for scope in scopes {
        for &call in &scope.calls {
            let Some(first) = syntax::positional_args(call).first().copied() else {
                continue;
            };
            let built = (first.kind() == "call")
                .then(|| syntax::callee_name(cx.source, first))
                .flatten();
            if let Some(built) = built {
                if !out.contains_key(built) && is_weakref_maker(cx, call) {
                    out.insert(built, call);
                }
            }
        }
    }
    out
}

/// Where this file makes weak references to instances of `class`.
fn weakref_use(cx: &Checker, class: &Class, built_refs: &HashMap<&str, Node>) -> Option<String> {
    let is_maker = |call: Node| is_weakref_maker(cx, call);
    for method in cx.module.unconditional_methods(class) {
        let Some(receiver) = util::instance_receiver(method) else {
            continue;
        };
        for &call in &method.scope.calls {
            let Some(first) = syntax::positional_args(call).first().copied() else {
                continue;
            };
            let on_self = syntax::is_identifier(cx.source, first, receiver)
                || (first.kind() == "attribute"
                    && first
                        .child_by_field_name("object")
                        .is_some_and(|o| syntax::is_identifier(cx.source, o, receiver)));
            if on_self && is_maker(call) {
                return Some(format!(
                    "`{}` in `{}.{}`",
                    util::call_label(cx.source, call),
                    class.name,
                    method.name
                ));
            }
        }
    }
    built_refs
        .get(class.name)
        .map(|call| format!("`{}`", util::call_label(cx.source, *call)))
}
