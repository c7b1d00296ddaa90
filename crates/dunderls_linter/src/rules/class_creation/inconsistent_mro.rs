use crate::mro::{mro, Mro};
use crate::rules::prelude::*;

const DOCS: &str = r#"
## What it does
Flags a class statement that CPython refuses to execute because its bases
admit no method resolution order: a base listed before one of its own
subclasses, two bases that order shared ancestors in opposite ways, or
the same base listed twice. It judges only classes whose every ancestor
resolves (same file or workspace, or a builtin with a fixed MRO) and that
have no custom metaclass (which may override `mro()`).

## Why is this a problem
`type.__new__` computes the MRO with the C3 linearization: every class
must come before its bases, and the order in which each class lists its
bases must be kept. When no order satisfies both, the class statement
raises `TypeError: Cannot create a consistent method resolution order
(MRO) for bases B, A` (CPython names the classes it could not place); a
base listed twice raises `TypeError: duplicate base class A`. Either way
the error happens when the module is imported, so everything that imports
it fails too. The rule's C3 implementation is compared with CPython's
`__mro__` and error messages on hundreds of random hierarchies by the test
suite.

## Scenario
A plugin system registers subclasses with `__init_subclass__`. A developer
adds a mixin with shared export logic, `class ExportMixin(Plugin)`, and
updates the CSV plugin to `class CsvPlugin(Plugin, ExportMixin)`, reading
the bases as "a Plugin, plus exporting". Python reads them as an order:
`Plugin` before `ExportMixin`, but `ExportMixin` is a `Plugin` and must
come first. The module no longer imports, the plugin registry is empty,
and the service fails at start-up with an MRO error that names two classes
from another file.

## Example
```python
class Plugin:
    pass

class ExportMixin(Plugin):
    def export(self):
        return "exported"

class CsvPlugin(Plugin, ExportMixin):  # raises: TypeError: (MRO) for bases Plugin, ExportMixin
    pass
```

## Use instead
List subclasses before their bases (or drop the base that an other base
already provides):
```python
class Plugin:
    pass

class ExportMixin(Plugin):
    def export(self):
        return "exported"

class CsvPlugin(ExportMixin, Plugin):
    pass

print([c.__name__ for c in CsvPlugin.__mro__])  # prints: ['CsvPlugin', 'ExportMixin', 'Plugin', 'object']
```

## Fix
No automatic fix: reordering bases changes which implementation of every
shared method wins.

## References
- [The Python 2.3 Method Resolution Order (C3)](https://docs.python.org/3/howto/mro.html)
- [Data model: Customizing class creation](https://docs.python.org/3/reference/datamodel.html#customizing-class-creation)
- [Built-in `class.__mro__`](https://docs.python.org/3/library/stdtypes.html#class.__mro__)
- Peer rule: pylint E0240 (inconsistent-mro), E0241 (duplicate-bases).
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN607",
    name: "inconsistent-mro",
    group: Group::ClassCreation,
    severity: Severity::Error,
    fix: FixAvailability::None,
    aliases: &["E0240", "E0241"],
    docs: DOCS,
    check,
};

/// The name CPython prints for a class (`__name__`).
fn bare(qualified: &str) -> &str {
    qualified.rsplit('.').next().unwrap_or(qualified)
}

fn check(cx: &Checker) {
    for class in &cx.module.classes {
        if class.has_errors {
            continue;
        }
        match mro(cx.module, cx.module_name, class, cx.index) {
            Mro::Inconsistent(heads) => {
                let names: Vec<&str> = heads.iter().map(|h| bare(h)).collect();
                cx.report(
                    class.name_node,
                    format!(
                        "The bases of `{}` admit no method resolution order (a class must precede its bases, and each class's base order must be kept): defining it raises `TypeError: Cannot create a consistent method resolution order (MRO) for bases {}`",
                        class.name,
                        names.join(", ")
                    ),
                );
            }
            Mro::DuplicateBase(name) => {
                let name = bare(&name);
                let repeated = class
                    .bases
                    .iter()
                    .filter(|b| b.name.is_some_and(|n| bare(n) == name))
                    .nth(1);
                cx.report(
                    repeated.map_or(class.name_node, |b| b.node),
                    format!(
                        "`{name}` is listed twice among the bases of `{}`: defining it raises `TypeError: duplicate base class {name}`",
                        class.name
                    ),
                );
            }
            Mro::Linear(_) | Mro::Unknown => {}
        }
    }
}
