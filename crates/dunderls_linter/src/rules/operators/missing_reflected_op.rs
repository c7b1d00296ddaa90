use super::util::{self, OpKind, Test};
use crate::rules::prelude::*;

const DOCS: &str = r#"
## What it does
Flags a commutative operator (`__add__`, `__mul__`, `__and__`, `__or__`,
`__xor__`) that accepts plain numbers (it tests `other` with `isinstance`
against `int`, `float`, `Decimal`, `numbers.Number`, ...) in a class that
has no reflected twin (`__radd__`, `__rmul__`, ...), counting resolvable
bases.

Non-commutative operators are left alone: `2 / duration` or `2 - address`
often has no meaning, so a missing `__rtruediv__` is usually a choice.

## Why is this a problem
Python calls `__add__` only when your object is the *left* operand. With
the number on the left, `2 + money` first asks `int.__add__(2, money)`,
which returns `NotImplemented`, and then looks for `type(money).__radd__`.
Without it: `TypeError: unsupported operand type(s) for +: 'int' and
'Money'`. The common victim is `sum()`, which starts from `0`: `sum([Money(1),
Money(2)])` computes `0 + Money(1)` first and fails the same way, even
though every `Money + Money` works. Likewise `2 * price` fails while
`price * 2` works.

(Python tries the right operand's reflected method *first* only when its
type is a subclass of the left operand's type and overrides it; for a
number on the left that never applies.)

## Scenario
The Money type supports `Money(100, "USD") * 2` and `Money + 0` so that
totals can start from zero, and the tests that build totals with `+=` pass.
In production, a report computes `sum(line.price for line in lines)` and
another multiplies `quantity * price`: both fail with `unsupported operand
type(s)` because `int` is on the left and Money has no `__radd__` or
`__rmul__`.

## Example
```python
class Money:
    def __init__(self, amount):
        self.amount = amount

    def __add__(self, other):
        if isinstance(other, (int, float)):
            return Money(self.amount + other)
        if isinstance(other, Money):
            return Money(self.amount + other.amount)
        return NotImplemented

assert (Money(1) + 2).amount == 3
sum([Money(1), Money(2)])  # raises: TypeError: unsupported operand type(s) for +: 'int' and 'Money'
```

## Use instead
```python
class Money:
    def __init__(self, amount):
        self.amount = amount

    def __add__(self, other):
        if isinstance(other, (int, float)):
            return Money(self.amount + other)
        if isinstance(other, Money):
            return Money(self.amount + other.amount)
        return NotImplemented

    __radd__ = __add__  # addition commutes

assert sum([Money(1), Money(2)]).amount == 3
assert (2 + Money(1)).amount == 3
```
Where the operation does not commute for your type, write the reflected
method with the operands swapped instead of aliasing it (see DUN506).

## Fix
Inserts `__radd__ = __add__` (or `__rmul__ = __mul__`, ...) after the
method. Unsafe: it assumes the operation commutes for your type (true for
numeric addition and scaling, not for, say, string concatenation).

## References
- [Data model: `object.__radd__`](https://docs.python.org/3/reference/datamodel.html#object.__radd__)
- [`numbers`: implementing the arithmetic operations](https://docs.python.org/3/library/numbers.html#implementing-the-arithmetic-operations)
- Related: DUN506 (reflected alias of a non-commutative operator).
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN505",
    name: "missing-reflected-op",
    group: Group::Operators,
    severity: Severity::Warning,
    fix: FixAvailability::Always,
    aliases: &[],
    docs: DOCS,
    check,
};

/// Types whose instances are plain numbers (matched on the last dotted part).
const NUMBER_TYPES: &[&str] = &[
    "int", "float", "complex", "Decimal", "Fraction", "Number", "Complex", "Real", "Rational",
    "Integral",
];

fn check(cx: &Checker) {
    let patched = util::Patched::of(cx);
    for (class, f, kind) in util::operator_methods(cx) {
        // Only operations that commute: `2 / duration` or `2 - address`
        // usually has no meaning, and a missing `__rtruediv__` is a choice.
        let OpKind::Forward(b) = kind else { continue };
        if !b.commutative {
            continue;
        }
        let Some(other) = util::other_param(f) else {
            continue;
        };
        if !util::has_judgeable_body(f) || !accepts_numbers(cx, f, other) {
            continue;
        }
        if util::class_defines(cx, class, b.reflected) != Some(false)
            || util::may_be_patched(class, &patched)
        {
            continue;
        }
        let example = util::spell(b.expr, "2", &format!("{}(...)", class.name));
        let extra = if b.forward == "__add__" {
            " (and `sum()` of them, which starts from 0)"
        } else {
            ""
        };
        let indent = indent_of(cx.source, f.outer);
        let nl = cx.newline;
        let fix = Fix::unsafe_(
            format!("Add `{} = {}`", b.reflected, b.forward),
            vec![Edit::insert(
                f.outer.end_byte(),
                format!("{nl}{nl}{indent}{} = {}", b.reflected, b.forward),
            )],
        );
        cx.report_at(
            f.name_node.byte_range(),
            format!(
                "`{}` accepts plain numbers but `{}` has no `{}`: `{example}`{extra} raises TypeError",
                util::qualified(class, f),
                class.name,
                b.reflected
            ),
            None,
            Some(fix),
        );
    }
}

/// The method tests `other` against a number type on a path that goes on
/// to use it (not one that only rejects it).
fn accepts_numbers(cx: &Checker, f: &Function, other: &str) -> bool {
    let is_number = |t: &&str| NUMBER_TYPES.contains(&t.rsplit('.').next().unwrap_or(t));
    let mut seen = Vec::new();
    for &stmt in &f.scope.ifs {
        for (cond, block) in util::if_chain(stmt).0 {
            let tests = util::isinstance_tests(cx, cond, other);
            for (test, types) in &tests {
                if types.iter().any(is_number) {
                    seen.push(cond.start_byte());
                    // `if isinstance(other, int): raise/return NotImplemented`
                    // rejects numbers; a negated test that rejects lets them
                    // through.
                    if *test == Test::Negative || !util::rejects(cx, block) {
                        return true;
                    }
                }
            }
        }
    }
    // isinstance outside an `if` condition: `Money(o) if isinstance(o, int) else o`.
    f.scope.calls.iter().any(|c| {
        syntax::isinstance_types(cx.source, *c).is_some_and(|(subject, types)| {
            syntax::is_identifier(cx.source, syntax::unparenthesize(subject), other)
                && types.iter().any(is_number)
                && !seen.iter().any(|s| enclosing_if_condition(*c, *s))
        })
    })
}

/// The call lies inside the `if` condition starting at `start`.
fn enclosing_if_condition(call: Node, start: usize) -> bool {
    let mut cur = Some(call);
    while let Some(n) = cur {
        if n.start_byte() == start
            && n.parent()
                .is_some_and(|p| matches!(p.kind(), "if_statement" | "elif_clause"))
        {
            return true;
        }
        if matches!(n.kind(), "block" | "function_definition") {
            return false;
        }
        cur = n.parent();
    }
    false
}
