use super::util::{defines, defines_or_inherits, operator_symbol, plain_class};
use crate::rules::class_creation::util::{insert_after, qualified_method};
use crate::rules::prelude::*;

const DOCS: &str = r#"
## What it does
Flags a class that sets `__array_priority__` and defines a forward binary
operator (`__mul__`) without its reflected twin (`__rmul__`), counting what
its resolvable bases define.

## Why is this a problem
`__array_priority__` only influences ndarray's *binary operators*: when the
other operand's priority is higher (and it has no `__array_ufunc__`),
`ndarray.__mul__` returns NotImplemented so that Python can call the other
operand's reflected method. It never makes NumPy call your forward method.
Observed with NumPy 2.4.6 on `class Scale: __array_priority__ = 1000` with
only `__mul__`: `np.ones(2).__mul__(Scale(3))` is `NotImplemented`, and
`np.ones(2) * Scale(3)` raises
`TypeError: unsupported operand type(s) for *: 'numpy.ndarray' and 'Scale'`
because `Scale.__rmul__` does not exist. What it does not control: ufunc
calls (`np.multiply(np.ones(2), Scale(3))` still runs element by element on
an object array and calls `Scale.__rmul__` with floats), and anything when
the class defines `__array_ufunc__`, which takes precedence. Without the
priority, the same `np.ones(2) * Scale(3)` also fails, element by element:
`unsupported operand type(s) for *: 'float' and 'Scale'`.

## Scenario
The Decimal-like numeric type misbehaves next to ndarrays, and a snippet
from the internet says "set `__array_priority__` so NumPy calls your
method". The team adds `__array_priority__ = 1000` and keeps only
`__mul__`, since `Scale * array` already worked. `array * Scale` still
fails, now with a TypeError naming `ndarray`, which looks like a NumPy bug.

## Example
```python
# requires: numpy
import numpy as np

class Scale:
    __array_priority__ = 1000

    def __init__(self, k):
        self.k = k

    def __mul__(self, other):
        return other * self.k

print(Scale(3) * np.ones(2))  # prints: [3. 3.]
np.ones(2) * Scale(3)  # raises: TypeError: unsupported operand type(s) for *: 'numpy.ndarray' and 'Scale'
```

## Use instead
Define the reflected method (or prefer `__array_ufunc__`, the modern
mechanism, see DUN801):
```python
# requires: numpy
import numpy as np

class Scale:
    __array_priority__ = 1000

    def __init__(self, k):
        self.k = k

    def __mul__(self, other):
        return other * self.k

    __rmul__ = __mul__  # scaling is commutative

print(np.ones(2) * Scale(3))  # prints: [3. 3.]
```

## Fix
For commutative operators (`+`, `*`, `&`, `|`, `^`) the quick fix adds
`__rmul__ = __mul__` after the method. Unsafe: the operation may not be
commutative for this type (matrices, quaternions). No automatic fix for the
others.

## References
- [NumPy: `__array_priority__`](https://numpy.org/doc/stable/reference/arrays.classes.html#numpy.class.__array_priority__)
- [NEP 13: A mechanism for overriding ufuncs](https://numpy.org/neps/nep-0013-ufunc-overrides.html)
- [Data model: `object.__radd__`](https://docs.python.org/3/reference/datamodel.html#object.__radd__)
- Related: DUN801 (numeric-without-array-ufunc), DUN505 (missing-reflected-op). No peer rule in ruff or pylint.
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN804",
    name: "array-priority-without-reflected",
    group: Group::Numpy,
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    aliases: &[],
    docs: DOCS,
    check,
};

fn check(cx: &Checker) {
    for class in &cx.module.classes {
        if class.has_errors
            || !defines_or_inherits(cx, class, "__array_priority__")
            || defines_or_inherits(cx, class, "__array_ufunc__")
            || !plain_class(cx, class)
        {
            continue;
        }
        for f in cx.module.methods(class) {
            let Some(sm) = dunderls_datamodel::lookup(f.name).filter(|sm| sm.is_forward_operator())
            else {
                continue;
            };
            let Some(reflected) = sm.reflected else {
                continue;
            };
            if defines_or_inherits(cx, class, reflected) || f.is_stub() {
                continue;
            }
            let usage = match operator_symbol(sm) {
                Some(symbol) => format!("`ndarray {symbol} {}(...)`", class.name),
                None => format!("`{}` with an ndarray on the left", f.name),
            };
            let message = format!(
                "`{c}` sets `__array_priority__` but `{m}` has no `{reflected}`: {usage} gets NotImplemented from ndarray and then raises TypeError",
                c = class.name,
                m = qualified_method(cx, f),
            );
            let fix = (sm.commutative && !defines(cx, class, reflected))
                .then(|| insert_after(cx, f.outer, f.outer, &format!("{reflected} = {}", f.name)))
                .flatten()
                .map(|edit| Fix::unsafe_(format!("Add `{reflected} = {}`", f.name), vec![edit]));
            cx.report_at(f.name_node.byte_range(), message, None, fix);
        }
    }
}
