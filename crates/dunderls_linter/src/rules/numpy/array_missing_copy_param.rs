use dunderls_python::ParamKind;

use crate::rules::class_creation::util::{methods_named, qualified_method};
use crate::rules::prelude::*;

const DOCS: &str = r#"
## What it does
Flags an `__array__` method that has no `copy` parameter (and no
`**kwargs`), e.g. `def __array__(self)` or `def __array__(self, dtype=None)`.
Stubs (`...` bodies, as in typing protocols) are left alone.

## Why is this a problem
NumPy 2 passes `copy=` to `__array__` (the NumPy 2 signature is
`__array__(self, dtype=None, copy=None)`). When the call fails with
TypeError, NumPy retries without it and emits a DeprecationWarning;
observed with NumPy 2.4.6, `np.array(obj)` (which requests `copy=True`)
warns `__array__ implementation doesn't accept a copy keyword, so passing
copy=False failed. __array__ must implement 'dtype' and 'copy' keyword
arguments.` (the text says `copy=False` whatever was requested), and
`np.array(obj, copy=False)` raises
`ValueError: Unable to avoid copy while creating an array as requested.`
`np.asarray(obj)` does not pass `copy` and stays silent, so the warning
shows up only on some call paths. A deprecation means a future NumPy will
stop retrying. Note also that NumPy passes `dtype` positionally:
`def __array__(self)` fails outright with
`TypeError: ... takes 1 positional argument but 2 were given` on
`np.asarray(obj, dtype=float)`.

## Scenario
The Decimal-like `Money` type exposes `__array__` so that `np.array(prices)`
works. After the upgrade to NumPy 2, the test suite and the production logs
fill with DeprecationWarnings from deep inside pandas and NumPy calls, and
the one call site that asked for `copy=False` starts raising ValueError.

## Example
```python
# requires: numpy
import numpy as np

class Prices:
    def __init__(self, values):
        self.values = values

    def __array__(self, dtype=None):
        return np.array(self.values, dtype=dtype)

np.array(Prices([1, 2]))  # warns: DeprecationWarning: __array__ implementation doesn't accept a copy keyword
```

## Use instead
```python
# requires: numpy
import warnings
import numpy as np

class Prices:
    def __init__(self, values):
        self.values = values

    def __array__(self, dtype=None, copy=None):
        if copy is False:
            raise ValueError("Prices cannot be viewed without a copy")
        return np.array(self.values, dtype=dtype)

with warnings.catch_warnings():
    warnings.simplefilter("error")
    arr = np.array(Prices([1, 2]))
print(arr.tolist())  # prints: [1, 2]
```

## Fix
Adds `copy=None` (and `dtype=None` when the method has no parameter besides
`self`) to the signature. Safe: the new parameters have defaults, so every
existing call still works; implementing `copy=False` (raise ValueError
when a copy is needed) is up to you.

## References
- [NumPy: `__array__`](https://numpy.org/doc/stable/reference/arrays.classes.html#numpy.class.__array__)
- [NumPy 2.0 migration guide: the copy keyword](https://numpy.org/devdocs/numpy_2_0_migration_guide.html#adapting-to-changes-in-the-copy-keyword)
- No peer rule in ruff or pylint (ruff NPY201 covers other NumPy 2 changes).
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN803",
    name: "array-missing-copy-param",
    group: Group::Numpy,
    severity: Severity::Warning,
    fix: FixAvailability::Always,
    aliases: &[],
    docs: DOCS,
    check,
};

fn check(cx: &Checker) {
    for f in methods_named(cx, "__array__") {
        if f.has_errors
            || f.is_staticmethod()
            || f.is_stub()
            || f.is_overload()
            || f.params
                .iter()
                .any(|p| p.kind == ParamKind::VarKeyword || p.name == "copy")
        {
            continue;
        }
        let Some(parameters) = f.node.child_by_field_name("parameters") else {
            continue;
        };
        let message = format!(
            "`{}` has no `copy` parameter: NumPy 2 passes `copy=`, gets TypeError and falls back with a DeprecationWarning (`np.array(x, copy=False)` raises ValueError)",
            qualified_method(cx, f)
        );
        // After the last parameter or `/` separator (before a trailing comma).
        let last = {
            let mut cursor = parameters.walk();
            let last = parameters
                .named_children(&mut cursor)
                .filter(|n| n.kind() != "comment")
                .last();
            last
        };
        let fix = last.filter(|_| !f.params.is_empty()).map(|last| {
            let added = if f.params.len() == 1 {
                ", dtype=None, copy=None"
            } else {
                ", copy=None"
            };
            Fix::safe(
                format!("Add `{}` to the signature", added.trim_start_matches(", ")),
                vec![Edit::insert(last.end_byte(), added)],
            )
        });
        cx.report_at(parameters.byte_range(), message, None, fix);
    }
}
