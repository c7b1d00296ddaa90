use std::collections::{HashMap, HashSet};

use super::util;
use crate::rules::prelude::*;

const DOCS: &str = r#"
## What it does
Flags a `__hash__` that reads a field the class's `__eq__` does not compare,
that uses the identity hash (`id(self)`, `object.__hash__(self)`) while
`__eq__` compares values, or that calls `random`, `time`, `uuid`, `secrets`
or `os.urandom`, whose results change from call to call.

## Why is this a problem
Dicts and sets rely on one rule: objects that compare equal must have equal
hashes. A lookup first goes to the bucket of the key's hash and only then
calls `__eq__`; when two equal objects hash differently, the equal one is
never compared. A set then holds "duplicates" (`len({a, b}) == 2` although
`a == b`), and a dict lookup with an equal key misses. Hashing a field that
`__eq__` ignores, or the identity, breaks the rule for every pair of equal
objects that differ in that field. A hash built from the clock or a random
source breaks it even for one object: the hash of the same instance changes
between calls, so it is never found again. Hashing a *subset* of the
compared fields is fine.

## Scenario
A distributed cache client shards keys across nodes by hashing user model
objects, and cache misses spike. The model's `__eq__` compares the tenant
and user id, but its `__hash__` also mixes in a `fetched_at` timestamp (or
`id(self)`): two requests that build equal keys get different hashes, so the
second one misses the entry the first one stored, and a hash over the clock
returns a different value on each call.

## Example
```python
class CacheKey:
    def __init__(self, tenant, user, fetched_at):
        self.tenant, self.user, self.fetched_at = tenant, user, fetched_at

    def __eq__(self, other):
        if not isinstance(other, CacheKey):
            return NotImplemented
        return (self.tenant, self.user) == (other.tenant, other.user)

    def __hash__(self):
        return hash((self.tenant, self.user, self.fetched_at))

a = CacheKey("t1", "user:1", fetched_at=100.0)
b = CacheKey("t1", "user:1", fetched_at=250.0)
assert a == b
print(len({a, b}))  # prints: 2
```

## Use instead
Hash exactly the fields `__eq__` compares (or a subset of them):
```python
class CacheKey:
    def __init__(self, tenant, user, fetched_at):
        self.tenant, self.user, self.fetched_at = tenant, user, fetched_at

    def _key(self):
        return (self.tenant, self.user)

    def __eq__(self, other):
        if not isinstance(other, CacheKey):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self):
        return hash(self._key())

a = CacheKey("t1", "user:1", fetched_at=100.0)
b = CacheKey("t1", "user:1", fetched_at=250.0)
print(len({a, b}))  # prints: 1
```

## Fix
No automatic fix: whether the extra field belongs in `__eq__` or out of
`__hash__` is a design decision.

