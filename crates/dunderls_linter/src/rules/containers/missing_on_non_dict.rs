use crate::rules::containers::util::{self, Lineage};
use crate::rules::prelude::*;

const DOCS: &str = r#"
## What it does
Flags a `__missing__` method in a class that does not inherit from `dict`
(or from a class whose `__getitem__` consults `__missing__`:
`collections.UserDict`, `defaultdict`, `OrderedDict`, `Counter`,
`ChainMap`), when nothing in the class calls it.

## Why is this a problem
`__missing__` is not a general hook. Only `dict.__getitem__` (used by dict
subclasses) looks for it when a key is absent; `collections.UserDict` and
`collections.ChainMap` call it from their own `__getitem__`. On any other
class the method is never called: a lookup of an absent key raises
`KeyError` (or whatever the class's `__getitem__` raises), and the default
the method was written to supply never appears. Nothing warns about it.

## Scenario
A Counter-like container wraps a dict in a plain class and defines
`__missing__` to return `0` for unknown keys, copying the idiom from a
`dict` subclass. `counter["pears"]` still raises `KeyError: 'pears'`: the
class's `__getitem__` indexes the inner dict, and the inner dict knows
nothing about the wrapper's `__missing__`.

## Example
```python
class Counter:
    def __init__(self):
        self._counts = {}

    def __getitem__(self, key):
        return self._counts[key]

    def __missing__(self, key):
        return 0

Counter()["pears"]  # raises: KeyError: 'pears'
```

## Use instead
Inherit `dict` (or `collections.UserDict`), or handle the miss in
`__getitem__`:
```python
from collections import UserDict

class Counter(UserDict):
    def __missing__(self, key):
        return 0

class Tally:
    def __init__(self):
        self._counts = {}

    def __getitem__(self, key):
        return self._counts.get(key, 0)

assert Counter()["pears"] == 0
print(Tally()["pears"])  # prints: 0
```

## Fix
No automatic fix: changing the base class changes the whole class's
behaviour.

## References
- [Data model: `object.__missing__`](https://docs.python.org/3/reference/datamodel.html#object.__missing__)
- [`dict`: `d[key]` and `__missing__`](https://docs.python.org/3/library/stdtypes.html#dict)
- [`collections.UserDict`](https://docs.python.org/3/library/collections.html#collections.UserDict), [`collections.defaultdict`](https://docs.python.org/3/library/collections.html#collections.defaultdict)
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN207",
    name: "missing-on-non-dict",
    group: Group::Containers,
    severity: Severity::Warning,
    fix: FixAvailability::None,
    aliases: &[],
    docs: DOCS,
    check,
};

fn check(cx: &Checker) {
    for class in &cx.module.classes {
        let Some(missing) = cx.module.method(class, "__missing__") else {
            continue;
        };
        if class.has_errors || util::is_protocol(cx, class) || util::is_placeholder(missing) {
            continue;
        }
        let lineage = Lineage::of(cx, class);
        if !lineage.complete() || lineage.inherits_missing_aware() {
            continue;
        }
        // A user base may have a `__getitem__` that calls `__missing__`, and
        // a base we only know by summary may too.
        if lineage.user_defines("__getitem__") || calls_missing(cx, class) {
            continue;
        }
        let base = if lineage.builtins.is_empty() && lineage.abcs.is_empty() {
            "it does not inherit from dict".to_string()
        } else {
            format!("its bases ({}) do not consult it", bases_text(cx, class))
        };
        cx.report(
            missing.name_node,
            format!(
                "`{}.__missing__` is never called: only `dict.__getitem__` (and `UserDict`/`ChainMap`) consult `__missing__`, and {base}; lookups of absent keys raise KeyError",
                class.name
            ),
        );
    }
}

/// A method of the class reads `self.__missing__` / `type(self).__missing__`
/// or calls `__missing__` in any way.
fn calls_missing(cx: &Checker, class: &Class) -> bool {
    cx.module.methods(class).any(|f| {
        f.name != "__missing__"
            && f.scope.attributes.iter().any(|&a| {
                a.child_by_field_name("attribute")
                    .is_some_and(|n| cx.text(n) == "__missing__")
            })
    }) || class.scope.attributes.iter().any(|&a| {
        a.child_by_field_name("attribute")
            .is_some_and(|n| cx.text(n) == "__missing__")
    })
}

fn bases_text(cx: &Checker, class: &Class) -> String {
    class
        .bases
        .iter()
        .map(|b| cx.text(b.node))
        .collect::<Vec<_>>()
        .join(", ")
}
