use crate::rules::containers::util::{self, Lineage};
use crate::rules::prelude::*;

const DOCS: &str = r#"
## What it does
Flags a concrete class that inherits a `collections.abc` ABC (directly, via
its `typing` alias such as `typing.Mapping`, or through its own bases) but
does not implement every abstract method of that ABC. Methods defined by
resolvable base classes and the ABCs' own mixin methods count as
implemented. Classes that are meant to stay abstract are skipped: classes
that declare `@abstractmethod` methods, name `abc.ABC` or `ABCMeta`
explicitly, are `Protocol`s, are subclassed in the same file, or have an
empty body (`class M(Mapping): ...` declares an interface; it does not
half-implement one).

## Why is this a problem
`ABCMeta` records the abstract methods a class leaves unimplemented when the
class is created, and refuses to instantiate it:
`TypeError: Can't instantiate abstract class Bag with abstract methods __iter__, __len__`
(Python 3.11; from 3.12 the text reads `Can't instantiate abstract class Bag
without an implementation for abstract methods '__iter__', '__len__'`).
The class statement itself succeeds, so the error surfaces only where the
class is first instantiated, often far from the class and late (in
production, on the code path the tests did not take). Assigning the method
after the class statement (`Bag.__len__ = ...`) does not help: the set of
abstract methods is already fixed (unless `abc.update_abstractmethods` is
called).

## Scenario
A team fixes their Counter-like container by inheriting
`collections.abc.MutableMapping`, as the review asked, and implements
`__getitem__`, `__setitem__` and `__iter__`. The first request that creates a
counter fails with `TypeError: Can't instantiate abstract class`: the ABC
also requires `__delitem__` and `__len__`. The ABC did its job of enforcing
the contract; this rule reports the gap while the code is being written.

## Example
```python
from collections.abc import MutableMapping

class Counter(MutableMapping):
    def __init__(self):
        self._counts = {}

    def __getitem__(self, key):
        return self._counts[key]

    def __setitem__(self, key, value):
        self._counts[key] = value

    def __iter__(self):
        return iter(self._counts)

Counter()  # raises: TypeError: Can't instantiate abstract class Counter
```

## Use instead
```python
from collections.abc import MutableMapping

class Counter(MutableMapping):
    def __init__(self):
        self._counts = {}

    def __getitem__(self, key):
        return self._counts[key]

    def __setitem__(self, key, value):
        self._counts[key] = value

    def __delitem__(self, key):
        del self._counts[key]

    def __iter__(self):
        return iter(self._counts)

    def __len__(self):
        return len(self._counts)

c = Counter()
c["apples"] = 3
assert len(c) == 1 and c.get("pears", 0) == 0
print(sorted(c.items()))  # prints: [('apples', 3)]
```

## Fix
No automatic fix: the missing methods depend on how the class stores its
data. The message lists them.

## References
- [`collections.abc`: the ABCs, their abstract methods and mixins](https://docs.python.org/3/library/collections.abc.html#collections-abstract-base-classes)
- [`abc.abstractmethod`](https://docs.python.org/3/library/abc.html#abc.abstractmethod), [`abc.update_abstractmethods`](https://docs.python.org/3/library/abc.html#abc.update_abstractmethods)
- [PEP 3119: Introducing Abstract Base Classes](https://peps.python.org/pep-3119/)
- Peer: pylint W0223 `abstract-method` (partly: it reports methods of any abstract base, for the overriding class).
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN202",
    name: "abc-abstract-missing",
    group: Group::Containers,
    severity: Severity::Error,
    fix: FixAvailability::None,
    aliases: &["PLW0223", "W0223"],
    docs: DOCS,
    check,
};

/// Class decorators that add no abstract-method implementations and do not
/// replace the class.
const NEUTRAL_DECORATORS: &[&str] = &[
    "dataclasses.dataclass",
    "functools.total_ordering",
    "typing.final",
    "typing_extensions.final",
    "typing.runtime_checkable",
    "typing_extensions.runtime_checkable",
];

const ABSTRACT_DECORATORS: &[&str] = &[
    "abc.abstractmethod",
    "abc.abstractproperty",
    "abc.abstractclassmethod",
    "abc.abstractstaticmethod",
];

fn check(cx: &Checker) {
    for class in &cx.module.classes {
        if class.has_errors || util::is_protocol(cx, class) || !class.keywords.is_empty() {
            continue;
        }
        if declared_abstract(cx, class)
            || util::has_subclass_in_file(cx, class)
            || empty_body(cx, class)
        {
            continue;
        }
        let lineage = Lineage::of(cx, class);
        if lineage.abcs.is_empty()
            || !lineage.complete()
            || !lineage.builtins.is_empty()
            || lineage.explicit_abc
        {
            continue;
        }
        let mut missing: Vec<&str> = Vec::new();
        let mut from: Vec<&str> = Vec::new();
        for abc in &lineage.abcs {
            for &method in abc.abstract_methods {
                if missing.contains(&method) || provided(cx, class, &lineage, method) {
                    continue;
                }
                missing.push(method);
                if !from.contains(&abc.name) {
                    from.push(abc.name);
                }
            }
        }
        if missing.is_empty() {
            continue;
        }
        missing.sort_unstable();
        let list = |xs: &[&str]| {
            xs.iter()
                .map(|m| format!("`{m}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let plural = if missing.len() == 1 {
            "method"
        } else {
            "methods"
        };
        cx.report(
            class.name_node,
            format!(
                "`{}` inherits {} but does not implement the abstract {plural} {}: `{}()` raises `TypeError: Can't instantiate abstract class`",
                class.name,
                list(&from),
                list(&missing),
                class.name
            ),
        );
    }
}

/// Implemented by the class, a user-class ancestor, or an ABC's mixin.
fn provided(cx: &Checker, class: &Class, lineage: &Lineage, method: &str) -> bool {
    if util::defines_or_inherits(cx, class, lineage, method) || lineage.abc_provides(method) {
        return true;
    }
    // A class body that defines `__eq__` without `__hash__` gets
    // `__hash__ = None`, which is not abstract.
    method == "__hash__" && util::defines_or_inherits(cx, class, lineage, "__eq__")
}

/// `class M(Mapping): ...` / `pass` / a docstring: a declaration (an
/// abstract marker, a type-only or test class), not a partial implementation.
fn empty_body(cx: &Checker, class: &Class) -> bool {
    class
        .node
        .child_by_field_name("body")
        .is_some_and(|body| syntax::is_stub_body(cx.source, body))
}

/// `@abstractmethod` members, an explicit `ABCMeta`/`ABC`, or decorators
/// that may add methods: the class is not meant to be instantiated as is,
/// or we cannot see all it has.
fn declared_abstract(cx: &Checker, class: &Class) -> bool {
    let qualified = |name: &str| cx.module.qualified_name(name);
    let abstract_member = cx.module.methods(class).any(|f| {
        f.decorators.iter().any(|d| {
            let q = qualified(d.name);
            ABSTRACT_DECORATORS.contains(&q.as_str()) || d.name.ends_with("abstractmethod")
        })
    });
    let opaque_decorator = class.decorators.iter().any(|d| {
        let q = qualified(d.name);
        !NEUTRAL_DECORATORS.contains(&q.as_str())
            && !matches!(d.name, "dataclass" | "total_ordering" | "final")
    });
    abstract_member || opaque_decorator
}
