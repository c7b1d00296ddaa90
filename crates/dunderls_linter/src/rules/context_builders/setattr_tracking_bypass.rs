use super::util::{in_place_mutations, is_plain_method, self_attr_root};
use crate::rules::class_creation::util::{is_parent_call, qualified_method};
use crate::rules::prelude::*;

const DOCS: &str = r#"
## What it does
In a class whose `__setattr__` does more than store the value (change
tracking, validation, notifications), flags methods that change attributes
in place (`self.items.append(x)`, `self.where[k] = v`) or write through
`self.__dict__`.

## Why is this a problem
`__setattr__` runs only for attribute *assignment*: `obj.x = v`,
`self.x = v`, `self.x += v` and `setattr()`. Changing the object an
attribute refers to (`self.items.append(x)`, `self.items[0] = y`, `del
self.opts[k]`) assigns nothing, and `self.__dict__[k] = v` skips it by
design. The tracker never hears about these changes: a dirty flag stays
clean, a change log misses entries, validation is skipped.

## Scenario
The query DSL's `Query` records which parts changed in `__setattr__` so
that it can invalidate its compiled SQL. `q.order_by("id")` assigns
`self.ordering` and invalidates correctly, but `q.filter(x=1)` appends to
`self.filters` in place: the cached SQL is reused and the final query runs
without the new filter. Logging in `__setattr__` shows no call for the
filter, which is the clue.

## Example
```python
class Query:
    def __init__(self):
        object.__setattr__(self, "changed", set())
        self.filters = []

    def __setattr__(self, name, value):
        self.changed.add(name)
        super().__setattr__(name, value)

    def filter(self, **conditions):
        self.filters.append(conditions)  # not seen by __setattr__
        return self

q = Query()
q.changed.clear()
q.filter(x=1)
print(len(q.filters), q.changed)  # prints: 1 set()
```

## Use instead
Reassign the attribute (or record the change in the mutating method):
```python
class Query:
    def __init__(self):
        object.__setattr__(self, "changed", set())
        self.filters = ()

    def __setattr__(self, name, value):
        self.changed.add(name)
        super().__setattr__(name, value)

    def filter(self, **conditions):
        self.filters = (*self.filters, conditions)
        return self

q = Query()
q.changed.clear()
q.filter(x=1)
print(len(q.filters), q.changed)  # prints: 1 {'filters'}
```

## Fix
No automatic fix: either reassign the attribute or record the change
explicitly; which one fits depends on the tracker.

## References
- [Data model: `object.__setattr__`](https://docs.python.org/3/reference/datamodel.html#object.__setattr__)
- Related: DUN105 (setattr-recursion). No peer rule in ruff or pylint.
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN707",
    name: "setattr-tracking-bypass",
    group: Group::ContextBuilders,
    severity: Severity::Information,
    fix: FixAvailability::None,
    aliases: &[],
    docs: DOCS,
    check,
};

fn check(cx: &Checker) {
    for class in &cx.module.classes {
        let methods: Vec<&Function> = cx.module.methods(class).collect();
        let Some(setattr) = methods.iter().rev().find(|m| m.name == "__setattr__") else {
            continue;
        };
        let Some(exempt) = tracking(cx, setattr) else {
            continue;
        };
        for m in &methods {
            if (m.name.starts_with("__") && m.name.ends_with("__")) || !is_plain_method(m) {
                continue;
            }
            for (node, attr) in in_place_mutations(cx, m) {
                if attr == "__dict__" {
                    if m.name.starts_with('_') {
                        continue; // loaders/caches write `__dict__` on purpose
                    }
                    cx.report(
                        node,
                        format!(
                            "`{}` writes through `self.__dict__`, which bypasses `{}.__setattr__`: the change is not tracked",
                            qualified_method(cx, m),
                            class.name
                        ),
                    );
                } else if !exempt.covers(attr) {
                    cx.report(
                        node,
                        format!(
                            "`{}` changes `self.{attr}` in place: `{}.__setattr__` is not called, so the change is not tracked",
                            qualified_method(cx, m),
                            class.name
                        ),
                    );
                }
            }
        }
    }
}

/// Attributes the `__setattr__` itself treats specially: its own state
/// (`self.changed`), names it compares against, and private names when it
/// skips `_`-prefixed ones.
struct Exempt<'a> {
    names: Vec<&'a str>,
    private: bool,
}

impl Exempt<'_> {
    fn covers(&self, attr: &str) -> bool {
        self.names.contains(&attr) || (self.private && attr.starts_with('_'))
    }
}

/// Some(exemptions) when `__setattr__` stores the value (through the parent
/// or `self.__dict__`) and has a side effect besides (records, notifies,
/// logs); None otherwise (plain storage, validation only, a proxy).
fn tracking<'a>(cx: &Checker<'a>, setattr: &Function<'a>) -> Option<Exempt<'a>> {
    if !is_plain_method(setattr) {
        return None;
    }
    let receiver = setattr.receiver()?;
    let name_param = setattr.params.get(1).map(|p| p.name);
    let calls = &setattr.scope.calls;
    let assignments = &setattr.scope.assignments;
    let is_dict_store =
        |target: Node| self_attr_root(cx, target, receiver) == Some(("__dict__", true));
    let forwards = calls
        .iter()
        .any(|c| is_parent_call(cx, Some(receiver), *c, &["__setattr__"]))
        || assignments
            .iter()
            .any(|a| a.child_by_field_name("left").is_some_and(is_dict_store));
    let side_effect_call = calls.iter().any(|c| {
        !is_parent_call(cx, Some(receiver), *c, &["__setattr__"])
            && !in_raise(*c)
            && !syntax::callee_name(cx.source, *c).is_some_and(|callee| {
                PURE.contains(&callee)
                    || name_param.is_some_and(|n| callee.split('.').next() == Some(n))
            })
    });
    let side_effect_store = assignments.iter().any(|a| {
        a.child_by_field_name("left")
            .is_some_and(|l| matches!(l.kind(), "subscript" | "attribute") && !is_dict_store(l))
    });
    if !forwards || !(side_effect_call || side_effect_store) {
        return None;
    }
    let mut names: Vec<&str> = setattr
        .self_attributes(cx.source)
        .map(|(_, attr)| attr)
        .collect();
    names.extend(
        setattr
            .scope
            .strings
            .iter()
            .filter_map(|s| syntax::string_value(cx.source, *s)),
    );
    let text = cx.text(setattr.body);
    let private = text.contains("startswith(\"_\")")
        || text.contains("startswith('_')")
        || text.contains("[0] == \"_\"")
        || text.contains("[0] == '_'");
    Some(Exempt { names, private })
}

/// Calls that only inspect: not a side effect of `__setattr__`.
const PURE: &[&str] = &[
    "isinstance",
    "issubclass",
    "hasattr",
    "getattr",
    "len",
    "type",
    "str",
    "repr",
    "format",
    "super",
    "callable",
    "id",
    "int",
    "float",
    "bool",
    "tuple",
    "frozenset",
    "object.__getattribute__",
];

/// The node is part of a `raise` statement (an exception being built).
fn in_raise(node: Node) -> bool {
    let mut current = node.parent();
    while let Some(n) = current {
        match n.kind() {
            "raise_statement" => return true,
            "function_definition" | "block" => return false,
            _ => current = n.parent(),
        }
    }
    false
}
