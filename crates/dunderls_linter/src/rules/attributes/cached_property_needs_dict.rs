use crate::rules::prelude::*;

use super::util::{self, Has};

const DOCS: &str = r#"
## What it does
Flags `@functools.cached_property` in a class whose instances have no
`__dict__`: the class defines `__slots__` without `'__dict__'`, and every
base is known to provide none either (other slotted classes, `object`,
ABCs, `Generic`/`Protocol`, builtins such as `dict` or `tuple`). When a base
cannot be resolved, or a class decorator may rewrite the class, the rule
stays silent.

## Why is this a problem
`cached_property` stores the computed value in the instance `__dict__`
under the property's name; that is what makes the second read fast. With
`__slots__` and no `__dict__` there is nowhere to store it, and the first
read raises
`TypeError: No '__dict__' attribute on 'Point' instance to cache 'norm' property.`
(observed on CPython 3.10 to 3.13).

## Scenario
Someone adds `__slots__` to the ORM's row class to cut memory for large
result sets. The tests that never touch the lazily computed
`Row.display_name` pass; production raises `TypeError` on the first page
that renders a name.

## Example
```python
import functools

class Point:
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x, self.y = x, y

    @functools.cached_property
    def norm(self):
        return (self.x ** 2 + self.y ** 2) ** 0.5

Point(3, 4).norm  # raises: TypeError: No '__dict__' attribute on 'Point' instance to cache 'norm' property.
```

## Use instead
Cache in a slot of your own (or add `'__dict__'` to `__slots__`, giving up
part of the memory saving):
```python
class Point:
    __slots__ = ("x", "y", "_norm")

    def __init__(self, x, y):
        self.x, self.y = x, y
        self._norm = None

    @property
    def norm(self):
        if self._norm is None:
            self._norm = (self.x ** 2 + self.y ** 2) ** 0.5
        return self._norm

assert Point(3, 4).norm == 5.0
```

## Fix
Adds `'__dict__'` to the class's `__slots__`. Unsafe: it gives every
instance a `__dict__` again, which the slots were probably written to
avoid; a slot-backed property is the leaner alternative.

## References
- [`functools.cached_property`](https://docs.python.org/3/library/functools.html#functools.cached_property)
- [Data model: `__slots__`](https://docs.python.org/3/reference/datamodel.html#slots)
- Related: DUN109, DUN111.
- Peers: none known.
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN108",
    name: "cached-property-needs-dict",
    group: Group::Attributes,
    severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    aliases: &[],
    docs: DOCS,
    check,
};

fn check(cx: &Checker) {
    for class in &cx.module.classes {
        let cached: Vec<(&Function, &dunderls_python::Decorator)> = cx
            .module
            .methods(class)
            .filter_map(|f| {
                f.decorators
                    .iter()
                    .find(|d| util::decorator_is(cx, d.name, &["functools.cached_property"]))
                    .map(|d| (f, d))
            })
            .collect();
        if cached.is_empty() {
            continue;
        }
        let Some(layout) = util::slotted_layout(cx, class) else {
            continue;
        };
        if layout.dict != Has::No {
            continue;
        }
        let Some(slots) = class.slots.as_ref() else {
            continue;
        };
        // One fix per class: two edits adding the same slot would both apply.
        // (Subclasses of `int`, `bytes` and `tuple` cannot have non-empty
        // slots: no fix there.)
        let mut edit = if layout.variable_size {
            None
        } else {
            util::add_slot_edit(cx.source, slots, "__dict__")
        };
        for (method, decorator) in cached {
            let message = format!(
                "`{}.{}` is a `cached_property`, but `{}.__slots__` leaves instances without `__dict__`: the first read raises TypeError",
                class.name, method.name, class.name
            );
            let fix = edit
                .take()
                .map(|edit| Fix::unsafe_("Add `'__dict__'` to `__slots__`", vec![edit]));
            cx.report_at(util::decorator_range(decorator), message, None, fix);
        }
    }
}
