use super::util::{self, ORDERING};
use crate::rules::prelude::*;

const DOCS: &str = r#"
## What it does
Flags `@functools.total_ordering` on a class that defines no ordering method
(`__lt__`, `__le__`, `__gt__` or `__ge__`, counting resolvable bases): an
error. Also flags, as a warning, `@total_ordering` on a class that has no
`__eq__` other than `object`'s.

## Why is this a problem
`total_ordering` builds the missing comparison methods from one you wrote.
With none, it fails when the class is created (at import time):
`ValueError: must define at least one ordering operation: < > <= >=` (the
same on CPython 3.8 to 3.13).

The derived methods also use `==`: `__le__` is computed as
`a < b or a == b`. Without an `__eq__` of your own, `==` is identity, so for
two distinct but equal values `a <= b` is False while `a >= b` (computed as
`not a < b`) is True, and neither `a < b` nor `a > b` holds. Sorting still
works, but range checks and `max`/`min` over equal values disagree with the
order the class claims.

## Scenario
The Money type is decorated with `@functools.total_ordering` and defines
`__lt__` on the amount but no `__eq__`. A limit check
`if spent <= budget:` rejects a purchase that spends exactly the budget,
because two distinct `Money(100)` objects are not `==`, while
`budget >= spent` accepts it. The decorator's documentation requires
`__eq__` for this reason.

## Example
```python
import functools

@functools.total_ordering
class Money:
    def __init__(self, amount):
        self.amount = amount

    def __lt__(self, other):
        return self.amount < other.amount

spent, budget = Money(100), Money(100)
print(spent <= budget, budget >= spent)  # prints: False True
```
```python
import functools

@functools.total_ordering  # raises: ValueError: must define at least one ordering operation
class Money:
    def __init__(self, amount):
        self.amount = amount

    def __eq__(self, other):
        return self.amount == other.amount
```

## Use instead
```python
import functools

@functools.total_ordering
class Money:
    def __init__(self, amount):
        self.amount = amount

    def __eq__(self, other):
        if not isinstance(other, Money):
            return NotImplemented
        return self.amount == other.amount

    __hash__ = None

    def __lt__(self, other):
        if not isinstance(other, Money):
            return NotImplemented
        return self.amount < other.amount

spent, budget = Money(100), Money(100)
assert spent <= budget and budget >= spent
```

## Fix
No automatic fix: the missing method (`__lt__` or `__eq__`) has to compare
the fields that define the order, which only the author knows.

## References
- [`functools.total_ordering`](https://docs.python.org/3/library/functools.html#functools.total_ordering)
- [Data model: `object.__lt__`](https://docs.python.org/3/reference/datamodel.html#object.__lt__)
- Related: DUN508 (partial ordering without `total_ordering`).
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN509",
    name: "total-ordering-misuse",
    group: Group::Operators,
    severity: Severity::Error,
    fix: FixAvailability::None,
    aliases: &[],
    docs: DOCS,
    check,
};

fn check(cx: &Checker) {
    let patched = util::Patched::of(cx);
    for class in &cx.module.classes {
        let Some(decorator) = util::total_ordering(cx, class, false) else {
            continue;
        };
        // `@total_ordering` without a trailing comment.
        let end = decorator
            .node
            .named_child(0)
            .map_or(decorator.node.end_byte(), |e| e.end_byte());
        let range = decorator.node.start_byte()..end;
        if util::may_be_patched(class, &patched) {
            continue;
        }
        let mut ordering = Some(false);
        for name in ORDERING {
            match util::class_defines(cx, class, name) {
                Some(false) => {}
                other => {
                    ordering = other;
                    break;
                }
            }
        }
        if ordering == Some(false) {
            cx.report_at(
                range,
                format!(
                    "`@total_ordering` on `{}`, which defines none of `__lt__`, `__le__`, `__gt__`, `__ge__`: class creation raises `ValueError: must define at least one ordering operation`",
                    class.name
                ),
                None,
                None,
            );
            continue;
        }
        if ordering == Some(true) && util::has_value_eq(cx, class) == Some(false) {
            cx.report_at(
                range,
                format!(
                    "`@total_ordering` on `{}`, which has no `__eq__`: the derived `<=`/`>=` fall back to identity, so `a <= b` is False for distinct equal values while `a >= b` is True",
                    class.name
                ),
                Some(Severity::Warning),
                None,
            );
        }
    }
}
