use super::util::{
    binary_operators, defines, defines_or_inherits, imports_numpy_at_module_level, operator_symbol,
    plain_class,
};
use crate::rules::class_creation::util::insert_at_block_start;
use crate::rules::prelude::*;

const DOCS: &str = r#"
## What it does
In a module that imports NumPy at module level, flags a class that defines arithmetic
operators (`__add__`, `__radd__`, `__mul__`, ...) but neither implements
`__array_ufunc__` nor sets `__array_ufunc__ = None`.

## Why is this a problem
With an `ndarray` on the left, `arr + x` calls `ndarray.__add__` first, and
NumPy handles any operand it can wrap: `x` becomes a 0-d object array and
the ufunc runs element by element, calling `x.__radd__(element)` once per
element with NumPy scalars. The result is an object `ndarray` of your
objects, not your type, and `__radd__` never sees the array (observed with
NumPy 2.4.6: `np.array([1.0, 2.0]) + Money(5)` calls `Money.__radd__` twice
with `float` and returns `array([Money(6.0), Money(7.0)], dtype=object)`).
Code tested with Python numbers works and silently changes meaning with
arrays.

Setting `__array_ufunc__ = None` opts out: ndarray's binary operators then
return NotImplemented for your type (observed: `ndarray.__add__(money)` is
`NotImplemented`), so Python calls your reflected method with the whole
array; calling a ufunc directly, `np.add(arr, money)`, raises
`TypeError: operand 'Money' does not support ufuncs (__array_ufunc__=None)`.
Implementing `__array_ufunc__` instead gives you control over every ufunc.
`__array_priority__` does not do this (see DUN804). NumPy has no
`register_obj_type` API: these two attributes are the mechanism.

## Scenario
A team writes a Decimal-like `Money` with `__add__`, `__radd__` and
`__mul__`. Unit tests with Python numbers pass. In production a pricing job
adds a NumPy array of fees to a `Money`: the result is an object array of
per-element `Money` values instead of one `Money`, later code that expects
`.amount` fails or sums the wrong thing, and nothing raises at the `+`.

## Example
```python
# requires: numpy
import numpy as np

class Money:
    def __init__(self, amount):
        self.amount = amount

    def __add__(self, other):
        if isinstance(other, Money):
            return Money(self.amount + other.amount)
        return NotImplemented

    def __radd__(self, other):
        print("__radd__ got", type(other).__name__)
        return Money(self.amount + other)

fees = np.array([1.0, 2.0])
total = fees + Money(5)  # prints: __radd__ got float
print(type(total).__name__, total.dtype, len(total))  # prints: ndarray object 2
```

## Use instead
```python
# requires: numpy
import numpy as np

class Money:
    __array_ufunc__ = None  # ndarray operators defer to our reflected methods

    def __init__(self, amount):
        self.amount = amount

    def __add__(self, other):
        if isinstance(other, Money):
            return Money(self.amount + other.amount)
        return NotImplemented

    def __radd__(self, other):
        print("__radd__ got", type(other).__name__)
        return Money(self.amount + other)

fees = np.array([1.0, 2.0])
total = fees + Money(5)  # prints: __radd__ got ndarray
assert isinstance(total, Money)
print(total.amount)  # prints: [6. 7.]
```

## Fix
Adds `__array_ufunc__ = None` at the top of the class body. Unsafe: calling
a ufunc directly on the type (`np.add(arr, money)`) then raises TypeError
instead of working element by element.

## References
- [NumPy: `__array_ufunc__`](https://numpy.org/doc/stable/reference/arrays.classes.html#numpy.class.__array_ufunc__)
- [NEP 13: A mechanism for overriding ufuncs](https://numpy.org/neps/nep-0013-ufunc-overrides.html)
- [Data model: Emulating numeric types](https://docs.python.org/3/reference/datamodel.html#emulating-numeric-types)
- Related: DUN804 (array-priority-without-reflected). No peer rule in ruff or pylint.
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN801",
    name: "numeric-without-array-ufunc",
    group: Group::Numpy,
    severity: Severity::Warning,
    fix: FixAvailability::Always,
    aliases: &[],
    docs: DOCS,
    check,
};

fn check(cx: &Checker) {
    if !imports_numpy_at_module_level(cx) {
        return;
    }
    for class in &cx.module.classes {
        let operators = binary_operators(cx, class);
        if class.has_errors
            || operators.is_empty()
            || operators.iter().all(|(f, _)| f.is_stub())
            // Array-likes and sequences: NumPy converts them instead.
            || ["__array__", "__array_function__", "__array_interface__", "__array_struct__", "__len__", "__getitem__", "__iter__"]
                .iter()
                .any(|n| defines(cx, class, n))
            || !plain_class(cx, class)
            || defines_or_inherits(cx, class, "__array_ufunc__")
        {
            continue;
        }
        let names: Vec<&str> = operators.iter().map(|(f, _)| f.name).collect();
        let shown = match names.as_slice() {
            [one] => format!("`{one}`"),
            [first, second] => format!("`{first}` and `{second}`"),
            [first, ..] => format!("`{first}` and {} other operators", names.len() - 1),
            [] => continue,
        };
        let usage = match operators.iter().find_map(|(_, sm)| operator_symbol(sm)) {
            Some(symbol) => format!("`ndarray {symbol} {}(...)`", class.name),
            None => "an operation with an ndarray on the left".to_string(),
        };
        let message = format!(
            "`{c}` defines {shown} but not `__array_ufunc__`: {usage} is computed by NumPy element by element and returns an object ndarray, not a `{c}`",
            c = class.name
        );
        let fix = class
            .node
            .child_by_field_name("body")
            .and_then(|body| insert_at_block_start(cx, body, "__array_ufunc__ = None"))
            .map(|edit| Fix::unsafe_("Add `__array_ufunc__ = None`", vec![edit]));
        cx.report_at(class.name_node.byte_range(), message, None, fix);
    }
}
