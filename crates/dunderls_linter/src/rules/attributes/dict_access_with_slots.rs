use crate::rules::prelude::*;

use super::util::{self, Has};

const DOCS: &str = r#"
## What it does
Flags `self.__dict__` and `vars(self)` in the methods of a class whose
instances have no `__dict__`: the class defines `__slots__` without
`'__dict__'` and every base is known to provide none (see DUN108 for what
counts as known). It stays silent when a base cannot be resolved, when the
access sits in a `try` statement, when the method mentions the string
`"__dict__"` (a `hasattr`/`getattr` probe), and when a class of the same
file subclasses this one without `__slots__` (the method may be meant for
those instances).

## Why is this a problem
With `__slots__`, instance attributes live in fixed slots and the instance
has no `__dict__` at all:
- `self.__dict__` raises `AttributeError: 'Point' object has no attribute '__dict__'`;
- `vars(self)` raises `TypeError: vars() argument must have __dict__ attribute`.

Code such as `__getstate__`, `__repr__`, `to_dict()` or `__eq__` that was
written before the class got `__slots__` breaks the first time it runs.

## Scenario
The ORM row class gets `__slots__` to save memory on large result sets; its
`to_json()` still serialises `vars(self)`. Every API endpoint that returns
rows fails with `TypeError`, while the unit tests, which never serialise,
keep passing.

## Example
```python
class Point:
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x, self.y = x, y

    def as_dict(self):
        return dict(self.__dict__)

Point(1, 2).as_dict()  # raises: AttributeError: 'Point' object has no attribute '__dict__'
```

## Use instead
Read the slots:
```python
class Point:
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x, self.y = x, y

    def as_dict(self):
        return {name: getattr(self, name) for name in self.__slots__}

assert Point(1, 2).as_dict() == {"x": 1, "y": 2}
```

## Fix
No automatic fix: the replacement depends on which attributes the code
needs (all slots of the class hierarchy, or a few of them).

## References
- [Data model: `__slots__`](https://docs.python.org/3/reference/datamodel.html#slots)
- [`vars`](https://docs.python.org/3/library/functions.html#vars)
- Related: DUN108, DUN111.
- Peers: none known.
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN109",
    name: "dict-access-with-slots",
    group: Group::Attributes,
    severity: Severity::Error,
    fix: FixAvailability::None,
    aliases: &[],
    docs: DOCS,
    check,
};

fn check(cx: &Checker) {
    for class in &cx.module.classes {
        let Some(layout) = util::slotted_layout(cx, class) else {
            continue;
        };
        if layout.dict != Has::No || has_dict_subclass(cx, class) {
            continue;
        }
        for method in cx.module.unconditional_methods(class) {
            let Some(receiver) = util::instance_receiver(method) else {
                continue;
            };
            let probes_dict = method
                .scope
                .strings
                .iter()
                .any(|s| syntax::string_value(cx.source, *s) == Some("__dict__"));
            if probes_dict {
                continue;
            }
            let attribute = util::receiver_attributes(cx.source, method, receiver)
                .into_iter()
                .find(|(node, attr, _)| *attr == "__dict__" && !in_try(*node, method.body))
                .map(|(node, _, _)| (node, "AttributeError"));
            let call = method
                .scope
                .calls
                .iter()
                .find(|&&c| {
                    syntax::callee_name(cx.source, c) == Some("vars")
                        && matches!(syntax::positional_args(c).as_slice(), [a] if syntax::is_identifier(cx.source, *a, receiver))
                        && !method.in_lambda(c)
                        && !in_try(c, method.body)
                })
                .map(|&c| (c, "TypeError"));
            let first = match (attribute, call) {
                (Some(a), Some(c)) => Some(if a.0.start_byte() <= c.0.start_byte() {
                    a
                } else {
                    c
                }),
                (a, c) => a.or(c),
            };
            let Some((node, error)) = first else { continue };
            cx.report(
                node,
                format!(
                    "`{}.{}` uses `{}`, but `{}.__slots__` leaves instances without `__dict__`: it raises {error}",
                    class.name,
                    method.name,
                    cx.text(node),
                    class.name
                ),
            );
        }
    }
}

/// `node` sits in a `try` statement of the method.
fn in_try(node: Node, stop: Node) -> bool {
    util::inside(node, stop, &["try_statement"])
}

/// A class of this file derives from `class` and has no `__slots__`: its
/// instances have a `__dict__`, and the method may be written for them.
fn has_dict_subclass(cx: &Checker, class: &Class) -> bool {
    cx.module.classes_with_base(class.name).any(|other| {
        other.node != class.node
            && other.bases.iter().any(|b| b.name == Some(class.name))
            && !matches!(util::own_slots(cx, other), Ok(Some(_)))
    })
}
