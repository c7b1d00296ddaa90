use std::collections::HashMap;

use crate::hierarchy::{Ancestor, Ancestry};
use crate::rules::class_creation::util::{ancestry_reliable, starts_line};
use crate::rules::prelude::*;

const DOCS: &str = r#"
## What it does
Flags a class that defines `__enter__` without `__exit__`, or `__exit__`
without `__enter__` (likewise `__aenter__`/`__aexit__`), counting what its
resolvable bases provide.

## Why is this a problem
`with` needs both methods, looked up on the type. With one missing, the
statement fails before its block runs. On Python 3.11 and later:
`TypeError: 'Transaction' object does not support the context manager protocol (missed __exit__ method)`
when `__exit__` is missing, and the same message without the parenthesis
when `__enter__` is missing; `async with` reports
`... does not support the asynchronous context manager protocol (missed __aexit__ method)`.
Python 3.10 and earlier raised `AttributeError: __exit__` (or `__enter__`)
instead. The rule stays silent when a base cannot be resolved, for
`Protocol` classes, and for mixins that a subclass in the same file
completes.

## Scenario
A query DSL offers `with db.transaction() as tx: tx.query(...)...`. During a
refactor the cleanup method of `Transaction` was renamed from `__exit__` to
`close()` "to make it callable directly". Every `with` block in the service
now fails before running, with a TypeError that names the context manager
protocol rather than the rename.

## Example
```python
class Transaction:
    def __enter__(self):
        print("BEGIN")
        return self

    def close(self):  # was __exit__
        print("COMMIT")

with Transaction() as tx:  # raises: TypeError: does not support the context manager protocol
    pass
```

## Use instead
```python
class Transaction:
    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        self.close()
        return None  # do not suppress exceptions

    def close(self):
        print("COMMIT")

with Transaction() as tx:
    pass  # prints: COMMIT
```

## Fix
When `__enter__` (or `__aenter__`) is the missing one, the quick fix adds
`def __enter__(self): return self` before `__exit__`. Unsafe: `__enter__`
may need to acquire something. There is no automatic fix for a missing
`__exit__`: what it must release is specific to the class.

