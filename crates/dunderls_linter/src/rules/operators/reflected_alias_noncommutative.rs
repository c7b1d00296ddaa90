use super::util::{self, BinOp, BINOPS};
use crate::rules::prelude::*;

const DOCS: &str = r#"
## What it does
Flags a reflected operator of a non-commutative operation that is just the
forward one: `__rsub__ = __sub__` in a class body (likewise `__rtruediv__`,
`__rfloordiv__`, `__rmod__`, `__rdivmod__`, `__rpow__`, `__rmatmul__`,
`__rlshift__`, `__rrshift__`), or a reflected method whose whole body is
`return self.__sub__(other)` / `return self - other`.

## Why is this a problem
Python calls `b.__rsub__(a)` to evaluate `a - b` when `a` cannot do it: the
reflected method receives the operands *swapped*, with `self` being the
right operand. Aliasing it to `__sub__` computes `self - other`, which is
`b - a`. For addition and multiplication of numbers that is the same thing
(so `__radd__ = __add__` is a fine idiom), but for subtraction, division,
modulo, power, matrix product and shifts it silently produces wrong numbers:
`10 - Money(3)` evaluates to `Money(-7)`. Nothing raises.

## Scenario
The Money type got `__radd__ = __add__` so that `sum()` works, and someone
added `__rsub__ = __sub__` "for symmetry". Now `budget - spent`, where
`budget` is a plain number read from a config file, gives the negated
difference: reports show a remaining budget of `-7` where it should be `7`,
and no test fails because every test subtracted Money from Money.

## Example
```python
class Money:
    def __init__(self, amount):
        self.amount = amount

    def __sub__(self, other):
        if isinstance(other, (int, float)):
            return Money(self.amount - other)
        return NotImplemented

    __rsub__ = __sub__

print((10 - Money(3)).amount)  # prints: -7
```

## Use instead
```python
class Money:
    def __init__(self, amount):
        self.amount = amount

    def __sub__(self, other):
        if isinstance(other, (int, float)):
            return Money(self.amount - other)
        return NotImplemented

    def __rsub__(self, other):
        if isinstance(other, (int, float)):
            return Money(other - self.amount)
        return NotImplemented

assert (10 - Money(3)).amount == 7
assert (Money(10) - 3).amount == 7
```

## Fix
No automatic fix: the reflected method has to compute `other <op> self`,
which means converting `other` into your type or unwrapping `self`, a
choice only the author can make.

## References
- [Data model: `object.__rsub__`](https://docs.python.org/3/reference/datamodel.html#object.__rsub__)
- Related: DUN505 (missing reflected operator), where `__radd__ = __add__`
  is the right fix for commutative operations.
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN506",
    name: "reflected-alias-noncommutative",
    group: Group::Operators,
    severity: Severity::Error,
    fix: FixAvailability::None,
    aliases: &[],
    docs: DOCS,
    check,
};

fn check(cx: &Checker) {
    let noncommutative = || BINOPS.iter().filter(|b| !b.commutative);
    for class in &cx.module.classes {
        // `__rsub__ = __sub__`
        for attr in &class.attributes {
            let Some(b) = noncommutative().find(|b| b.reflected == attr.name) else {
                continue;
            };
            let aliased = attr
                .value
                .map(syntax::unparenthesize)
                .is_some_and(|v| syntax::is_identifier(cx.source, v, b.forward));
            // (Without `__sub__` in the body the alias is a NameError.)
            if aliased && util::defines_locally(cx, class, b.forward) && order_matters(cx, class, b)
            {
                cx.report(attr.node, message(class, b, "is an alias of"));
            }
        }
        // `def __rsub__(self, other): return self.__sub__(other)`
        for f in cx.module.unconditional_methods(class) {
            let Some(b) = noncommutative().find(|b| b.reflected == f.name) else {
                continue;
            };
            if f.has_errors || !f.decorators.is_empty() {
                continue;
            }
            let (Some(this), Some(other)) = (f.receiver(), util::other_param(f)) else {
                continue;
            };
            if only_returns_forward(cx, f, b, this, other) && order_matters(cx, class, b) {
                cx.report(f.name_node, message(class, b, "just calls"));
            }
        }
    }
}

