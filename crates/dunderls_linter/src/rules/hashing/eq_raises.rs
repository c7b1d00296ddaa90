use super::util;
use crate::rules::prelude::*;

const DOCS: &str = r#"
## What it does
Flags a `raise` in `__eq__` or `__ne__`, such as raising `TypeError` for
another type or `ValueError` for another currency.

## Why is this a problem
Equality is asked far more often than code shows: `x in some_list`,
`list.index`, `list.remove`, `list.count`, dict and set lookups when hashes
collide, `unittest`'s `assertIn`, `mock`'s call matching and every library
that deduplicates values compare objects that have nothing to do with each
other. An `__eq__` that raises turns each of those into an exception:
`price in [None, 0]` raises instead of answering `False`, and a dict keyed
by `Money` fails on the first hash collision with an unrelated key. The
protocol already has two answers for "not comparable": return
`NotImplemented` for types you do not handle (Python tries the other
operand, then falls back to identity), and return `False` for values that
are simply not equal, such as amounts in different currencies.

## Scenario
A financial system models `Money(amount, currency)` and makes
`Money(100, 'USD') == Money(50, 'EUR')` raise `ValueError("currency
mismatch")` to catch mistakes early. Months later a deduplication step runs
`if price not in seen:` over a list holding mixed currencies, and the job
dies on the first EUR price. Mixed-currency arithmetic (`__add__`) may raise;
equality should answer.

## Example
```python
class Money:
    def __init__(self, amount, currency):
        self.amount, self.currency = amount, currency

    def __eq__(self, other):
        if not isinstance(other, Money):
            return NotImplemented
        if self.currency != other.currency:
            raise ValueError("currency mismatch")
        return self.amount == other.amount

    __hash__ = None

seen = [Money(100, "USD")]
Money(50, "EUR") in seen  # raises: ValueError: currency mismatch
```

## Use instead
```python
class Money:
    def __init__(self, amount, currency):
        self.amount, self.currency = amount, currency

    def __eq__(self, other):
        if not isinstance(other, Money):
            return NotImplemented
        return (self.amount, self.currency) == (other.amount, other.currency)

    __hash__ = None

seen = [Money(100, "USD")]
assert Money(50, "EUR") not in seen
assert Money(100, "USD") in seen
```

## Fix
Replaces the `raise` with `return NotImplemented` when it rejects another
type (or is unconditional), and with `return False` (`return True` in
`__ne__`) when it rejects a value of the right type. Unsafe: callers that
relied on the exception no longer get it.

## References
- [Data model: `object.__eq__`](https://docs.python.org/3/reference/datamodel.html#object.__eq__)
- [`NotImplemented`](https://docs.python.org/3/library/constants.html#NotImplemented)
- Related: DUN407 (eq-false-for-foreign), DUN504 (binop-raises-for-foreign-type).
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN408",
    name: "eq-raises",
    group: Group::Hashing,
    severity: Severity::Warning,
    fix: FixAvailability::Always,
    aliases: &[],
    docs: DOCS,
    check,
};

fn check(cx: &Checker) {
    let source = cx.source;
    for (class, f) in util::all_methods(cx) {
        if !matches!(f.name, "__eq__" | "__ne__") || f.is_stub() {
            continue;
        }
        let other = util::other_param(f).map(|p| p.name);
        for &raise in &f.scope.raises {
            // A bare `raise` re-raises what an inner call raised.
            let Some(exception) = raise.named_child(0) else {
                continue;
            };
            if caught_locally(raise, f) {
                continue;
            }
            let exception_name = match exception.kind() {
                "call" => exception
                    .child_by_field_name("function")
                    .unwrap_or(exception),
                _ => exception,
            };
            let foreign = match util::guarding_condition(raise, f) {
                None => true,
                Some(condition) => {
                    other.is_some_and(|o| util::type_test(source, condition, o) == Some(true))
                }
            };
            let (replacement, why) = match (foreign, f.name) {
                (true, _) => (
                    "NotImplemented",
                    "Return `NotImplemented` instead of raising",
                ),
                (false, "__ne__") => ("True", "Return `True` (not equal) instead of raising"),
                (false, _) => ("False", "Return `False` (not equal) instead of raising"),
            };
            cx.report_with_fix(
                raise,
                format!(
                    "`{}.{}` raises `{}`: `==`, `in`, `list.remove()` and dict lookups that compare it with another object raise instead of answering",
                    class.name,
                    f.name,
                    cx.text(exception_name)
                ),
                Fix::unsafe_(why, vec![Edit::replace(raise.byte_range(), format!("return {replacement}"))]),
            );
        }
    }
}

/// The raise sits in the body of a `try` that has an `except` clause
/// (within the same function): it may be handled there.
fn caught_locally(raise: Node, f: &Function) -> bool {
    let at = raise.start_byte();
    syntax::descendants(f.body, true)
        .filter(|n| n.kind() == "try_statement")
        .filter(|t| {
            t.child_by_field_name("body")
                .is_some_and(|b| b.byte_range().contains(&at))
        })
        .any(|t| {
            let mut cursor = t.walk();
            let handled = t
                .named_children(&mut cursor)
                .any(|c| matches!(c.kind(), "except_clause" | "except_group_clause"));
            handled
        })
}
