use super::util::{self, OpKind, Test};
use crate::rules::prelude::*;

const DOCS: &str = r#"
## What it does
Flags a `raise` in an operator dunder (forward binary operator, in-place
operator, or ordering comparison) on the path where the operand failed an
`isinstance` check: `if not isinstance(other, Money): raise TypeError(...)`,
the `else:` of `if isinstance(other, Money):`, or a `raise` right after an
`if isinstance(other, Money): return ...`.

## Why is this a problem
For `a + b`, Python calls `a.__add__(b)` first and tries `b.__radd__(a)`
only if that *returns* `NotImplemented`. An exception ends the expression at
once: a type that knows how to combine itself with yours, through its own
`__radd__`, never gets asked. For comparisons, raising in `__lt__` keeps
Python from trying `b.__gt__(a)`; for `x += y`, raising in `__iadd__` keeps
it from falling back to `x = x + y`. Returning `NotImplemented` loses
nothing: when no operand handles the operation, Python raises
`TypeError: unsupported operand type(s) for +: 'Money' and 'Fee'` (or
`'<' not supported between instances of ...`) on its own.

Raising is right for *domain* errors between operands of your own type,
such as adding two amounts in different currencies.

## Scenario
The Money type's `__add__` starts with
`if not isinstance(other, Money): raise TypeError("can only add Money")`.
A billing team later writes a `Fee` type with a `__radd__` that knows how to
add itself to Money, but `Money(100, "USD") + Fee(5)` still fails with
Money's TypeError: `Fee.__radd__` is never called. Returning
`NotImplemented` for foreign types, and raising `ValueError` only for a
currency mismatch, lets both types cooperate.

## Example
```python
class Money:
    def __init__(self, amount, currency):
        self.amount, self.currency = amount, currency

    def __add__(self, other):
        if not isinstance(other, Money):
            raise TypeError("can only add Money to Money")
        return Money(self.amount + other.amount, self.currency)

class Fee:
    def __init__(self, amount):
        self.amount = amount

    def __radd__(self, money):
        return Money(money.amount + self.amount, money.currency)

Money(100, "USD") + Fee(5)  # raises: TypeError: can only add Money to Money
```

## Use instead
```python
class Money:
    def __init__(self, amount, currency):
        self.amount, self.currency = amount, currency

    def __add__(self, other):
        if not isinstance(other, Money):
            return NotImplemented
        if self.currency != other.currency:
            raise ValueError("currency mismatch")
        return Money(self.amount + other.amount, self.currency)

class Fee:
    def __init__(self, amount):
        self.amount = amount

    def __radd__(self, money):
        return Money(money.amount + self.amount, money.currency)

assert (Money(100, "USD") + Fee(5)).amount == 105
try:
    Money(100, "USD") + 5
except TypeError as e:
    print(e)  # prints: unsupported operand type(s) for +: 'Money' and 'int'
```

## Fix
Replaces the `raise` statement with `return NotImplemented`. Unsafe: the
custom error message is replaced by Python's own TypeError, and code that
matched on the old message (or exception type) changes behaviour.

## References
- [Data model: emulating numeric types](https://docs.python.org/3/reference/datamodel.html#emulating-numeric-types)
- [The `NotImplemented` constant](https://docs.python.org/3/library/constants.html#NotImplemented)
- [`numbers`: implementing the arithmetic operations](https://docs.python.org/3/library/numbers.html#implementing-the-arithmetic-operations)
- Related: DUN408 (`__eq__` that raises).
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN504",
    name: "binop-raises-for-foreign-type",
    group: Group::Operators,
    severity: Severity::Warning,
    fix: FixAvailability::Always,
    aliases: &[],
    docs: DOCS,
    check,
};

fn check(cx: &Checker) {
    for (class, f, kind) in util::operator_methods(cx) {
        let consequence = match kind {
            OpKind::Forward(b) => format!("the other operand's `{}` is never tried", b.reflected),
            OpKind::InPlace(b) => format!(
                "Python never falls back to `{}` / `{}`",
                b.forward, b.reflected
            ),
            OpKind::Compare(c) if c.name != c.reflected => {
                format!("the other operand's `{}` is never tried", c.reflected)
            }
            // `__eq__`/`__ne__` raising is DUN408; a reflected method is
            // the last attempt anyway.
            OpKind::Compare(_) | OpKind::Reflected(_) => continue,
        };
        let Some(other) = util::other_param(f) else {
            continue;
        };
        if !util::has_judgeable_body(f) {
            continue;
        }
        let mut raises = foreign_raises(cx, f, other);
        raises.sort_by_key(|r| r.start_byte());
        raises.dedup();
        for raise in raises {
            let fix = Fix::unsafe_(
                "Return `NotImplemented` instead",
                vec![Edit::replace(raise.byte_range(), "return NotImplemented")],
            );
            cx.report_with_fix(
                raise,
                format!(
                    "`{}` raises for an operand that fails its isinstance check: {consequence}; return `NotImplemented` instead",
                    util::qualified(class, f)
                ),
                fix,
            );
        }
    }
}

/// `raise` statements (with an exception) reached only when `other` failed
/// an isinstance test.
fn foreign_raises<'a>(cx: &Checker<'a>, f: &Function<'a>, other: &str) -> Vec<Node<'a>> {
    let mut out = Vec::new();
    let top_raises = |block: Node<'a>| {
        syntax::statements(block)
            .into_iter()
            .filter(|s| s.kind() == "raise_statement" && util::value_of(*s).is_some())
    };
    for &stmt in &f.scope.ifs {
        let (branches, else_block) = util::if_chain(stmt);
        let tests: Vec<Vec<Test>> = branches
            .iter()
            .map(|(cond, _)| {
                util::isinstance_tests(cx, *cond, other)
                    .into_iter()
                    .map(|(t, _)| t)
                    .collect()
            })
            .collect();
        // `if not isinstance(other, T): raise ...`
        for ((_, block), t) in branches.iter().zip(&tests) {
            if !t.is_empty() && t.iter().all(|t| *t == Test::Negative) {
                out.extend(top_raises(*block));
            }
        }
        // `if isinstance(other, T): ... else: raise ...`
        let positive_chain = tests.iter().flatten().any(|t| *t == Test::Positive)
            && !tests.iter().flatten().any(|t| *t == Test::Negative);
        if let Some(block) = else_block.filter(|_| positive_chain) {
            out.extend(top_raises(block));
        }
        // `if isinstance(other, T): return ...` then `raise ...`
        if else_block.is_none()
            && positive_chain
            && branches.iter().all(|(_, b)| util::ends_in_jump(*b))
        {
            let mut next = stmt.next_named_sibling();
            while let Some(n) = next.filter(|n| n.kind() == "comment") {
                next = n.next_named_sibling();
            }
            if let Some(n) =
                next.filter(|n| n.kind() == "raise_statement" && util::value_of(*n).is_some())
            {
                out.push(n);
            }
        }
    }
    out.retain(|r| !inside_try_body(*r, f.node));
    out
}

/// The node sits in the body of a `try` (whose handlers may turn the
/// exception into `return NotImplemented`).
fn inside_try_body(node: Node, stop: Node) -> bool {
    let mut cur = node;
    while let Some(parent) = cur.parent() {
        if parent == stop {
            return false;
        }
        if parent.kind() == "try_statement" && parent.child_by_field_name("body") == Some(cur) {
            return true;
        }
        cur = parent;
    }
    false
}
