use std::collections::HashSet;

use super::util::{self, MutationKind};
use crate::rules::prelude::*;

const DOCS: &str = r#"
## What it does
Flags a `__hash__` that hashes a list, dict or set attribute as such
(`hash((self.a, self.items))`, an error: it always raises), that reads an
attribute a method other than the constructor reassigns or changes in place
(`self.tenant = ...`, `self.roles.add(...)`, a property setter), or that
reads a container the constructor stored from its caller without a copy.
Reads that only pick a branch (`if self.readonly:`) and memo attributes the
hash computation fills itself (`self._hash`) are not reported.

## Why is this a problem
A dict or set files each key under the hash it had when it was inserted, and
never looks at it again. When a field the hash reads changes afterwards, the
object's hash changes while it sits in the dict: looking it up, even with the
very same object, searches under the new hash and misses (`key in cache` is
`False`), and an equal key built from the old values matches the stored hash
but no longer compares equal. The entry is lost until the dict is rebuilt.

Hashing the container directly fails at once: lists, dicts and sets set
`__hash__ = None`, so `hash((self.tenant, self.tags))` raises
`TypeError: unhashable type: 'list'`.

## Scenario
A distributed cache client shards keys across nodes by hashing user model
objects. The model's `__hash__` covers every field, including a `tenant`
that a `move_to()` method updates and a `roles` list that requests append
to. After a user is moved, the same object hashes differently than when it
was cached: its entry is stranded under the old hash, lookups miss, and the
misses show up as a spike on the backing store. Hash only the fields that
never change after construction, or make the object immutable.

## Example
```python
class CacheKey:
    def __init__(self, tenant, tags):
        self.tenant = tenant
        self.tags = list(tags)

    def __eq__(self, other):
        if not isinstance(other, CacheKey):
            return NotImplemented
        return (self.tenant, self.tags) == (other.tenant, other.tags)

    def __hash__(self):
        return hash((self.tenant, self.tags))

shards = {CacheKey("t1", ["user"]): "node-3"}  # raises: TypeError: unhashable type: 'list'
```
A field that a method reassigns loses the entry instead of raising:
```python
class CacheKey:
    def __init__(self, tenant, user):
        self.tenant, self.user = tenant, user

    def __eq__(self, other):
        if not isinstance(other, CacheKey):
            return NotImplemented
        return (self.tenant, self.user) == (other.tenant, other.user)

    def __hash__(self):
        return hash((self.tenant, self.user))

    def move_to(self, tenant):
        self.tenant = tenant

# Integer fields keep this demonstration deterministic (str hashes are
# salted per process, so the lost entry could land in the same slot).
key = CacheKey(1, 1)
cache = {key: "node-3"}
key.move_to(2)
print(key in cache)  # prints: False
```

## Use instead
Hash immutable fields only, and make a changed key a new object:
```python
from dataclasses import dataclass, replace

@dataclass(frozen=True)
class CacheKey:
    tenant: str
    tags: tuple[str, ...]

key = CacheKey("t1", ("user",))
cache = {key: "node-3"}
moved = replace(key, tenant="t2")
assert cache[CacheKey("t1", ("user",))] == "node-3"
assert key in cache and moved not in cache
```

## Fix
No automatic fix: whether to drop the field from the hash, freeze it
(tuple/frozenset) or make the class unhashable (`__hash__ = None`) is a
design decision.

## References
- [Data model: `object.__hash__`](https://docs.python.org/3/reference/datamodel.html#object.__hash__)
- [Glossary: hashable](https://docs.python.org/3/glossary.html#term-hashable)
- Related: DUN403 (hash-eq-inconsistent), DUN405 (dataclass-hash-mutable).
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN402",
    name: "hash-over-mutable-state",
    group: Group::Hashing,
    severity: Severity::Warning,
    fix: FixAvailability::None,
    aliases: &[],
    docs: DOCS,
    check,
};

fn check(cx: &Checker) {
    for class in &cx.module.classes {
        let Some(hash) = util::member(cx, class, "__hash__") else {
            continue;
        };
        if hash.is_stub() || hash.receiver().is_none() {
            continue;
        }
        let reads = util::method_reads(cx, class, hash);
        if reads.fields.is_empty() {
            continue;
        }
        let setup = util::setup_methods(cx, class);
        let mutations = util::mutations(cx, class, &setup);
        // Attributes the hash computation assigns itself are memo caches.
        let cache: HashSet<&str> = mutations
            .iter()
            .filter(|m| reads.visits(m.method))
            .map(|m| m.attr)
            .collect();
        let hashed = util::directly_hashed(cx, class, &reads.visited);
        let in_hash = |n: Node| hash.node.byte_range().contains(&n.start_byte());
        for read in reads.value_reads() {
            if cache.contains(read.name)
                || util::mutable_dataclass_field(cx, class, read.name).is_some()
            {
                continue;
            }
            let name = read.name;
            let through = read
                .via
                .map(|v| format!(" (through `{v}`)"))
                .unwrap_or_default();
            let kind = util::container_kind(cx, class, name);
            let direct = hashed.iter().find(|(a, _)| *a == name).map(|(_, n)| *n);
            if let (Some(node), true, Some(container)) = (direct, kind.always, kind.container) {
                let at = if in_hash(node) { node } else { read.anchor };
                cx.report_at(
                    at.byte_range(),
                    format!(
                        "`{}.__hash__` hashes `self.{name}`{through}, a {container}: hashing an instance raises `TypeError: unhashable type: '{container}'`",
                        class.name
                    ),
                    Some(Severity::Error),
                    None,
                );
                continue;
            }
            let changed = mutations
                .iter()
                .find(|m| m.attr == name && !reads.visits(m.method));
            let message = match (changed, kind.container) {
                (Some(m), _) => format!(
                    "`{}.__hash__` reads `self.{name}`{through}, which {} {}: the hash changes while the object is a dict key or set member, and lookups miss it",
                    class.name,
                    if m.method.decorators.iter().any(|d| d.name.ends_with(".setter")) {
                        format!("the `{}` setter", m.method.name)
                    } else {
                        format!("`{}()`", m.method.name)
                    },
                    match m.kind {
                        MutationKind::Reassign => "reassigns",
                        MutationKind::InPlace => "changes in place",
                    }
                ),
                // A container kept from the caller without a copy: the
                // caller's later changes change the hash. (An unchanged
                // container built by the class itself is immutable by
                // convention: not reported.)
                (None, Some(container)) if kind.aliases_argument => format!(
                    "`{}.__hash__` reads `self.{name}`{through}, a {container} stored from the caller without a copy: when the caller changes it, the hash changes while the object is a dict key or set member",
                    class.name
                ),
                _ => continue,
            };
            cx.report(read.anchor, message);
        }
    }
}