fn message(class: &Class, b: &BinOp, how: &str) -> String {
    format!(
        "`{}.{}` {how} `{}`: `{}` computes `{}` (the operands are swapped), silently giving wrong results",
        class.name,
        b.reflected,
        b.forward,
        util::spell(b.expr, "x", "self"),
        util::spell(b.expr, "self", "x"),
    )
}

/// The forward method's result depends on the operand order: it returns
/// something built from `self` or `other`. A
/// placeholder that only returns `NotImplemented` or a constant, or never
/// returns (`assert False`), is harmless to alias.
fn order_matters(cx: &Checker, class: &Class, b: &BinOp) -> bool {
    let Some(forward) = cx.module.unconditional_method(class, b.forward) else {
        return true;
    };
    let operands = [forward.receiver(), util::other_param(forward)];
    let uses_operand = |value: Node| {
        syntax::descendants(value, true)
            .any(|n| n.kind() == "identifier" && operands.contains(&Some(cx.text(n))))
    };
    forward
        .scope
        .returns
        .iter()
        .any(|r| util::value_of(*r).is_some_and(uses_operand))
}

/// The body (after an optional docstring) is one `return` of the forward
/// operation with `self` on the left.
fn only_returns_forward(cx: &Checker, f: &Function, b: &BinOp, this: &str, other: &str) -> bool {
    let statements = syntax::statements(f.body);
    let rest: Vec<_> = statements
        .iter()
        .enumerate()
        .filter(|(i, s)| {
            !(*i == 0
                && s.kind() == "expression_statement"
                && s.named_child(0).is_some_and(|e| e.kind() == "string"))
        })
        .map(|(_, s)| *s)
        .collect();
    let [ret] = rest.as_slice() else { return false };
    if ret.kind() != "return_statement" {
        return false;
    }
    let Some(value) = util::value_of(*ret).map(syntax::unparenthesize) else {
        return false;
    };
    let is =
        |n: Node, name: &str| syntax::is_identifier(cx.source, syntax::unparenthesize(n), name);
    match value.kind() {
        // `self - other`
        "binary_operator" => {
            let op = value.child_by_field_name("operator").map(|o| cx.text(o));
            op.is_some()
                && op == b.token
                && value
                    .child_by_field_name("left")
                    .is_some_and(|l| is(l, this))
                && value
                    .child_by_field_name("right")
                    .is_some_and(|r| is(r, other))
        }
        "call" => {
            let Some(callee) = value.child_by_field_name("function") else {
                return false;
            };
            let args = syntax::positional_args(value);
            let has_other_args = value
                .child_by_field_name("arguments")
                .is_some_and(|a| a.named_child_count() != args.len());
            if has_other_args {
                return false;
            }
            // `divmod(self, other)` / `pow(self, other)`
            if callee.kind() == "identifier" {
                let builtin = b.forward.trim_matches('_');
                return cx.text(callee) == builtin
                    && matches!(args.as_slice(), [l, r] if is(*l, this) && is(*r, other));
            }
            if callee.kind() != "attribute"
                || callee.child_by_field_name("attribute").map(|a| cx.text(a)) != Some(b.forward)
            {
                return false;
            }
            let Some(object) = callee.child_by_field_name("object") else {
                return false;
            };
            let bound = is(object, this)
                || object.kind() == "call"
                    && syntax::callee_name(cx.source, object) == Some("super");
            if bound {
                // `self.__sub__(other)` / `super().__sub__(other)`
                matches!(args.as_slice(), [r] if is(*r, other))
            } else {
                // `type(self).__sub__(self, other)` / `Money.__sub__(self, other)`
                matches!(args.as_slice(), [l, r] if is(*l, this) && is(*r, other))
            }
        }
        _ => false,
    }
}