## References
- [Data model: With Statement Context Managers](https://docs.python.org/3/reference/datamodel.html#context-managers)
- [Data model: Asynchronous Context Managers](https://docs.python.org/3/reference/datamodel.html#async-context-managers)
- [PEP 343: The "with" statement](https://peps.python.org/pep-0343/)
- No peer rule in ruff or pylint.
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN701",
    name: "incomplete-context-manager",
    group: Group::ContextBuilders,
    severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    aliases: &[],
    docs: DOCS,
    check,
};

const PAIRS: &[(&str, &str, bool)] = &[
    ("__enter__", "__exit__", false),
    ("__aenter__", "__aexit__", true),
];

fn check(cx: &Checker) {
    let subclasses = std::cell::OnceCell::new();
    for class in &cx.module.classes {
        if class.has_errors {
            continue;
        }
        for &(enter, exit, is_async) in PAIRS {
            let has_enter = defines(class, cx, enter);
            let has_exit = defines(class, cx, exit);
            let (present, missing) = match (has_enter, has_exit) {
                (true, false) => (enter, exit),
                (false, true) => (exit, enter),
                _ => continue,
            };
            let methods: Vec<&Function> = cx.module.methods(class).collect();
            let method = methods.iter().rev().find(|f| f.name == present);
            if method.is_some_and(|m| m.is_overload()) || !ancestry_reliable(cx, class) {
                continue;
            }
            let ancestry = cx.ancestry(class);
            if is_protocol(&ancestry)
                || provided(&ancestry, missing) != Some(false)
                || completed_by_subclass(
                    cx,
                    class,
                    missing,
                    subclasses.get_or_init(|| subclasses_by_name(cx)),
                )
            {
                continue;
            }
            let Some(at) = method.map(|m| m.name_node).or_else(|| {
                class
                    .attributes
                    .iter()
                    .rev()
                    .find(|a| a.name == present)
                    .map(|a| a.target)
            }) else {
                continue;
            };
            let protocol = if is_async {
                "asynchronous context manager"
            } else {
                "context manager"
            };
            let statement = if is_async { "async with" } else { "with" };
            let suffix = if missing == exit {
                format!(" (missed {exit} method)")
            } else {
                String::new()
            };
            let message = format!(
                "`{c}` defines `{present}` but no `{missing}`: `{statement} {c}(...)` raises `TypeError: '{c}' object does not support the {protocol} protocol{suffix}`",
                c = class.name
            );
            let fix = (missing == enter)
                .then(|| method.and_then(|m| add_enter(cx, m, enter, is_async)))
                .flatten();
            cx.report_at(at.byte_range(), message, None, fix);
        }
    }
}

/// The class body defines `name` as a method or assigns it.
fn defines(class: &Class, cx: &Checker, name: &str) -> bool {
    cx.module.methods(class).any(|f| f.name == name)
        || class.attributes.iter().any(|a| a.name == name)
}

fn is_protocol(ancestry: &Ancestry) -> bool {
    ancestry
        .ancestors
        .iter()
        .any(|a| matches!(a, Ancestor::Transparent(t) if t.ends_with("Protocol")))
}

/// Some(true): a base provides `name`; Some(false): no base does; None: a
/// base cannot be resolved.
fn provided(ancestry: &Ancestry, name: &str) -> Option<bool> {
    for ancestor in &ancestry.ancestors {
        let found = match ancestor {
            Ancestor::Class(c) => c.defines(name),
            Ancestor::Builtin(b) => {
                dunderls_datamodel::builtin_base(b).is_some_and(|base| base.provides(name))
            }
            Ancestor::Abc(abc) => {
                abc.abstract_methods.contains(&name) || abc.mixin_methods.contains(&name)
            }
            Ancestor::Transparent(_) => false,
            // `contextlib.AbstractContextManager` and friends.
            Ancestor::Unknown(u) => match dunderls_datamodel::abc(u) {
                Some(abc) => {
                    abc.abstract_methods.contains(&name) || abc.mixin_methods.contains(&name)
                }
                None => return None,
            },
        };
        if found {
            return Some(true);
        }
    }
    Some(false)
}

/// The classes of this file by the name of each user class among their
/// ancestors.
fn subclasses_by_name<'a>(cx: &Checker<'a>) -> HashMap<String, Vec<&'a Class<'a>>> {
    let mut out: HashMap<String, Vec<&Class>> = HashMap::new();
    for other in &cx.module.classes {
        for ancestor in cx.ancestry(other).user_classes() {
            out.entry(ancestor.name.clone()).or_default().push(other);
        }
    }
    out
}

/// A class of this file derives from `class` and supplies `missing`: the
/// class is a mixin or abstract half.
fn completed_by_subclass(
    cx: &Checker,
    class: &Class,
    missing: &str,
    subclasses: &HashMap<String, Vec<&Class>>,
) -> bool {
    subclasses
        .get(class.name)
        .into_iter()
        .flatten()
        .any(|other| {
            other.node != class.node
                && (defines(other, cx, missing)
                    || cx
                        .ancestry(other)
                        .user_classes()
                        .any(|c| c.defines(missing)))
        })
}

/// Insert `def __enter__(self): return self` before `__exit__`.
fn add_enter(cx: &Checker, exit: &Function, enter: &str, is_async: bool) -> Option<Fix> {
    if !starts_line(cx.source, exit.outer) {
        return None;
    }
    let indent = indent_of(cx.source, exit.outer);
    let nl = cx.newline;
    let receiver = exit.receiver().unwrap_or("self");
    let prefix = if is_async { "async " } else { "" };
    Some(Fix::unsafe_(
        format!("Add `{enter}` returning `{receiver}`"),
        vec![Edit::insert(
            exit.outer.start_byte(),
            format!(
                "{prefix}def {enter}({receiver}):{nl}{indent}    return {receiver}{nl}{nl}{indent}"
            ),
        )],
    ))
}
