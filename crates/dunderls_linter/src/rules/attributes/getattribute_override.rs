use crate::rules::prelude::*;

const DOCS: &str = r#"
## What it does
Points out a class that defines `__getattribute__` (stubs and overloads
excepted), so that the cost is a decision rather than an accident.

## Why is this a problem
`__getattribute__` replaces the whole attribute lookup of the instance: it
runs on every read, including reads of attributes that exist, method
lookups (`obj.save()`), and the reads the class's own methods make on
`self`. `__getattr__`, in contrast, runs only after normal lookup has
failed. A `__getattribute__` that does nothing but
`return super().__getattribute__(name)` already made a read of an existing
attribute about 18 times slower than a plain instance-`__dict__` read on
CPython 3.11.7 (about 13 times on 3.12.1, about 8 times on 3.13.0),
measured with `crates/dunderls_linter/resources/measure/attribute_access.py`.
It also has to be written with care to avoid recursion (DUN104).

## Scenario
In the lazy-loading ORM, a base model class overrides `__getattribute__`
to intercept relationship names. Every model in every request now pays for
a Python-level call on every field read, hits included: `__getattr__` for
the lazy names (with the loaded value cached) or a descriptor per
relationship would have cost nothing on ordinary fields.

## Example
```python
seen = []

class Model:
    def __init__(self):
        self.name = "ada"

    def __getattribute__(self, attr):
        seen.append(attr)
        return super().__getattribute__(attr)

m = Model()
m.name
m.name
print("calls:", len(seen))  # prints: calls: 2
```

## Use instead
`__getattr__` runs only for names that normal lookup cannot find:
```python
seen = []

class Model:
    def __init__(self):
        self.name = "ada"

    def __getattr__(self, attr):
        seen.append(attr)
        raise AttributeError(attr)

m = Model()
m.name
m.name
assert seen == []
print("calls:", len(seen))  # prints: calls: 0
```

## Fix
No automatic fix: moving the logic to `__getattr__` or to descriptors
changes which reads it sees.

## References
- [Data model: `object.__getattribute__`](https://docs.python.org/3/reference/datamodel.html#object.__getattribute__)
- [Data model: invoking descriptors](https://docs.python.org/3/reference/datamodel.html#descriptor-invocation), [Descriptor HowTo Guide](https://docs.python.org/3/howto/descriptor.html)
- Related: DUN101, DUN104.
- Peers: none known.
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN106",
    name: "getattribute-override",
    group: Group::Attributes,
    severity: Severity::Information,
    fix: FixAvailability::None,
    aliases: &[],
    docs: DOCS,
    check,
};

fn check(cx: &Checker) {
    for class in &cx.module.classes {
        let Some(method) = cx
            .module
            .unconditional_method(class, "__getattribute__")
            .filter(|f| !f.is_stub() && !f.is_overload())
        else {
            continue;
        };
        cx.report(
            method.name_node,
            format!(
                "`{}` defines `__getattribute__`: it runs on every attribute read, hits included, so each read pays for a Python-level call",
                class.name
            ),
        );
    }
}