## References
- [Data model: `object.__hash__`](https://docs.python.org/3/reference/datamodel.html#object.__hash__)
  ("objects which compare equal have the same hash value")
- [Data model: `object.__eq__`](https://docs.python.org/3/reference/datamodel.html#object.__eq__)
- Related: DUN402 (hash-over-mutable-state), DUN401 (eq-without-hash).
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN403",
    name: "hash-eq-inconsistent",
    group: Group::Hashing,
    severity: Severity::Warning,
    fix: FixAvailability::None,
    aliases: &[],
    docs: DOCS,
    check,
};

/// Calls whose result differs from call to call.
fn nondeterministic(qualified: &str) -> bool {
    const EXACT: &[&str] = &[
        "uuid.uuid1",
        "uuid.uuid4",
        "os.urandom",
        "time.time",
        "time.time_ns",
        "time.monotonic",
        "time.monotonic_ns",
        "time.perf_counter",
        "time.perf_counter_ns",
        "time.process_time",
        "datetime.datetime.now",
        "datetime.datetime.utcnow",
        "datetime.date.today",
    ];
    EXACT.contains(&qualified)
        || ["random.", "secrets."].iter().any(|p| {
            qualified.strip_prefix(p).is_some_and(|rest| {
                !rest.contains('.') && !rest.starts_with(|c: char| c.is_uppercase())
            })
        })
}

fn check(cx: &Checker) {
    let source = cx.source;
    for class in &cx.module.classes {
        let Some(hash) = util::member(cx, class, "__hash__") else {
            continue;
        };
        if hash.is_stub() || hash.receiver().is_none() {
            continue;
        }
        let hash_reads = util::method_reads(cx, class, hash);
        for f in &hash_reads.visited {
            for &call in &f.scope.calls {
                let Some(callee) = syntax::callee_name(source, call) else {
                    continue;
                };
                let qualified = cx.module.qualified_name(callee);
                if nondeterministic(&qualified) {
                    cx.report(
                        call,
                        format!(
                            "`{}.__hash__` calls `{callee}()`: the hash of one object changes from call to call, so it is never found again in a dict or set",
                            class.name
                        ),
                    );
                }
            }
        }
        let Some(eq) = util::member(cx, class, "__eq__") else {
            continue;
        };
        if eq.is_stub() || eq.receiver().is_none() {
            continue;
        }
        let eq_reads = util::method_reads(cx, class, eq);
        if eq_reads.opaque
            || eq_reads.fields.is_empty()
            || reads_inherited_state(cx, class, &eq_reads)
        {
            // Identity equality, or comparisons we cannot see.
            continue;
        }
        for f in &hash_reads.visited {
            if let Some(call) = identity_hash(cx, class, f) {
                cx.report(
                    call,
                    format!(
                        "`{}.__hash__` uses the identity hash (`{}`) while `__eq__` compares values: equal objects get different hashes",
                        class.name,
                        cx.text(call)
                    ),
                );
            }
        }
        if hash_reads.opaque {
            // The hash also depends on state we cannot see (`t = self`,
            // `super().__hash__()`): its fields may be normalised there.
            continue;
        }
        let compared = eq_reads.names();
        let setup = util::setup_methods(cx, class);
        let mutations = util::mutations(cx, class, &setup);
        let cache: HashSet<&str> = mutations
            .iter()
            .filter(|m| hash_reads.visits(m.method))
            .map(|m| m.attr)
            .collect();
        let sources = field_sources(cx, class, &setup);
        let set_later: HashSet<&str> = mutations.iter().map(|m| m.attr).collect();
        for read in hash_reads.value_reads() {
            let name = read.name;
            if compared.contains(name)
                || cache.contains(name)
                || name.to_ascii_lowercase().contains("hash")
                || is_class_constant(cx, class, name)
                || !set_later.contains(name) && is_per_class_constant(&sources, name)
                || is_derived(&sources, name, &compared)
                || set_by_a_base(cx, class, name)
            {
                continue;
            }
            let through = read
                .via
                .map(|v| format!(" (through `{v}`)"))
                .unwrap_or_default();
            cx.report(
                read.anchor,
                format!(
                    "`{}.__hash__` hashes `self.{name}`{through}, which `__eq__` does not compare: equal objects can get different hashes, so sets keep duplicates and dict lookups miss",
                    class.name
                ),
            );
        }
    }
}

/// `id(self)`, `object.__hash__(self)`, or `super().__hash__()` in a class
/// whose only base is `object`.
fn identity_hash<'a>(cx: &Checker<'a>, class: &Class, f: &Function<'a>) -> Option<Node<'a>> {
    let source = cx.source;
    let receiver = f.receiver()?;
    let only_object = class.bases.iter().all(|b| b.name == Some("object"));
    f.scope.calls.iter().copied().find(|call| {
        let args = syntax::positional_args(*call);
        let on_self = args
            .first()
            .is_some_and(|a| syntax::is_identifier(source, *a, receiver));
        match syntax::callee_name(source, *call) {
            Some("id") | Some("object.__hash__") => on_self,
            Some(_) => false,
            None => {
                only_object
                    && syntax::callee_last(source, *call) == Some("__hash__")
                    && call
                        .child_by_field_name("function")
                        .and_then(|c| c.child_by_field_name("object"))
                        .is_some_and(|o| {
                            o.kind() == "call" && syntax::callee_name(source, o) == Some("super")
                        })
            }
        }
    })
}

/// A class-level attribute that no method assigns on the instance: the
/// same for every instance of the class.
fn is_class_constant(cx: &Checker, class: &Class, name: &str) -> bool {
    class.attributes.iter().any(|a| a.name == name)
        && cx.module.unconditional_methods(class).all(|f| {
            f.self_attributes(cx.source)
                .all(|(node, attr)| attr != name || !util::is_store(node))
        })
}

/// `__eq__` reads an attribute the class never sets while it has bases:
/// probably a property or field of a base, whose inputs we cannot see.
fn reads_inherited_state(cx: &Checker, class: &Class, reads: &util::MethodReads) -> bool {
    reads
        .fields
        .iter()
        .any(|r| set_by_a_base(cx, class, r.name))
}

/// The class has bases and never sets `name` itself: a base sets it (or a
/// base's property computes it), from inputs we cannot see here.
fn set_by_a_base(cx: &Checker, class: &Class, name: &str) -> bool {
    if class.bases.iter().all(|b| b.name == Some("object")) {
        return false;
    }
    let set_here = class.attributes.iter().any(|a| a.name == name)
        || cx.module.unconditional_methods(class).any(|f| {
            f.name == name
                || f.self_attributes(cx.source)
                    .any(|(n, a)| a == name && util::is_store(n))
        });
    !set_here
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Source<'a> {
    /// `self.<field>` in the assigned expression.
    Field(&'a str),
    /// A parameter or local of the setup method.
    Local(&'a str),
    /// A module-level or builtin name: the same for every instance.
    Global(&'a str),
}

/// What each field is computed from in the setup methods (`__init__` and
/// the helpers it calls): `self.domain = field.domain` gives
/// `domain <- Local(field)`.
fn field_sources<'a>(
    cx: &Checker<'a>,
    class: &Class<'a>,
    setup: &HashSet<usize>,
) -> HashMap<&'a str, Vec<Source<'a>>> {
    let source = cx.source;
    let mut out: HashMap<&str, Vec<Source>> = HashMap::new();
    for f in cx
        .module
        .unconditional_methods(class)
        .filter(|f| setup.contains(&f.node.id()))
    {
        let Some(receiver) = f.receiver() else {
            continue;
        };
        let mut locals: HashSet<&str> = f.params.iter().map(|p| p.name).collect();
        for &a in &f.scope.assignments {
            if let Some(left) = a.child_by_field_name("left") {
                locals.extend(
                    syntax::descendants(left, true)
                        .filter(|n| {
                            n.kind() == "identifier"
                                && n.parent().is_none_or(|p| p.kind() != "attribute")
                        })
                        .map(|n| cx.text(n)),
                );
            }
        }
        for &a in &f.scope.assignments {
            let (Some(left), Some(mut right)) = (
                a.child_by_field_name("left"),
                a.child_by_field_name("right"),
            ) else {
                continue;
            };
            while right.kind() == "assignment" {
                match right.child_by_field_name("right") {
                    Some(r) => right = r,
                    None => break,
                }
            }
            let targets: Vec<Node> = if left.kind() == "attribute" {
                vec![left]
            } else {
                let mut cursor = left.walk();
                left.named_children(&mut cursor).collect()
            };
            let values: Vec<Node> = {
                let mut cursor = right.walk();
                let items: Vec<Node> = right.named_children(&mut cursor).collect();
                if left.kind() != "attribute"
                    && right.kind() == "expression_list"
                    && items.len() == targets.len()
                {
                    items
                } else {
                    vec![right; targets.len()]
                }
            };
            for (target, value) in targets.into_iter().zip(values) {
                let Some(field) = util::receiver_attr(source, target, receiver) else {
                    continue;
                };
                let roots = out.entry(field).or_default();
                for n in syntax::descendants(value, true).filter(|n| n.kind() == "identifier") {
                    let Some(parent) = n.parent() else { continue };
                    let name = cx.text(n);
                    let is_field_name = parent.kind() == "attribute"
                        && parent.child_by_field_name("attribute") == Some(n);
                    let is_callee = parent.kind() == "call"
                        && parent.child_by_field_name("function") == Some(n);
                    let is_keyword = parent.kind() == "keyword_argument"
                        && parent.child_by_field_name("name") == Some(n);
                    if is_field_name || is_callee || is_keyword {
                        continue;
                    }
                    if name == receiver {
                        if let Some(attr) = util::receiver_attr(source, parent, receiver) {
                            roots.push(Source::Field(attr));
                        }
                    } else if locals.contains(name) {
                        roots.push(Source::Local(name));
                    } else {
                        roots.push(Source::Global(name));
                    }
                }
            }
        }
    }
    out
}

/// Set only in setup, from constants: `self.action_type = ActionType.SKIP`.
fn is_per_class_constant(sources: &HashMap<&str, Vec<Source>>, name: &str) -> bool {
    sources
        .get(name)
        .is_some_and(|roots| roots.iter().all(|r| matches!(r, Source::Global(_))))
}

/// Computed only from compared fields or from the same inputs the compared
/// fields are set from: equal objects have equal values of it.
fn is_derived(sources: &HashMap<&str, Vec<Source>>, name: &str, compared: &HashSet<&str>) -> bool {
    let Some(roots) = sources.get(name).filter(|r| !r.is_empty()) else {
        return false;
    };
    let inputs: HashSet<Source> = compared
        .iter()
        .flat_map(|c| sources.get(c).into_iter().flatten().copied())
        .collect();
    roots.iter().all(|r| match r {
        Source::Field(f) => compared.contains(f),
        Source::Local(_) => inputs.contains(r),
        Source::Global(_) => true,
    }) && roots.iter().any(|r| !matches!(r, Source::Global(_)))
}
