use crate::rules::prelude::*;

const DOCS: &str = r#"
## What it does
Flags a name listed in a class's literal `__slots__` that the class body
also binds: an assignment with a value (`x = 0`, `x: int = 0`), a `def x`,
or a nested `class x`. A bare annotation (`x: int`) binds nothing and is
fine.

## Why is this a problem
Each slot becomes a descriptor stored in the class under the slot's name.
If the class body already put something under that name, Python refuses to
create the class:
`ValueError: 'x' in __slots__ conflicts with class variable`. The error
happens when the module is imported, so nothing in that module works.

## Scenario
Converting the ORM's row class to `__slots__`, a developer keeps the old
class-level defaults (`status = "new"`) so that rows without a status still
read one. The module no longer imports: every worker crashes at start-up
with `ValueError`, far from any line that changed behaviour.

## Example
```python
class Row:
    __slots__ = ("id", "status")
    status = "new"  # raises: ValueError: 'status' in __slots__ conflicts with class variable
```

## Use instead
Set defaults in `__init__` (or keep the class variable and drop the slot):
```python
class Row:
    __slots__ = ("id", "status")

    def __init__(self, id, status="new"):
        self.id = id
        self.status = status

assert Row(1).status == "new"
```

## Fix
No automatic fix: either the slot or the class variable has to go, and
which one depends on whether the name is per-instance state.

## References
- [Data model: `__slots__`](https://docs.python.org/3/reference/datamodel.html#slots)
- Peers: pylint E0242 (`class-variable-slots-conflict`).
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN110",
    name: "slots-class-var-conflict",
    group: Group::Attributes,
    severity: Severity::Error,
    fix: FixAvailability::None,
    aliases: &["E0242", "PLE0242"],
    docs: DOCS,
    check,
};

fn check(cx: &Checker) {
    for class in &cx.module.classes {
        let Some(names) = class.slots.as_ref().and_then(|s| s.names.as_ref()) else {
            continue;
        };
        for (slot, _) in names {
            if slot == "__slots__" {
                continue;
            }
            // Every binding of the name in the class body, in source order.
            let mut bindings: Vec<Node> = class
                .attributes
                .iter()
                .filter(|a| a.name == slot && a.value.is_some())
                .map(|a| a.target)
                .collect();
            bindings.extend(
                cx.module
                    .unconditional_methods(class)
                    .filter(|f| f.name == slot)
                    .map(|f| f.name_node),
            );
            bindings.extend(
                cx.module
                    .classes_named(slot)
                    .filter(|c| {
                        c.parent
                            .and_then(|p| cx.module.classes.get(p))
                            .is_some_and(|p| p.node == class.node)
                    })
                    .map(|c| c.name_node),
            );
            let Some(first) = bindings.into_iter().min_by_key(|n| n.start_byte()) else {
                continue;
            };
            cx.report(
                first,
                format!(
                    "`{slot}` is in `{}.__slots__` and also bound in the class body: creating the class raises ValueError",
                    class.name
                ),
            );
        }
    }
}
