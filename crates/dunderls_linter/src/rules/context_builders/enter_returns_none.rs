use std::collections::HashMap;

use super::util::{is_plain_method, returns_nothing};
use crate::rules::class_creation::util::{qualified_method, return_value_edits};
use crate::rules::prelude::*;

const DOCS: &str = r#"
## What it does
Flags an `__enter__` that returns nothing when the code binds its result:
`with Connection(...) as conn` on that class (or a subclass that inherits
the `__enter__`). For now the usage must be in the same module as the
class.

## Why is this a problem
The target of `as` is bound to whatever `__enter__` returns, not to the
object in the `with` header. An `__enter__` that sets things up and falls
off its end returns None, so `conn` is None and the first use fails far
from the cause: `AttributeError: 'NoneType' object has no attribute
'query'`. An `__enter__` without `as` usage is fine: many context managers
return nothing on purpose.

## Scenario
The query DSL's `Connection` gained an `__enter__` that opens the socket.
Code written as `with Connection(url) as conn: conn.query(User)...` fails
with an AttributeError on `NoneType`, while `conn = Connection(url)` plus
`with conn:` works, which makes the bug look like a connection problem
rather than a missing `return self`.

## Example
```python
class Connection:
    def __enter__(self):
        self.open = True  # sets up, returns nothing

    def __exit__(self, exc_type, exc, tb):
        self.open = False

    def query(self, table):
        return f"SELECT * FROM {table}"

with Connection() as conn:
    conn.query("users")  # raises: AttributeError: 'NoneType' object has no attribute 'query'
```

## Use instead
```python
class Connection:
    def __enter__(self):
        self.open = True
        return self

    def __exit__(self, exc_type, exc, tb):
        self.open = False

    def query(self, table):
        return f"SELECT * FROM {table}"

with Connection() as conn:
    print(conn.query("users"))  # prints: SELECT * FROM users
```

## Fix
Makes `__enter__` return `self` on every path (rewrites bare `return`s and
appends `return self`). Unsafe: the intended result might be another
object (a cursor, a transaction).

## References
- [Data model: `object.__enter__`](https://docs.python.org/3/reference/datamodel.html#object.__enter__)
- [The `with` statement](https://docs.python.org/3/reference/compound_stmts.html#the-with-statement)
- No peer rule in ruff or pylint.
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN704",
    name: "enter-returns-none",
    group: Group::ContextBuilders,
    severity: Severity::Warning,
    fix: FixAvailability::Always,
    aliases: &[],
    docs: DOCS,
    check,
};

fn check(cx: &Checker) {
    let usages = with_as_usages(cx);
    for class in &cx.module.classes {
        let methods: Vec<&Function> = cx.module.methods(class).collect();
        let Some(enter) = methods.iter().rev().find(|f| f.name == "__enter__") else {
            continue;
        };
        if !is_plain_method(enter)
            || enter.is_async
            || !enter.decorators.is_empty()
            || !returns_nothing(enter)
        {
            continue;
        }
        let local = usages.get(&class.node.id());
        let message = match local {
            Some((call, target)) => {
                let line = cx.line_number(call.start_byte());
                format!(
                    "`{}` returns None, so `with {}(...) as {}` (line {line}) binds `{}` to None",
                    qualified_method(cx, enter),
                    syntax::callee_name(cx.source, *call).unwrap_or(class.name),
                    cx.text(*target),
                    cx.text(*target),
                )
            }
            None => {
                // Another module binds it with `with ... as name`.
                let sites = crate::hierarchy::qualified_class_name(cx.module_name, class)
                    .map(|q| cx.index.with_as_sites(&q))
                    .unwrap_or_default();
                let Some(first) = sites.first() else {
                    continue;
                };
                let more = match sites.len() {
                    1 => String::new(),
                    n => format!(" and {} more", n - 1),
                };
                format!(
                    "`{}` returns None, but `with ... as name` uses it at {first}{more}: the name is bound to None",
                    qualified_method(cx, enter),
                )
            }
        };
        let receiver = enter.receiver().unwrap_or("self");
        let fix = return_value_edits(cx, enter, receiver)
            .map(|edits| Fix::unsafe_(format!("Return `{receiver}` from `__enter__`"), edits));
        cx.report_at(enter.name_node.byte_range(), message, None, fix);
    }
}

/// `with Name(...) as target` items of the module whose target is read:
/// the first one for each class providing the `__enter__` (by class node id).
fn with_as_usages<'a>(cx: &Checker<'a>) -> HashMap<usize, (Node<'a>, Node<'a>)> {
    let mut out = HashMap::new();
    for w in cx.module.with_as_bindings() {
        if !w.target_used {
            continue;
        }
        if let Some(provider) = enter_provider(cx, callee_class(cx, w.call)) {
            out.entry(provider.node.id()).or_insert((w.call, w.alias));
        }
    }
    out
}

/// The same-file class a call `Name(...)` instantiates.
fn callee_class<'a>(cx: &Checker<'a>, call: Node) -> Option<&'a Class<'a>> {
    let module: &'a dunderls_python::Module<'a> = cx.module;
    let name = call
        .child_by_field_name("function")
        .filter(|f| f.kind() == "identifier")?;
    let name = cx.text(name);
    if module.import_of(name).is_some() {
        return None;
    }
    module.class_named(name)
}

/// The same-file class whose `__enter__` instances of `class` use.
fn enter_provider<'a>(cx: &Checker<'a>, class: Option<&'a Class<'a>>) -> Option<&'a Class<'a>> {
    let class = class?;
    if cx.module.methods(class).any(|f| f.name == "__enter__") {
        return Some(class);
    }
    let ancestry = cx.ancestry(class);
    let provider = ancestry.user_classes().find(|c| c.defines("__enter__"))?;
    if provider.module != cx.module_name {
        return None;
    }
    cx.module.class_named(&provider.name)
}
