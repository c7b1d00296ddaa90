use super::util::{self, OpKind};
use crate::rules::prelude::*;

const DOCS: &str = r#"
## What it does
Flags a binary operator dunder (`__add__`, `__rsub__`, `__mul__`, ...) or a
rich comparison (`__eq__`, `__lt__`, ...) that has a path returning None: a
bare `return`, `return None`, or the end of the body reached without a
`return`.

## Why is this a problem
To evaluate `a + b`, Python calls `type(a).__add__(a, b)`. Only the
`NotImplemented` singleton means "I cannot handle this operand": then Python
tries `type(b).__radd__(b, a)`, and raises
`TypeError: unsupported operand type(s) for +: 'A' and 'B'` if that declines
too. Any other result is *the* result, and None is no exception: `a + b`
silently evaluates to None, the reflected method is never tried, and the
None travels on until something far away fails with
`AttributeError: 'NoneType' object has no attribute ...`. Comparisons behave
the same way: `a < b` gives None (falsy) instead of trying `b.__gt__(a)`,
so `sorted()`, `max()` and `if a < b:` quietly compute the wrong thing.

A reflected method (`__radd__`) that returns None makes `1 + a` evaluate to
None instead of raising TypeError.

None and `NotImplemented` are opposites here: None is an answer, while
`NotImplemented` is a signal that never escapes the expression. The full
order for `a + b` is: if `type(b)` is a proper subclass of `type(a)` that
overrides `__radd__`, `b.__radd__(a)` first; then `a.__add__(b)`; then, if
that declined and the types differ, `b.__radd__(a)`; then TypeError. For
`==` and `!=`, when both sides decline, Python falls back to identity
(`a is b`). (Observed on CPython 3.8 to 3.13.)

## Scenario
A financial system models `Money(amount, currency)`. `__add__` handles
`Money + Money` inside `if isinstance(other, Money):` and nothing else, so
`Money(100, "USD") + Fee(5)` returns None instead of reaching
`Fee.__radd__`, and an invoice total becomes None several calls later.
The fix is to end the foreign-type path with `return NotImplemented`: None
should never come out of an operator method, only a result or
`NotImplemented`.

## Example
```python
class Money:
    def __init__(self, amount, currency):
        self.amount, self.currency = amount, currency

    def __add__(self, other):
        if isinstance(other, Money):
            return Money(self.amount + other.amount, self.currency)
        # falls off the end: returns None

class Fee:
    def __init__(self, amount):
        self.amount = amount

    def __radd__(self, other):
        return Money(other.amount + self.amount, other.currency)

total = Money(100, "USD") + Fee(5)
print(total)  # prints: None
total.amount  # raises: AttributeError: 'NoneType' object has no attribute 'amount'
```

## Use instead
```python
class Money:
    def __init__(self, amount, currency):
        self.amount, self.currency = amount, currency

    def __add__(self, other):
        if isinstance(other, Money):
            return Money(self.amount + other.amount, self.currency)
        return NotImplemented

class Fee:
    def __init__(self, amount):
        self.amount = amount

    def __radd__(self, other):
        return Money(other.amount + self.amount, other.currency)

total = Money(100, "USD") + Fee(5)
assert total.amount == 105  # Fee.__radd__ was tried
try:
    Money(100, "USD") + 5
except TypeError as e:
    print(e)  # prints: unsupported operand type(s) for +: 'Money' and 'int'
```

## Fix
Replaces `return` / `return None` with `return NotImplemented`, or appends
`return NotImplemented` at the end of the body (when the body ends with a
bare `super().__eq__(other)` call, returns its result instead). Unsafe: where a caller
relied on getting None, it now gets the reflected operand's answer or a
TypeError.

## References
- [Data model: emulating numeric types](https://docs.python.org/3/reference/datamodel.html#emulating-numeric-types)
- [Data model: `object.__lt__` (rich comparisons)](https://docs.python.org/3/reference/datamodel.html#object.__lt__)
- [The `NotImplemented` constant](https://docs.python.org/3/library/constants.html#NotImplemented)
- Related: DUN507 (in-place operators returning None), DUN503.
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN501",
    name: "binop-returns-none",
    group: Group::Operators,
    severity: Severity::Error,
    fix: FixAvailability::Always,
    aliases: &[],
    docs: DOCS,
    check,
};

fn check(cx: &Checker) {
    for (class, f, kind) in util::operator_methods(cx) {
        let expr = util::op_expr(kind);
        let consequence = match kind {
            OpKind::Forward(b) => format!(
                "`{expr}` evaluates to None instead of trying `{}`",
                b.reflected
            ),
            OpKind::Reflected(_) => {
                format!("`{expr}` evaluates to None instead of raising TypeError")
            }
            OpKind::Compare(c) if c.reflected == c.name => {
                format!(
                    "`{expr}` evaluates to None instead of trying the other operand's `{}`",
                    c.reflected
                )
            }
            OpKind::Compare(c) => format!(
                "`{expr}` evaluates to None instead of trying `{}`",
                c.reflected
            ),
            OpKind::InPlace(_) => continue,
        };
        if !util::has_judgeable_body(f) {
            continue;
        }
        let name = util::qualified(class, f);
        let paths = util::none_paths(cx, f);
        for ret in paths.returns {
            let fix = Fix::unsafe_(
                "Return `NotImplemented`",
                vec![Edit::replace(ret.byte_range(), "return NotImplemented")],
            );
            cx.report_with_fix(
                ret,
                format!("`{name}` returns None here: {consequence}"),
                fix,
            );
        }
        if paths.falls_off_end {
            let fix = match super_call_at_end(cx, f) {
                Some(stmt) => Some(Fix::unsafe_(
                    "Return the result of the `super()` call",
                    vec![Edit::insert(stmt.start_byte(), "return ")],
                )),
                None => util::append_to_body(cx, f, "return NotImplemented")
                    .map(|e| Fix::unsafe_("Append `return NotImplemented`", vec![e])),
            };
            cx.report_at(
                f.name_node.byte_range(),
                format!("`{name}` can end without returning, giving None: {consequence}"),
                None,
                fix,
            );
        }
    }
}

/// The body ends with `super().<same method>(...)` as a statement: the
/// author meant to return its result.
fn super_call_at_end<'a>(cx: &Checker<'a>, f: &Function<'a>) -> Option<Node<'a>> {
    let last = *syntax::statements(f.body).last()?;
    let call = last
        .named_child(0)
        .filter(|c| last.kind() == "expression_statement" && c.kind() == "call")?;
    let callee = call
        .child_by_field_name("function")
        .filter(|c| c.kind() == "attribute")?;
    let object = callee.child_by_field_name("object")?;
    let same = callee.child_by_field_name("attribute").map(|a| cx.text(a)) == Some(f.name);
    (same && object.kind() == "call" && syntax::callee_name(cx.source, object) == Some("super"))
        .then_some(last)
}
