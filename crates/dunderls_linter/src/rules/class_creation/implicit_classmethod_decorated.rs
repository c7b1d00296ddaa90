use dunderls_datamodel::Binding;

use super::util::{delete_line, is_metaclass, qualified_method};
use crate::rules::prelude::*;

const DOCS: &str = r#"
## What it does
Flags `@classmethod`/`@staticmethod` on the special methods that Python
already converts: `@classmethod` on `__init_subclass__` or
`__class_getitem__` (redundant), `@staticmethod` on them when they take a
`cls` parameter, and `@classmethod` on `__new__` (both broken).

## Why is this a problem
`type.__new__` turns a plain `__init_subclass__` and `__class_getitem__`
into class methods, and `__new__` into a static method that receives the
class explicitly. An explicit `@classmethod` on the first two changes
nothing (information only). The other decorators break the call Python
makes:
- `@staticmethod def __init_subclass__(cls)`: defining a subclass raises
  `TypeError: Base.__init_subclass__() missing 1 required positional argument: 'cls'`
  (the same for `__class_getitem__(cls, item)` on `Base[int]`).
- `@classmethod def __new__(cls)`: the class is passed twice, so `Base()`
  raises `TypeError: Base.__new__() takes 1 positional argument but 2 were given`
  (a metaclass's `__new__` fails the same way when a class uses it).

## Scenario
In a plugin framework that registers subclasses from `__init_subclass__`, a
developer "makes it explicit" and writes `@staticmethod` above the hook,
because it "does not use self". The base module still imports, but every
module that defines a plugin now fails at import time with a TypeError about
a missing `cls`, far from the line that caused it.

## Example
```python
class Plugin:
    @staticmethod
    def __init_subclass__(cls, **kwargs):
        cls.registered = True

class CsvExport(Plugin):  # raises: TypeError: missing 1 required positional argument: 'cls'
    pass
```

## Use instead
```python
class Plugin:
    def __init_subclass__(cls, **kwargs):  # implicitly a classmethod
        super().__init_subclass__(**kwargs)
        cls.registered = True

class CsvExport(Plugin):
    pass

assert CsvExport.registered
print(CsvExport.registered)  # prints: True
```

## Fix
Removes the decorator. Safe for a redundant `@classmethod` on
`__init_subclass__`/`__class_getitem__` (Python applies it anyway); unsafe
where the decorator breaks the method, because removing it changes what runs.

## References
- [Data model: `object.__init_subclass__`](https://docs.python.org/3/reference/datamodel.html#object.__init_subclass__)
- [Data model: `object.__class_getitem__`](https://docs.python.org/3/reference/datamodel.html#object.__class_getitem__)
- [Data model: `object.__new__`](https://docs.python.org/3/reference/datamodel.html#object.__new__)
- No peer rule in ruff or pylint.
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN604",
    name: "implicit-classmethod-decorated",
    group: Group::ClassCreation,
    severity: Severity::Information,
    fix: FixAvailability::Always,
    aliases: &[],
    docs: DOCS,
    check,
};

fn check(cx: &Checker) {
    for f in &cx.module.functions {
        if f.class.is_none() || f.has_errors {
            continue;
        }
        let Some(method) = dunderls_datamodel::lookup(f.name) else {
            continue;
        };
        let name = qualified_method(cx, f);
        let (decorator, severity, message) = match method.binding {
            Binding::ImplicitClass => {
                if let Some(d) = decorator(f, "classmethod") {
                    (
                        d,
                        None,
                        format!(
                            "`{name}` is implicitly a class method: `@classmethod` is redundant"
                        ),
                    )
                } else if let Some(d) = decorator(f, "staticmethod") {
                    // Python passes the class (not bound) plus arity-1 arguments.
                    let passed = usize::from(method.arity.min.saturating_sub(1));
                    let (required, _) = f.positional_arity();
                    if required <= passed {
                        continue;
                    }
                    let missing = match required - passed {
                        1 => format!(
                            "missing 1 required positional argument: '{}'",
                            f.params.get(passed).map_or("cls", |p| p.name)
                        ),
                        n => format!("missing {n} required positional arguments"),
                    };
                    (
                        d,
                        Some(Severity::Error),
                        format!(
                            "`@staticmethod` on `{name}` drops the class Python passes: the call raises `TypeError: {name}() {missing}`"
                        ),
                    )
                } else {
                    continue;
                }
            }
            Binding::ImplicitStatic => {
                // With `*args` the extra class is absorbed (odd, but no error).
                let Some(d) =
                    decorator(f, "classmethod").filter(|_| f.positional_arity().1.is_some())
                else {
                    continue;
                };
                let what = match cx.module.class_of(f) {
                    Some(class) if is_metaclass(cx, class) => {
                        "defining a class with this metaclass"
                    }
                    _ => "creating an instance",
                };
                (
                    d,
                    Some(Severity::Error),
                    format!(
                        "`@classmethod` on `{name}` makes Python pass the class twice: {what} raises TypeError (`takes N positional arguments but N+1 were given`)"
                    ),
                )
            }
            _ => continue,
        };
        let fix = delete_line(cx, decorator.0.clone()).map(|edit| {
            let title = format!("Remove `@{}`", decorator.1);
            if severity.is_none() {
                Fix::safe(title, vec![edit])
            } else {
                Fix::unsafe_(title, vec![edit])
            }
        });
        cx.report_at(decorator.0, message, severity, fix);
    }
}

/// The decorator `@name` (bare or `builtins.` spelling): its range (without
/// a trailing comment) and name.
fn decorator<'a>(f: &Function<'a>, name: &str) -> Option<(std::ops::Range<usize>, &'a str)> {
    let builtins = format!("builtins.{name}");
    f.decorators
        .iter()
        .find(|d| d.name == name || d.name == builtins)
        .map(|d| {
            let end = d
                .node
                .named_child(0)
                .map_or(d.node.end_byte(), |e| e.end_byte());
            (d.node.start_byte()..end, d.name)
        })
}
