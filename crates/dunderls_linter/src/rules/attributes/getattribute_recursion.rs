use std::collections::HashSet;

use crate::rules::prelude::*;

use super::util::{self, Access, Reach, Target};

const DOCS: &str = r#"
## What it does
Flags a read of `self.<attr>` inside `__getattribute__` that runs when the
method is called for that same attribute name.

A read is not reported when a condition on the name keeps it from running
for that name: `if name == "area": return self.w * self.h` reads `w` and
`h` only for `area`, so the nested lookups take the other path. Conditions
the checker cannot evaluate, and reads in `except` handlers and lambdas,
are not reported either, nor are classes whose methods assign
`self.__class__` (after that, the instance no longer uses this method).

## Why is this a problem
`__getattribute__` runs for every attribute read on the instance,
including the reads its own body makes. `self._log` inside it calls
`type(self).__getattribute__(self, "_log")`, which reads `self._log`
again: `RecursionError: maximum recursion depth exceeded`. This includes
`self.__dict__`, `self.__class__` and method calls such as
`self.helper()`: every one of them is an attribute read.

## Scenario
To find out which model fields a slow request touches, someone adds a
`__getattribute__` to the ORM base class that appends each name to
`self._accessed`. The first attribute read on any model instance raises
`RecursionError`, and every request fails.

## Example
```python
class Tracked:
    def __init__(self):
        object.__setattr__(self, "_accessed", [])

    def __getattribute__(self, name):
        self._accessed.append(name)
        return super().__getattribute__(name)

Tracked().anything  # raises: RecursionError: maximum recursion depth exceeded
```

## Use instead
Read your own state through the base implementation:
```python
class Tracked:
    def __init__(self):
        object.__setattr__(self, "_accessed", [])
        self.name = "ada"

    def __getattribute__(self, name):
        super().__getattribute__("_accessed").append(name)
        return super().__getattribute__(name)

t = Tracked()
assert t.name == "ada"
assert object.__getattribute__(t, "_accessed") == ["name"]
```

## Fix
Replaces the read `self.x` with `super().__getattribute__("x")` (with
`object.__getattribute__(self, "x")` inside a comprehension or generator
expression, where the zero-argument `super()` does not work on every
Python version). Private names are mangled as Python would mangle them.
Safe: the read as written always recurses, so no working behaviour
changes. No fix is offered for `self.x += ...`.

## References
- [Data model: `object.__getattribute__`](https://docs.python.org/3/reference/datamodel.html#object.__getattribute__)
- Related: DUN103 (`__getattr__` recursion), DUN105 (`__setattr__` recursion), DUN106.
- Peers: none known.
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN104",
    name: "getattribute-recursion",
    group: Group::Attributes,
    severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    aliases: &[],
    docs: DOCS,
    check,
};

fn check(cx: &Checker) {
    for class in &cx.module.classes {
        if util::reassigns_class(cx, class) {
            continue;
        }
        let Some(method) = cx
            .module
            .unconditional_method(class, "__getattribute__")
            .filter(|f| !f.is_stub() && !f.is_staticmethod())
        else {
            continue;
        };
        let (Some(receiver), Some(name)) = (method.receiver(), util::positional_param(method, 1))
        else {
            continue;
        };
        let mut reported = HashSet::new();
        for (node, attr, access) in util::receiver_attributes(cx.source, method, receiver) {
            if !matches!(access, Access::Read | Access::ReadWrite) {
                continue;
            }
            let runtime = util::mangle(class.name, attr);
            if reported.contains(&runtime)
                || util::reach(cx.source, method, node, name, Target::Literal(&runtime))
                    != Reach::Runs
            {
                continue;
            }
            reported.insert(runtime.clone());
            let message = format!(
                "`{}.__getattribute__` reads `{receiver}.{attr}`, which calls `__getattribute__('{runtime}')` again: infinite recursion (RecursionError)",
                class.name
            );
            if access == Access::ReadWrite {
                cx.report(node, message);
                continue;
            }
            let replacement = if in_comprehension(node, method.body) {
                format!("object.__getattribute__({receiver}, \"{runtime}\")")
            } else {
                format!("super().__getattribute__(\"{runtime}\")")
            };
            cx.report_with_fix(
                node,
                message,
                Fix::safe(
                    format!("Read `{attr}` with `{replacement}`"),
                    vec![Edit::replace(node.byte_range(), replacement.clone())],
                ),
            );
        }
    }
}

/// Comprehensions and generator expressions are separate functions before
/// Python 3.12 (generator expressions still are): zero-argument `super()`
/// fails there.
fn in_comprehension(node: Node, stop: Node) -> bool {
    util::inside(
        node,
        stop,
        &[
            "list_comprehension",
            "set_comprehension",
            "dictionary_comprehension",
            "generator_expression",
        ],
    )
}
