use super::util;
use crate::rules::prelude::*;

const DOCS: &str = r#"
## What it does
Flags `__eq__`/`__ne__` whose `other` parameter is annotated with a type
narrower than `object`, such as `def __eq__(self, other: Money)`.

## Why is this a problem
`==` and `!=` call `__eq__`/`__ne__` with whatever object is on the other
side: `None`, a string, an instance of an unrelated class. `x in some_list`,
`list.index`, `list.remove`, `dict` lookups on hash collisions and `mock`
assertions all compare against arbitrary objects too. A narrow annotation
tells type checkers (and readers) that `other` is always a `Money`, so the
body reads `other.amount` without an `isinstance` check and nothing warns
about it; the first comparison with a foreign object raises
`AttributeError`. Type checkers also report the override as incompatible
with `object.__eq__(self, other: object)`.

## Scenario
A financial system models `Money(amount, currency)` and annotates
`__eq__(self, other: Money)`. Type checking passes, so nobody notices that
`__eq__` reads `other.currency` unguarded, until a code path compares a
`Money` with `None` (a missing price) or checks `price in [0, None]`, and
the request fails with `AttributeError: 'NoneType' object has no attribute
'amount'` instead of answering False.

## Example
```python
class Money:
    def __init__(self, amount, currency):
        self.amount, self.currency = amount, currency

    def __eq__(self, other: "Money") -> bool:
        return (self.amount, self.currency) == (other.amount, other.currency)

Money(5, "USD") == None  # raises: AttributeError: 'NoneType' object has no attribute 'amount'
```

## Use instead
Annotate `other: object` and return `NotImplemented` for types you do not
handle (Python then tries the other operand and finally falls back to
identity):
```python
class Money:
    def __init__(self, amount, currency):
        self.amount, self.currency = amount, currency

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        return (self.amount, self.currency) == (other.amount, other.currency)

assert (Money(5, "USD") == None) is False
assert Money(5, "USD") == Money(5, "USD")
```

## Fix
Replaces the annotation with `object`. Unsafe: tools that read annotations
at runtime (pydantic's `validate_call`, typeguard, beartype) will accept any
object from then on, and the body may need an `isinstance` check before a
type checker accepts it.

## References
- [Data model: `object.__eq__`](https://docs.python.org/3/reference/datamodel.html#object.__eq__)
- [typeshed: `object.__eq__(self, value: object, /) -> bool`](https://github.com/python/typeshed/blob/main/stdlib/builtins.pyi)
- Peers: ruff PYI032 (`Any` in stubs' `__eq__`/`__ne__`), mypy's override check.
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN406",
    name: "eq-narrow-annotation",
    group: Group::Hashing,
    severity: Severity::Information,
    fix: FixAvailability::Always,
    aliases: &["PYI032"],
    docs: DOCS,
    check,
};

fn check(cx: &Checker) {
    for (class, f) in util::all_methods(cx) {
        if !matches!(f.name, "__eq__" | "__ne__")
            || f.has_decorator(&["overload", "typing.overload"])
        {
            continue;
        }
        if class.bases.iter().any(|b| {
            b.name
                .is_some_and(|n| syntax::name_matches(n, "typing.Protocol"))
        }) {
            continue;
        }
        let Some(other) = util::other_param(f) else {
            continue;
        };
        let Some(annotation) = other.annotation else {
            continue;
        };
        let text = cx.text(annotation);
        if accepts_any(text) {
            continue;
        }
        let shown = text.trim_matches(|c| c == '"' || c == '\'');
        cx.report_with_fix(
            annotation,
            format!(
                "`{}.{}` annotates `{}` as `{shown}`, but `{}` passes any object (`None`, a str, ...): annotate it `object` and return `NotImplemented` for other types",
                class.name,
                f.name,
                other.name,
                if f.name == "__ne__" { "!=" } else { "==" }
            ),
            Fix::unsafe_(
                format!("Annotate `{}: object`", other.name),
                vec![Edit::replace(annotation.byte_range(), "object")],
            ),
        );
    }
}

/// The annotation admits any object: `object`, `Any`, or a union with one.
fn accepts_any(annotation: &str) -> bool {
    annotation
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
        .map(|token| token.rsplit('.').next().unwrap_or(token))
        .any(|token| matches!(token, "object" | "Any"))
}
