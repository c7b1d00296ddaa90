use std::collections::HashSet;

use crate::rules::prelude::*;

use super::util::{self, Access};

const DOCS: &str = r#"
## What it does
Flags a `@property` (or `functools.cached_property`) getter of a class that
has `__getattr__` (its own or a resolvable base's), when the getter reads
`self.x` and `x` is an instance attribute that `__init__` does not always
set: the class assigns it in some method, but not in a top-level
statement of `__init__` (nor in a method `__init__` calls, nor in
`__new__`), and it is not defined at class level. A getter that mentions
the name as a string (`hasattr(self, "x")`), reads it inside `try`,
assigns it itself (lazy initialisation) or calls a method of the class
that assigns it is not reported. Without an own `__init__`, a class with bases is skipped (a
base's `__init__` may set the attribute), and so is a class whose
`__init__` sets attributes dynamically (`setattr`, `self.__dict__.update`).

## Why is this a problem
When a property getter raises `AttributeError`, Python does not report it:
it treats the whole attribute as missing and calls
`__getattr__("<property name>")`. The real error (`self._conn` was never
set) disappears and is replaced by whatever `__getattr__` does with the
property's own name: a misleading
`AttributeError: 'Model' object has no attribute 'connection'`, a lazy
load of a "field" called `connection`, or a silent `None`.

## Scenario
The lazy-loading ORM model has `__getattr__` for relationships and a
`connection` property that returns `self._conn`, set by `connect()`.
Code that forgets to call `connect()` gets
`AttributeError: no relationship 'connection'`, and the team spends an
afternoon looking for a relationship configuration bug that does not
exist.

## Example
```python
class Model:
    def connect(self):
        self._conn = "db-connection"

    def __getattr__(self, name):
        raise AttributeError(f"no relationship {name!r}")

    @property
    def connection(self):
        return self._conn

Model().connection  # raises: AttributeError: no relationship 'connection'
```

## Use instead
Give the attribute a value in `__init__` and raise a clear error that is
not an `AttributeError`:
```python
class Model:
    def __init__(self):
        self._conn = None

    def connect(self):
        self._conn = "db-connection"

    def __getattr__(self, name):
        raise AttributeError(f"no relationship {name!r}")

    @property
    def connection(self):
        if self._conn is None:
            raise RuntimeError("call connect() first")
        return self._conn

try:
    Model().connection
except RuntimeError as exc:
    print(exc)  # prints: call connect() first
```

## Fix
No automatic fix: initialise the attribute in `__init__`, or make the
property raise something other than `AttributeError`.

## References
- [Data model: `object.__getattr__`](https://docs.python.org/3/reference/datamodel.html#object.__getattr__) (called when `__getattribute__` or a descriptor's `__get__` raises AttributeError)
- [`property`](https://docs.python.org/3/library/functions.html#property)
- Related: DUN102, DUN103.
- Peers: none known.
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN114",
    name: "property-error-masked-by-getattr",
    group: Group::Attributes,
    severity: Severity::Warning,
    fix: FixAvailability::None,
    aliases: &[],
    docs: DOCS,
    check,
};

fn check(cx: &Checker) {
    for class in &cx.module.classes {
        let own_getattr = util::own_method(cx, class, "__getattr__").is_some();
        let inherited = || {
            cx.ancestry(class)
                .user_classes()
                .any(|c| c.methods.iter().any(|m| m == "__getattr__"))
        };
        if !own_getattr && !inherited() {
            continue;
        }
        let getters: Vec<&Function> = cx
            .module
            .unconditional_methods(class)
            .filter(|f| is_getter(cx, f))
            .collect();
        if getters.is_empty() {
            continue;
        }
        let Some(guaranteed) = guaranteed_attributes(cx, class) else {
            continue;
        };
        let assigned: HashSet<String> = util::instance_assignments(cx, class)
            .into_iter()
            .map(|(a, _)| util::mangle(class.name, a))
            .collect();
        let class_level = util::class_level_names(cx, class);
        for getter in getters {
            let Some(receiver) = util::instance_receiver(getter) else {
                continue;
            };
            let strings: HashSet<&str> = getter
                .scope
                .strings
                .iter()
                .filter_map(|s| syntax::string_value(cx.source, *s))
                .collect();
            let attributes = util::receiver_attributes(cx.source, getter, receiver);
            // Handled by the getter itself: a lazy initialisation
            // (`self._x = ...` in the getter or in a helper it calls) or a
            // read inside `try`.
            let mut handled: HashSet<String> =
                helper_assignments(cx, class, &getter.scope.calls, receiver);
            for (node, attr, access) in &attributes {
                if *access != Access::Read || in_try(*node, getter.body) {
                    handled.insert(util::mangle(class.name, attr));
                }
            }
            let read = attributes.into_iter().find(|(_, attr, access)| {
                let runtime = util::mangle(class.name, attr);
                *access == Access::Read
                    && !util::is_dunder(attr)
                    && assigned.contains(&runtime)
                    && !guaranteed.contains(&runtime)
                    && !handled.contains(&runtime)
                    && !class_level.contains(&runtime)
                    && !strings.contains(attr)
                    && !strings.contains(runtime.as_str())
            });
            let Some((node, attr, _)) = read else {
                continue;
            };
            cx.report(
                node,
                format!(
                    "`{}.{}` reads `{receiver}.{attr}`, which `__init__` does not always set: if it is missing, the AttributeError is swallowed and `__getattr__('{}')` runs instead",
                    class.name, getter.name, getter.name
                ),
            );
        }
    }
}

/// A property getter: `@property` or `@functools.cached_property` (not a
/// setter or deleter).
fn is_getter(cx: &Checker, f: &Function) -> bool {
    !f.is_stub()
        && f.decorators.iter().any(|d| {
            d.name == "property"
                || d.name == "builtins.property"
                || util::decorator_is(cx, d.name, &["functools.cached_property"])
        })
}

/// Attributes every instance has once `__init__` returned: assigned by a
/// top-level statement of `__init__`, anywhere in a method `__init__` calls
/// at top level, or in `__new__`. None when we cannot tell (no own
/// `__init__` but bases, or dynamic assignment in `__init__`).
fn guaranteed_attributes(cx: &Checker, class: &Class) -> Option<HashSet<String>> {
    let mut out: HashSet<String> = util::assigned_in_new(cx, class)
        .into_iter()
        .map(|a| util::mangle(class.name, a))
        .collect();
    let Some(init) = cx.module.unconditional_method(class, "__init__") else {
        return class.bases.is_empty().then_some(out);
    };
    let receiver = util::instance_receiver(init)?;
    let dynamic = init.scope.calls.iter().any(|c| {
        syntax::callee_name(cx.source, *c)
            .is_some_and(|n| n == "setattr" || n.ends_with("__setattr__") || n == "vars")
    }) || syntax::descendants(init.body, true)
        .any(|n| syntax::is_identifier(cx.source, n, "__dict__"));
    if dynamic {
        return None;
    }
    let top_level: Vec<Node> = syntax::statements(init.body);
    for (node, attr, access) in util::receiver_attributes(cx.source, init, receiver) {
        if matches!(access, Access::Write | Access::ReadWrite)
            && top_level.iter().any(|s| {
                s.byte_range().contains(&node.start_byte()) && s.kind() == "expression_statement"
            })
        {
            out.insert(util::mangle(class.name, attr));
        }
    }
    // Helpers called from the top level of `__init__` (`self._reset()`).
    let top_calls: Vec<Node> = top_level
        .iter()
        .filter(|s| s.kind() == "expression_statement")
        .filter_map(|s| s.named_child(0).filter(|c| c.kind() == "call"))
        .collect();
    out.extend(helper_assignments(cx, class, &top_calls, receiver));
    Some(out)
}

/// Attributes that the methods called as `receiver.<method>(...)` in
/// `calls` assign on their own receiver.
fn helper_assignments(
    cx: &Checker,
    class: &Class,
    calls: &[Node],
    receiver: &str,
) -> HashSet<String> {
    let mut out = HashSet::new();
    for &call in calls {
        let Some(helper) = util::self_method_call(cx.source, call, receiver)
            .and_then(|m| cx.module.unconditional_method(class, m))
        else {
            continue;
        };
        let Some(r) = util::instance_receiver(helper) else {
            continue;
        };
        for (_, attr, access) in util::receiver_attributes(cx.source, helper, r) {
            if matches!(access, Access::Write | Access::ReadWrite) {
                out.insert(util::mangle(class.name, attr));
            }
        }
    }
    out
}

fn in_try(node: Node, stop: Node) -> bool {
    util::inside(node, stop, &["try_statement"])
}
