use std::collections::HashSet;

use crate::rules::prelude::*;

use super::util::{self, Access, Has};

const DOCS: &str = r#"
## What it does
Flags `self.x = ...` (also augmented and tuple assignments) in a method of
a class with a literal `__slots__`, when `x` is not a slot of the class or
of any base, no class in the hierarchy gives instances a `__dict__`, and `x`
is not defined at class level (a property with a setter or another
descriptor may accept the assignment). Every base must be resolvable: a
base the checker cannot see, a class decorator that may add slots
(`@dataclass(slots=True)`, attrs), or a custom `__setattr__` in the
hierarchy makes the rule stay silent.

## Why is this a problem
`__slots__` replaces the per-instance `__dict__` with fixed storage for
the listed names. Assigning any other name has nowhere to go:
`AttributeError: 'Session' object has no attribute 'token'` (CPython 3.13
adds `and no __dict__ for setting new attributes`). When the assignment is
in `__init__`, no instance can be created at all.

## Scenario
The ORM's session object gets `__slots__` during a memory clean-up. A later
change adds `self.token = ...` to `login()` without updating the slots; the
code path runs only in production, where every login fails with
`AttributeError`.

## Example
```python
class Session:
    __slots__ = ("user",)

    def __init__(self, user):
        self.user = user

    def login(self, token):
        self.token = token

Session("ada").login("t0k3n")  # raises: AttributeError: 'Session' object has no attribute 'token'
```

## Use instead
```python
class Session:
    __slots__ = ("user", "token")

    def __init__(self, user):
        self.user = user

    def login(self, token):
        self.token = token

s = Session("ada")
s.login("t0k3n")
assert s.token == "t0k3n"
```

## Fix
Adds the name to the class's `__slots__` literal (string, tuple, list or
set). Unsafe: when the assignment is a typo of an existing slot, adding a
slot hides the typo instead of fixing it.

## References
- [Data model: `__slots__`](https://docs.python.org/3/reference/datamodel.html#slots)
- Related: DUN109, DUN116.
- Peers: ruff PLE0237, pylint E0237 (`assigning-non-slot`).
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN111",
    name: "assign-non-slot",
    group: Group::Attributes,
    severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    aliases: &["PLE0237", "E0237"],
    docs: DOCS,
    check,
};

fn check(cx: &Checker) {
    for class in &cx.module.classes {
        let Some(layout) = util::slotted_layout(cx, class) else {
            continue;
        };
        if layout.dict != Has::No {
            continue;
        }
        let class_level = util::class_level_names(cx, class);
        if class_level.contains("__setattr__") {
            continue;
        }
        let Some(slots) = class.slots.as_ref() else {
            continue;
        };
        let mut reported = HashSet::new();
        for method in cx.module.unconditional_methods(class) {
            let Some(receiver) = util::instance_receiver(method) else {
                continue;
            };
            for (node, attr, access) in util::receiver_attributes(cx.source, method, receiver) {
                if !matches!(access, Access::Write | Access::ReadWrite) {
                    continue;
                }
                let runtime = util::mangle(class.name, attr);
                if util::is_dunder(attr)
                    || layout.slots.contains(&runtime)
                    || class_level.contains(&runtime)
                    || !reported.insert(runtime)
                {
                    continue;
                }
                let message = format!(
                    "`{}.{}` assigns `{receiver}.{attr}`, but `{attr}` is not in `__slots__` and no class in the hierarchy provides `__dict__`: AttributeError",
                    class.name, method.name
                );
                let edit = if layout.variable_size {
                    None
                } else {
                    util::add_slot_edit(cx.source, slots, attr)
                };
                match edit {
                    Some(edit) => cx.report_with_fix(
                        node,
                        message,
                        Fix::unsafe_(
                            format!("Add `'{attr}'` to `{}.__slots__`", class.name),
                            vec![edit],
                        ),
                    ),
                    None => cx.report(node, message),
                }
            }
        }
    }
}
