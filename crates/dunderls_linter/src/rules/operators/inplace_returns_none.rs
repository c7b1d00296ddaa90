use super::util::{self, OpKind};
use crate::rules::prelude::*;

const DOCS: &str = r#"
## What it does
Flags an in-place operator dunder (`__iadd__`, `__isub__`, `__ior__`, ...)
that has a path returning None: a bare `return`, `return None`, or the end
of the body reached without a `return`.

## Why is this a problem
`x += y` is not a mutation statement: Python evaluates
`type(x).__iadd__(x, y)` and then *binds the result to `x`*. A method that
mutates `self` and forgets `return self` therefore rebinds `x` to None. The
mutation happened, but the variable (or the attribute in `obj.total += y`,
or the slot in `d[k] += y`) now holds None, and the next use fails far
from the cause with `AttributeError: 'NoneType' object has no attribute ...` or
`TypeError: unsupported operand type(s) for +=: 'NoneType' and ...` (the
same on CPython 3.8 to 3.13).

Only `NotImplemented` makes Python fall back to `x = x + y` (`__add__`, then
the other operand's `__radd__`).

## Scenario
In the Money codebase, a `Ledger` accumulates entries with
`ledger += Money(5, "USD")`. Its `__iadd__` appends to an internal list and
ends there. The first `+=` works, the variable becomes None, and the second
`+=` fails with a TypeError about `NoneType`, in code that never mentions
None. An in-place operator returns the object to bind: `return self` after
mutating, or `NotImplemented` for operands it does not handle.

## Example
```python
class Ledger:
    def __init__(self):
        self.entries = []

    def __iadd__(self, amount):
        self.entries.append(amount)

ledger = Ledger()
ledger += 5
print(ledger)  # prints: None
ledger += 7  # raises: TypeError: unsupported operand type(s) for +=: 'NoneType' and 'int'
```

## Use instead
```python
class Ledger:
    def __init__(self):
        self.entries = []

    def __iadd__(self, amount):
        if not isinstance(amount, int):
            return NotImplemented
        self.entries.append(amount)
        return self

ledger = Ledger()
ledger += 5
ledger += 7
assert ledger.entries == [5, 7]
```

## Fix
Appends `return self` at the end of the body, or replaces `return` /
`return None` with `return NotImplemented` under an
`if not isinstance(other, ...)` test and with `return self` elsewhere.
Safe only for a method without any `return` whose last statement is
unconditional (it always mutates, then rebinds None); otherwise unsafe,
because the path may be one that should decline the operand instead.

## References
- [Data model: in-place operators (`object.__iadd__`)](https://docs.python.org/3/reference/datamodel.html#object.__iadd__)
- [The `NotImplemented` constant](https://docs.python.org/3/library/constants.html#NotImplemented)
- Related: DUN501 (binary operators returning None).
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN507",
    name: "inplace-returns-none",
    group: Group::Operators,
    severity: Severity::Error,
    fix: FixAvailability::Always,
    aliases: &[],
    docs: DOCS,
    check,
};

fn check(cx: &Checker) {
    for (class, f, kind) in util::operator_methods(cx) {
        let OpKind::InPlace(_) = kind else { continue };
        if !util::has_judgeable_body(f) {
            continue;
        }
        let name = util::qualified(class, f);
        let stmt = util::op_expr(kind);
        let paths = util::none_paths(cx, f);
        let receiver = f.receiver().unwrap_or("self");
        let other = util::other_param(f).unwrap_or("other");
        for ret in &paths.returns {
            // Under `if not isinstance(other, ...)` the path declines the
            // operand; elsewhere it is an early exit after (no) mutation.
            let declines = util::guarding_condition(*ret).is_some_and(|c| {
                let tests = util::isinstance_tests(cx, c, other);
                !tests.is_empty() && tests.iter().all(|(t, _)| *t == util::Test::Negative)
            });
            let value = if declines { "NotImplemented" } else { receiver };
            let fix = Fix::unsafe_(
                format!("Return `{value}`"),
                vec![Edit::replace(ret.byte_range(), format!("return {value}"))],
            );
            cx.report_with_fix(
                *ret,
                format!("`{name}` returns None here: `{stmt}` rebinds `a` to None"),
                fix,
            );
        }
        if paths.falls_off_end {
            let always_mutates = f.scope.returns.is_empty()
                && syntax::statements(f.body).last().is_some_and(|s| {
                    !matches!(
                        s.kind(),
                        "if_statement"
                            | "try_statement"
                            | "for_statement"
                            | "while_statement"
                            | "with_statement"
                            | "match_statement"
                    )
                });
            let fix = util::append_to_body(cx, f, &format!("return {receiver}")).map(|e| {
                let title = format!("Append `return {receiver}`");
                if always_mutates {
                    Fix::safe(title, vec![e])
                } else {
                    Fix::unsafe_(title, vec![e])
                }
            });
            cx.report_at(
                f.name_node.byte_range(),
                format!("`{name}` can end without returning: `{stmt}` rebinds `a` to None"),
                None,
                fix,
            );
        }
    }
}
