use dunderls_python::Scope;

use super::util::{is_metaclass, judged_body};
use crate::rules::prelude::*;

const DOCS: &str = r#"
## What it does
Flags a `__new__` (of a class or a metaclass) with a path that returns
nothing: it can reach the end of its body, or has a bare `return` or
`return None`.

## Why is this a problem
`C(...)` evaluates to whatever `__new__` returns. When it returns None,
the expression is None, no error is raised, and `__init__` is never called
(Python runs `__init__` only when `__new__` returns an instance of the
class). The failure appears later and elsewhere, as
`AttributeError: 'NoneType' object has no attribute ...`. For a metaclass,
`class Z(metaclass=Meta): ...` binds the name `Z` to None.

## Scenario
The plugin framework's registry once used a metaclass; a cleanup changed
its `__new__` to register the class, and the line that returned the new
class was lost in the edit. Every class using the metaclass is now bound
to None at import time, and the first error points at an unrelated line
that calls a method on a model class. The same slip in an ordinary
class's `__new__` (a singleton or a cache of instances) makes `C()` return
None and silently skips `__init__`.

## Example
```python
class Connection:
    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)

    def __init__(self):
        self.open = True

conn = Connection()
print(conn)  # prints: None
conn.open  # raises: AttributeError: 'NoneType' object has no attribute 'open'
```

## Use instead
```python
class Connection:
    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __init__(self):
        self.open = True

assert Connection() is Connection()
print(Connection().open)  # prints: True
```

## Fix
When `__new__` stores the object it creates (`inst = super().__new__(cls)`,
`cls._instance = object.__new__(cls)`) in one place and can reach the end
of its body, the quick fix appends `return <that object>`. Unsafe:
`C()` then returns the object and `__init__` starts running, which is the
intent but changes behaviour.

## References
- [Data model: `object.__new__`](https://docs.python.org/3/reference/datamodel.html#object.__new__)
- [Data model: metaclasses](https://docs.python.org/3/reference/datamodel.html#metaclasses)
- Peers: none.
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN006",
    name: "new-without-return",
    group: Group::Hygiene,
    severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    aliases: &[],
    docs: DOCS,
    check,
};

fn check(cx: &Checker) {
    for f in &cx.module.functions {
        if f.name != "__new__" || f.is_async || !judged_body(f) {
            continue;
        }
        let own = &f.scope;
        if !own.yields.is_empty() {
            continue;
        }
        let Some(class) = cx.module.class_of(f) else {
            continue;
        };
        let consequence = if is_metaclass(cx, class) {
            format!("`class X(metaclass={})` binds X to None", class.name)
        } else {
            format!(
                "`{}(...)` evaluates to None and `__init__` never runs",
                class.name
            )
        };
        for ret in &own.returns {
            let none = match ret.named_child(0) {
                None => true,
                Some(v) => syntax::unparenthesize(v).kind() == "none",
            };
            if none {
                cx.report(
                    *ret,
                    format!("`{}.__new__` returns None: {consequence}", class.name),
                );
            }
        }
        if f.can_fall_off_end {
            let fix = created_object(cx, f, own).and_then(|target| append_return(cx, f, target));
            let message = format!(
                "`{}.__new__` can end without returning the new object: {consequence}",
                class.name
            );
            cx.report_at(f.name_node.byte_range(), message, None, fix);
        }
    }
}

/// The one name or attribute `__new__` stores the created object in:
/// `inst = super().__new__(cls)`, `cls._instance = object.__new__(cls)`.
fn created_object<'a>(cx: &Checker<'a>, f: &Function<'a>, own: &Scope<'a>) -> Option<&'a str> {
    let mut found: Option<&str> = None;
    for assignment in &own.assignments {
        if assignment.kind() != "assignment" {
            continue;
        }
        let (Some(left), Some(right)) = (
            assignment.child_by_field_name("left"),
            assignment.child_by_field_name("right"),
        ) else {
            continue;
        };
        let right = syntax::unparenthesize(right);
        let creates = right.kind() == "call"
            && right
                .child_by_field_name("function")
                .and_then(|func| func.child_by_field_name("attribute"))
                .is_some_and(|a| syntax::text(cx.source, a) == "__new__");
        if !creates
            || !matches!(left.kind(), "identifier" | "attribute")
            || syntax::dotted_name(cx.source, left).is_none()
        {
            continue;
        }
        // A local assigned inside a branch may be unbound at the end.
        let top_level = assignment.parent().and_then(|stmt| stmt.parent()) == Some(f.body);
        if left.kind() == "identifier" && !top_level {
            continue;
        }
        let target = syntax::text(cx.source, left);
        if found.is_some_and(|t| t != target) {
            return None;
        }
        found = Some(target);
    }
    found
}

/// `return <target>` after the last statement of the body, at the body's
/// indentation.
fn append_return(cx: &Checker, f: &Function, target: &str) -> Option<Fix> {
    let statements = syntax::statements(f.body);
    let first = statements.first()?;
    let last = statements.last()?;
    let line_start = cx.source[..first.start_byte()]
        .rfind(['\n', '\r'])
        .map_or(0, |i| i + 1);
    if !cx.source[line_start..first.start_byte()].trim().is_empty() {
        return None; // `def __new__(cls): ...` on one line
    }
    let indent = indent_of(cx.source, *first);
    let nl = cx.newline;
    Some(Fix::unsafe_(
        format!("Return `{target}` at the end of `__new__`"),
        vec![Edit::insert(
            last.end_byte(),
            format!("{nl}{indent}return {target}"),
        )],
    ))
}
