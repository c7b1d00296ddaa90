use crate::rules::prelude::*;

const DOCS: &str = r#"
## What it does
Flags a class that defines `__eq__` but neither defines nor assigns
`__hash__`.

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
When `__eq__` reads fields of `self`, the quick fix adds a `__hash__` that
hashes those fields; otherwise it adds `__hash__ = None`. Unsafe: hashing
makes instances usable as keys, which is only correct for immutable fields.

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
        let Some(eq) = cx.module.method(class, "__eq__") else {
            continue;
        };
        if class.attributes.iter().any(|a| a.name == "__hash__")
            || cx.module.method(class, "__hash__").is_some()
            || generates_hash(cx, class)
        {
            continue;
        }
        let ancestry = cx.ancestry(class);
        if ancestry.builtins().any(|b| b.ends_with("NamedTuple")) {
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
        cx.report_with_fix(eq.name_node, message, fix(cx, eq));
    }
}

/// `@dataclass(frozen=True)`, `unsafe_hash=True` and attrs' `hash=True`
/// generate a `__hash__`.
fn generates_hash(cx: &Checker, class: &Class) -> bool {
    ["frozen", "unsafe_hash", "hash"]
        .iter()
        .any(|flag| class_decorator_flag(cx, class, flag))
}

fn fix(cx: &Checker, eq: &Function) -> Fix {
    let indent = indent_of(cx.source, eq.outer);
    let nl = newline_of(cx.source);
    let mut fields: Vec<&str> = eq
        .self_attributes(cx.source)
        .filter(|(node, _)| node.parent().is_none_or(|p| p.kind() != "call"))
        .map(|(_, attr)| attr)
        .collect();
    fields.dedup();
    let mut seen = std::collections::HashSet::new();
    fields.retain(|f| seen.insert(*f));
    let receiver = eq.receiver().unwrap_or("self");
    let at = eq.outer.end_byte();
    if fields.is_empty() {
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
