use super::util::{self, OpKind};
use crate::rules::prelude::*;

const DOCS: &str = r#"
## What it does
Flags `return NotImplementedError` (or `return NotImplementedError(...)`) in
an operator dunder: a binary, reflected or in-place operator, or a rich
comparison.

## Why is this a problem
The operator protocol is driven by the `NotImplemented` constant, whose name
is one word away from the `NotImplementedError` exception. Returning the
exception class does not decline the operand: it *is* the result. `a + b`
evaluates to `<class 'NotImplementedError'>`, `a == b` to the same class,
which is truthy, so `if a == b:` takes the equal branch for every foreign
operand, and the other operand's reflected method is never tried.

## Scenario
In the Money type, `__add__` ends with `return NotImplementedError` for
operands that are not Money. Nothing raises: `Money(5, "USD") + 3` quietly
yields an exception class, totals become class objects, and
`Money(5, "USD") == 5` is truthy. The author meant `return NotImplemented`,
which makes Python try `int.__radd__` and then raise a clean TypeError.

## Example
```python
class Money:
    def __init__(self, amount):
        self.amount = amount

    def __add__(self, other):
        if isinstance(other, Money):
            return Money(self.amount + other.amount)
        return NotImplementedError

    def __eq__(self, other):
        if isinstance(other, Money):
            return self.amount == other.amount
        return NotImplementedError

print(Money(5) + 3)  # prints: <class 'NotImplementedError'>
if Money(5) == "five":
    print("equal!?")  # prints: equal!?
```

## Use instead
```python
class Money:
    def __init__(self, amount):
        self.amount = amount

    def __add__(self, other):
        if isinstance(other, Money):
            return Money(self.amount + other.amount)
        return NotImplemented

    def __eq__(self, other):
        if isinstance(other, Money):
            return self.amount == other.amount
        return NotImplemented

assert Money(5) != "five"
assert (Money(5) + Money(3)).amount == 8
try:
    Money(5) + 3
except TypeError as e:
    print(e)  # prints: unsupported operand type(s) for +: 'Money' and 'int'
```

## Fix
Replaces the returned value with `NotImplemented`. Safe for
`return NotImplementedError` (an exception class is never a meaningful
operator result); unsafe for `return NotImplementedError(...)`, where the
author may have meant `raise`.

## References
- [The `NotImplemented` constant](https://docs.python.org/3/library/constants.html#NotImplemented)
- [Data model: emulating numeric types](https://docs.python.org/3/reference/datamodel.html#emulating-numeric-types)
- Related: DUN502 (`raise NotImplemented`), the mirror-image mix-up.
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN503",
    name: "return-notimplementederror",
    group: Group::Operators,
    severity: Severity::Error,
    fix: FixAvailability::Always,
    aliases: &[],
    docs: DOCS,
    check,
};

fn check(cx: &Checker) {
    for (class, f, kind) in util::operator_methods(cx) {
        let outcome = match kind {
            OpKind::InPlace(_) => format!("`{}` binds `a` to it", util::op_expr(kind)),
            _ => format!("`{}` evaluates to it (truthy)", util::op_expr(kind)),
        };
        for ret in &f.scope.returns {
            let Some(value) = util::value_of(*ret).map(syntax::unparenthesize) else {
                continue;
            };
            let is_call = value.kind() == "call";
            let name = if is_call {
                value
                    .child_by_field_name("function")
                    .map(syntax::unparenthesize)
            } else {
                Some(value)
            };
            if !name.is_some_and(|n| syntax::is_identifier(cx.source, n, "NotImplementedError")) {
                continue;
            }
            let what = if is_call {
                "an exception instance"
            } else {
                "the exception class"
            };
            let edit = vec![Edit::replace(value.byte_range(), "NotImplemented")];
            let fix = if is_call {
                Fix::unsafe_("Return `NotImplemented`", edit)
            } else {
                Fix::safe("Return `NotImplemented`", edit)
            };
            cx.report_with_fix(
                value,
                format!(
                    "`{}` returns {what} `NotImplementedError`, not the `NotImplemented` constant: {outcome} instead of declining",
                    util::qualified(class, f)
                ),
                fix,
            );
        }
    }
}
