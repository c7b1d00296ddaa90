use super::util;
use crate::rules::prelude::*;

const DOCS: &str = r#"
## What it does
Flags `@dataclass(unsafe_hash=True)` classes with list, dict or set fields
(error: the generated `__hash__` raises), and non-frozen dataclasses whose
explicit `__hash__` reads such a field.

## Why is this a problem
`unsafe_hash=True` makes `dataclass` generate `__hash__` as the hash of the
tuple of the fields that take part in comparison. A list, dict or set field
in that tuple makes every `hash()` of an instance fail with
`TypeError: unhashable type: 'list'`. The flag exists for classes that are
immutable in practice without being `frozen`; a container field is the
opposite. A hand-written `__hash__` that reads a container field of a
non-frozen dataclass either raises the same way (when it hashes the field
itself) or changes whenever the container is changed in place, which
strands the object in any dict or set that holds it.

## Scenario
A distributed cache client shards keys across nodes by hashing request
objects, declared as dataclasses. Someone adds `unsafe_hash=True` to make
`CacheEntry` usable as a key, and later a `replicas: list[str]` field. The
first request that caches an entry fails with
`TypeError: unhashable type: 'list'`; or, with a hand-written hash over
`tuple(self.replicas)`, entries get lost after the replica list is updated
in place and cache misses spike.

## Example
```python
from dataclasses import dataclass, field

@dataclass(unsafe_hash=True)
class CacheEntry:
    key: str
    replicas: list[str] = field(default_factory=list)

{CacheEntry("user:42"): "cache-a"}  # raises: TypeError: unhashable type: 'list'
```

## Use instead
Freeze the dataclass and use immutable field types:
```python
from dataclasses import dataclass

@dataclass(frozen=True)
class CacheEntry:
    key: str
    replicas: tuple[str, ...] = ()

entries = {CacheEntry("user:42", ("cache-a",)): "hit"}
assert entries[CacheEntry("user:42", ("cache-a",))] == "hit"
```
A container that must stay mutable can be left out of the hash with
`field(hash=False)` (equal objects still hash equal, since the hash then
covers a subset of the compared fields).

## Fix
No automatic fix: freezing the class, switching the field to a
tuple/frozenset, or excluding it with `field(hash=False)` are different
designs, and each can break callers that mutate the field.

## References
- [`dataclasses.dataclass`: `unsafe_hash` and `frozen`](https://docs.python.org/3/library/dataclasses.html#dataclasses.dataclass)
- [`dataclasses.field`: `hash` and `compare`](https://docs.python.org/3/library/dataclasses.html#dataclasses.field)
- [Data model: `object.__hash__`](https://docs.python.org/3/reference/datamodel.html#object.__hash__)
- Related: DUN402 (hash-over-mutable-state).
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN405",
    name: "dataclass-hash-mutable",
    group: Group::Hashing,
    severity: Severity::Error,
    fix: FixAvailability::None,
    aliases: &[],
    docs: DOCS,
    check,
};

fn check(cx: &Checker) {
    let source = cx.source;
    for class in &cx.module.classes {
        let Some(dc) = util::dataclass(cx, class) else {
            continue;
        };
        if dc.frozen {
            continue;
        }
        let explicit = util::member(cx, class, "__hash__");
        if class.attributes.iter().any(|a| a.name == "__hash__") {
            continue;
        }
        match explicit {
            None if dc.unsafe_hash => {
                for field in util::dataclass_fields(cx, class) {
                    if !in_generated_hash(cx, field.value)
                        || field.value.is_some_and(|v| v.kind() == "none")
                    {
                        continue;
                    }
                    let container = field
                        .annotation
                        .and_then(|t| util::annotation_container(source, t))
                        .or_else(|| field.value.and_then(|v| util::value_container(source, v)));
                    if let Some(container) = container {
                        cx.report(
                            field.target,
                            format!(
                                "`{}` is `@dataclass(unsafe_hash=True)` and field `{}` is a {container}: the generated `__hash__` raises `TypeError: unhashable type: '{container}'`",
                                class.name, field.name
                            ),
                        );
                    }
                }
            }
            Some(hash) if !hash.is_stub() => {
                let reads = util::method_reads(cx, class, hash);
                let hashed = util::directly_hashed(cx, class, &reads.visited);
                for read in reads.value_reads() {
                    let Some(container) = util::mutable_dataclass_field(cx, class, read.name)
                    else {
                        continue;
                    };
                    let name = read.name;
                    if hashed.iter().any(|(a, _)| *a == name) {
                        cx.report(
                            read.anchor,
                            format!(
                                "`{}.__hash__` hashes field `{name}`, a {container}: hashing an instance raises `TypeError: unhashable type: '{container}'`",
                                class.name
                            ),
                        );
                    } else {
                        cx.report_at(
                            read.anchor.byte_range(),
                            format!(
                                "`{}.__hash__` reads field `{name}`, a {container} of a non-frozen dataclass: changing it in place changes the hash while the object is a dict key or set member",
                                class.name
                            ),
                            Some(Severity::Warning),
                            None,
                        );
                    }
                }
            }
            _ => {}
        }
    }
}

/// Whether a field takes part in the generated hash: `field(hash=False)`
/// and `field(compare=False)` (without `hash=True`) leave it out.
fn in_generated_hash(cx: &Checker, value: Option<Node>) -> bool {
    let Some(call) = value
        .map(syntax::unparenthesize)
        .filter(|v| v.kind() == "call")
    else {
        return true;
    };
    if !syntax::callee_name(cx.source, call)
        .is_some_and(|c| syntax::name_matches(c, "dataclasses.field"))
    {
        return true;
    }
    let keywords = syntax::keyword_args(cx.source, call);
    let flag = |key: &str| {
        keywords
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| cx.text(*v))
    };
    match flag("hash") {
        Some("True") => true,
        Some("False") => false,
        _ => flag("compare") != Some("False"),
    }
}
