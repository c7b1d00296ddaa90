use crate::rules::class_creation::util::{
    append_to_block, methods_named, qualified_method, returns_none,
};
use crate::rules::prelude::*;

const DOCS: &str = r#"
## What it does
Flags an `__array_ufunc__` with a path that returns None: a bare `return`,
`return None`, or the end of the body. A `return` under
`if method == "at":` is fine: `ufunc.at` works in place and returns None.

## Why is this a problem
NumPy returns whatever `__array_ufunc__` returns as the ufunc's result. It
only tries the other operands (and finally raises TypeError) when the
override returns `NotImplemented`. A path that returns None makes the
ufunc, and every ndarray operator that goes through it, evaluate to None:
observed with NumPy 2.4.6, `np.multiply(np.ones(2), Tagged())` and
`np.ones(2) * Tagged()` are both `None` when `Tagged.__array_ufunc__` only
handles `np.add`. The None travels on until something far away fails.

## Scenario
The Decimal-like `Money` type gets an `__array_ufunc__` that handles `add`
and `multiply` and "ignores" the rest by falling off the end. A risk report
later computes `np.maximum(prices, floor)` with a `Money` floor: the result
is None, the report prints `None` for every row, and nobody sees an error.

## Example
```python
# requires: numpy
import numpy as np

class Tagged:
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        if ufunc is np.add:
            return "handled add"
        # every other ufunc falls off the end: None

print(np.multiply(np.ones(2), Tagged()))  # prints: None
```

## Use instead
```python
# requires: numpy
import numpy as np

class Tagged:
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        if ufunc is np.add:
            return "handled add"
        return NotImplemented

print(np.add(np.ones(2), Tagged()))  # prints: handled add
try:
    np.multiply(np.ones(2), Tagged())
except TypeError as e:
    print("TypeError:", e)  # prints: operand type(s) all returned NotImplemented
```

## Fix
Replaces the bare `return`/`return None` with `return NotImplemented`, or
appends `return NotImplemented` when the body can end without returning.
Unsafe: callers that relied on getting None now get a TypeError.

## References
- [NumPy: `__array_ufunc__`](https://numpy.org/doc/stable/reference/arrays.classes.html#numpy.class.__array_ufunc__)
- [NEP 13: A mechanism for overriding ufuncs](https://numpy.org/neps/nep-0013-ufunc-overrides.html)
- Related: DUN501 (binop-returns-none). No peer rule in ruff or pylint.
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN802",
    name: "array-ufunc-returns-none",
    group: Group::Numpy,
    severity: Severity::Error,
    fix: FixAvailability::Always,
    aliases: &[],
    docs: DOCS,
    check,
};

fn check(cx: &Checker) {
    for f in methods_named(cx, "__array_ufunc__") {
        if f.has_errors || f.is_stub() || f.is_overload() || !f.scope.yields.is_empty() {
            continue;
        }
        let name = qualified_method(cx, f);
        for r in f
            .scope
            .returns
            .iter()
            .copied()
            .filter(|r| returns_none(*r) && !in_at_branch(cx, *r, f))
        {
            cx.report_with_fix(
                r,
                format!("`{name}` returns None here: the ufunc evaluates to None instead of NumPy trying the other operands; return NotImplemented"),
                Fix::unsafe_(
                    "Return `NotImplemented`",
                    vec![Edit::replace(r.byte_range(), "return NotImplemented")],
                ),
            );
        }
        if f.can_fall_off_end {
            let message = format!(
                "`{name}` can end without returning: that ufunc call evaluates to None instead of NumPy trying the other operands; return NotImplemented"
            );
            let fix = append_to_block(cx, f.body, "return NotImplemented")
                .map(|edit| Fix::unsafe_("Return `NotImplemented` at the end", vec![edit]));
            cx.report_at(f.name_node.byte_range(), message, None, fix);
        }
    }
}

/// `ufunc.at` is in place and returns None: a `return` inside
/// `if method == "at":` is correct.
fn in_at_branch(cx: &Checker, node: Node, f: &Function) -> bool {
    let mut child = node;
    let mut current = node.parent();
    while let Some(n) = current {
        if n == f.node {
            return false;
        }
        if matches!(n.kind(), "if_statement" | "elif_clause")
            && n.child_by_field_name("consequence") == Some(child)
            && n.child_by_field_name("condition").is_some_and(|c| {
                let text = cx.text(c);
                text.contains("'at'") || text.contains("\"at\"")
            })
        {
            return true;
        }
        child = n;
        current = n.parent();
    }
    false
}
