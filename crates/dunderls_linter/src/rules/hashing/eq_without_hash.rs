use std::collections::HashSet;

use super::util;
use crate::rules::prelude::*;

const DOCS: &str = r#"
## What it does
Flags a class that defines `__eq__` but neither defines nor assigns
`__hash__`.

Containers are exempt: a class that sets or deletes items, or derives from
a builtin container or a collections.abc mapping, set or sequence, is
unhashable by design, like `dict` and `list`.

## Why is this a problem
When a class body defines `__eq__` and not `__hash__`, Python sets
`__hash__ = None` on that class. Its instances become unhashable: using one
as a dict key, a set member or an `lru_cache` argument raises
`TypeError: unhashable type: 'ClassName'`. This also happens when a base
class has a perfectly good `__hash__`: a subclass that overrides `__eq__`
alone silently loses the inherited hash.

## Scenario
A distributed cache client shards keys across nodes by hashing user model
objects. A team adds `__eq__` to `CacheKey` so that two keys built from the
same fields compare equal. The first request that puts a key into a dict
fails with `TypeError: unhashable type: 'CacheKey'`, or, where an older base
class defined `__hash__`, the subclass quietly stops being usable as a key.
Equality and hashing are one contract: objects that compare equal must hash
equal, so the two methods are written together.

## Example
```python
class CacheKey:
    def __init__(self, tenant, key):
        self.tenant, self.key = tenant, key

    def __eq__(self, other):
        if not isinstance(other, CacheKey):
            return NotImplemented
        return (self.tenant, self.key) == (other.tenant, other.key)

assert CacheKey.__hash__ is None
{CacheKey("t1", "user:1"): "node-3"}  # raises: TypeError: unhashable type: 'CacheKey'
```

## Use instead
Hash exactly the fields `__eq__` compares (and keep them immutable):
```python
class CacheKey:
    def __init__(self, tenant, key):
        self.tenant, self.key = tenant, key

    def __eq__(self, other):
        if not isinstance(other, CacheKey):
            return NotImplemented
        return (self.tenant, self.key) == (other.tenant, other.key)

    def __hash__(self):
        return hash((self.tenant, self.key))

shards = {CacheKey("t1", "user:1"): "node-3"}
print(shards[CacheKey("t1", "user:1")])  # prints: node-3
```
For a mutable class, state the intent with `__hash__ = None` instead.

## Fix
When `__eq__` compares fields of `self` (directly, or through a helper
method or property of the class) and none of them holds a list/dict/set or
is changed by a method after construction, the quick fix adds a `__hash__`
that hashes those fields; otherwise (a mutable class, or no visible fields)
it adds `__hash__ = None`. Unsafe: hashing makes instances usable as keys,
which is only correct while those fields never change.

## References
- [Data model: `object.__hash__`](https://docs.python.org/3/reference/datamodel.html#object.__hash__)
- Peers: ruff PLW1641 (preview), pylint W1641 (extension `eq-without-hash`).
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN401",
    name: "eq-without-hash",
    group: Group::Hashing,
    severity: Severity::Warning,
    fix: FixAvailability::Always,
    aliases: &["PLW1641", "W1641"],
    docs: DOCS,
    check,
};

fn check(cx: &Checker) {
    for class in &cx.module.classes {
        let Some(eq) = util::member(cx, class, "__eq__") else {
            continue;
        };
        if class.attributes.iter().any(|a| a.name == "__hash__")
            || util::member(cx, class, "__hash__").is_some()
            || generates_hash(cx, class)
        {
            continue;
        }
        let ancestry = cx.ancestry(class);
        if ancestry.builtins().any(|b| b.ends_with("NamedTuple"))
            || is_container(cx, class, &ancestry)
        {
            continue;
        }
        let inherited = ancestry
            .user_classes()
            .find(|c| c.methods.iter().any(|m| m == "__hash__"))
            .map(|c| c.name.clone());
        let message = match inherited {
            Some(base) => format!(
                "`{}` overrides `__eq__` without `__hash__`: the `__hash__` inherited from `{base}` is discarded and instances are unhashable",
                class.name
            ),
            None => format!(
                "`{}` defines `__eq__` without `__hash__`: Python sets `__hash__ = None`, so instances are unhashable",
                class.name
            ),
        };
        cx.report_with_fix(eq.name_node, message, fix(cx, class, eq));
    }
}

/// Containers (mapping, set or sequence types, like the builtins they
/// imitate) are unhashable by design: hashing mutable contents is the bug,
/// not the missing `__hash__`.
fn is_container(cx: &Checker, class: &Class, ancestry: &crate::hierarchy::Ancestry) -> bool {
    const CONTAINER_BUILTINS: &[&str] = &[
        "dict",
        "list",
        "set",
        "bytearray",
        "collections.UserDict",
        "collections.UserList",
        "collections.OrderedDict",
        "collections.defaultdict",
        "collections.Counter",
        "collections.deque",
        "collections.ChainMap",
    ];
    const CONTAINER_ABCS: &[&str] = &[
        "Mapping",
        "MutableMapping",
        "Set",
        "MutableSet",
        "Sequence",
        "MutableSequence",
        "MappingView",
        "KeysView",
        "ItemsView",
        "ValuesView",
    ];
    let mutates_items = ["__setitem__", "__delitem__"]
        .iter()
        .any(|m| util::member(cx, class, m).is_some() || ancestry.user_class_defines(m));
    mutates_items
        || ancestry.builtins().any(|b| CONTAINER_BUILTINS.contains(&b))
        || ancestry.abcs().any(|a| CONTAINER_ABCS.contains(&a.name))
}

/// `@dataclass(frozen=True)`, `unsafe_hash=True` and attrs' `hash=True`
/// generate a `__hash__`.
fn generates_hash(cx: &Checker, class: &Class) -> bool {
    ["frozen", "unsafe_hash", "hash"]
        .iter()
        .any(|flag| class_decorator_flag(cx, class, flag))
}

fn fix<'a>(cx: &Checker<'a>, class: &Class<'a>, eq: &'a Function<'a>) -> Fix {
    let indent = indent_of(cx.source, eq.outer);
    let nl = cx.newline;
    let mut seen = HashSet::new();
    let fields: Vec<&str> = util::method_reads(cx, class, eq)
        .value_reads()
        .into_iter()
        .map(|r| r.name)
        .filter(|f| seen.insert(*f))
        .collect();
    let setup = util::setup_methods(cx, class);
    let changed: HashSet<&str> = util::mutations(cx, class, &setup)
        .into_iter()
        .map(|m| m.attr)
        .collect();
    let mutable = fields
        .iter()
        .any(|f| changed.contains(f) || util::container_kind(cx, class, f).container.is_some());
    let receiver = eq.receiver().unwrap_or("self");
    let at = eq.outer.end_byte();
    if fields.is_empty() || mutable {
        return Fix::unsafe_(
            "Add `__hash__ = None`",
            vec![Edit::insert(at, format!("{nl}{nl}{indent}__hash__ = None"))],
        );
    }
    let tuple = fields
        .iter()
        .map(|f| format!("{receiver}.{f}"))
        .collect::<Vec<_>>()
        .join(", ");
    let tuple = if fields.len() == 1 {
        format!("{tuple},")
    } else {
        tuple
    };
    Fix::unsafe_(
        "Add `__hash__` over the fields `__eq__` compares",
        vec![Edit::insert(
            at,
            format!(
                "{nl}{nl}{indent}def __hash__({receiver}):{nl}{indent}    return hash(({tuple}))"
            ),
        )],
    )
}
