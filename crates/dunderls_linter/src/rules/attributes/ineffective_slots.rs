use crate::rules::prelude::*;

use super::util::{self, Has};

const DOCS: &str = r#"
## What it does
Points out a class whose literal `__slots__` (without `'__dict__'`) saves
nothing because a base already gives instances a `__dict__`: a class of
the hierarchy without `__slots__` (a user class, `collections.OrderedDict`,
`UserDict`, an enum), or an exception class (`BaseException` instances
carry a `__dict__`). `object`, ABCs, `Generic`/`Protocol` and the slotted
builtins (`int`, `str`, `tuple`, `list`, `dict`, ...) add no `__dict__`.
Every base must be resolvable: a base the checker cannot see, or a base
whose decorator may add slots (`@dataclass(slots=True)`, attrs), makes the
rule stay silent.

## Why is this a problem
`__slots__` only removes the per-instance `__dict__` when every class in
the hierarchy declares `__slots__`. If one base does not, instances still
get a `__dict__` from it: the memory the slots were written to save is
still spent, and any attribute name is still accepted, so typos that slots
would have caught still pass silently.

## Scenario
To fit a large result set in memory, the ORM's `Row` class gets
`__slots__`. Memory use does not move: `Row` derives from `BaseModel`, which
has no `__slots__`, so every row still carries a `__dict__` next to its
slots.

## Example
```python
class BaseModel:
    pass

class Row(BaseModel):
    __slots__ = ("id", "name")

r = Row()
r.nmae = "typo accepted"
print("has __dict__:", hasattr(r, "__dict__"))  # prints: has __dict__: True
```

## Use instead
```python
class BaseModel:
    __slots__ = ()

class Row(BaseModel):
    __slots__ = ("id", "name")

r = Row()
assert not hasattr(r, "__dict__")
try:
    r.nmae = "typo"
except AttributeError:
    print("typo rejected")  # prints: typo rejected
```

## Fix
When the base without `__slots__` is a class of the same file that assigns
no attributes on `self`, inserts `__slots__ = ()` at the top of that base's
body. Unsafe: the base's own instances lose their `__dict__` too, which
breaks code that sets attributes on them from outside. No fix otherwise.

## References
- [Data model: `__slots__`](https://docs.python.org/3/reference/datamodel.html#slots) ("the action of a `__slots__` declaration is limited to the class where it is defined")
- Related: DUN111, DUN115.
- Peers: ruff SLOT000-SLOT002 (`__slots__` missing in subclasses of `str`, `tuple`, `namedtuple`), a related check; they are not aliases.
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN116",
    name: "ineffective-slots",
    group: Group::Attributes,
    severity: Severity::Information,
    fix: FixAvailability::Sometimes,
    aliases: &[],
    docs: DOCS,
    check,
};

fn check(cx: &Checker) {
    for class in &cx.module.classes {
        let Some(slots) = class.slots.as_ref() else {
            continue;
        };
        if slots.contains("__dict__") || !cx.ancestry(class).complete() {
            continue;
        }
        let Some(layout) = util::slotted_layout(cx, class) else {
            continue;
        };
        if layout.dict != Has::Yes {
            continue;
        }
        let Some(base) = layout.dict_from else {
            continue;
        };
        let message = format!(
            "`{}.__slots__` saves no memory: base `{base}` has no `__slots__`, so instances still get a `__dict__` and accept any attribute",
            class.name
        );
        let target = util::slots_target(slots);
        match fix(cx, &base) {
            Some(fix) => cx.report_with_fix(target, message, fix),
            None => cx.report(target, message),
        }
    }
}

/// `__slots__ = ()` at the top of a same-file base that stores nothing on
/// `self`.
fn fix(cx: &Checker, base_name: &str) -> Option<Fix> {
    let base = cx.module.class_named(base_name)?;
    if base.slots.is_some() || !util::instance_assignments(cx, base).is_empty() || base.has_errors {
        return None;
    }
    let body = base.node.child_by_field_name("body")?;
    let statements = syntax::statements(body);
    let first = *statements.first()?;
    if cx.source[..first.start_byte()]
        .trim_end_matches([' ', '\t'])
        .ends_with(':')
    {
        return None;
    }
    let indent = indent_of(cx.source, first);
    let nl = cx.newline;
    let is_docstring = first.kind() == "expression_statement"
        && first.named_child(0).is_some_and(|e| e.kind() == "string");
    let edit = if is_docstring {
        Edit::insert(first.end_byte(), format!("{nl}{nl}{indent}__slots__ = ()"))
    } else {
        Edit::insert(
            first.start_byte(),
            format!("__slots__ = (){nl}{nl}{indent}"),
        )
    };
    Some(Fix::unsafe_(
        format!("Add `__slots__ = ()` to `{base_name}`"),
        vec![edit],
    ))
}
