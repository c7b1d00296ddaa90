use super::util::ancestry_reliable;
use crate::hierarchy::Ancestor;
use crate::rules::prelude::*;

const DOCS: &str = r#"
## What it does
Flags a class keyword (`class C(Base, key=value)`) that no
`__init_subclass__` of the class's bases accepts, when every base can be
resolved (same file or workspace) and no custom metaclass is involved.

## Why is this a problem
Keywords in a class statement other than `metaclass` go to the metaclass
and from `type.__new__` to the parent's `__init_subclass__`. The default,
`object.__init_subclass__`, takes no keywords, so without a hook that
accepts the keyword (or `**kwargs`), defining the class raises at import
time: `TypeError: C.__init_subclass__() takes no keyword arguments`. When a
base defines `__init_subclass__` with other parameters, the error is
`TypeError: Base.__init_subclass__() got an unexpected keyword argument 'key'`.
Builtin bases, `abc.ABC`, the `collections.abc` ABCs, `typing.Generic` and
`typing.Protocol` do not accept class keywords either (checked on CPython
3.11). The rule stays silent for bases it cannot resolve and for classes
with a metaclass (its `__new__` may consume the keyword).

## Scenario
A team documents that plugins declare themselves with
`class CsvExport(Plugin, name="csv")`, expecting the `Plugin` base to
register them. The base was refactored and its `__init_subclass__` moved to a
mixin that `Plugin` no longer inherits: every plugin module now fails on
import with `TypeError: CsvExport.__init_subclass__() takes no keyword
arguments`, and the registry is empty because nothing got defined.

## Example
```python
class Plugin:
    pass

class CsvExport(Plugin, name="csv"):  # raises: TypeError: CsvExport.__init_subclass__() takes no keyword arguments
    pass
```

## Use instead
Accept the keyword in the base's `__init_subclass__` and forward the rest:
```python
plugins = {}

class Plugin:
    def __init_subclass__(cls, /, name=None, **kwargs):
        super().__init_subclass__(**kwargs)
        plugins[name or cls.__name__] = cls

class CsvExport(Plugin, name="csv"):
    pass

assert plugins["csv"] is CsvExport
print(sorted(plugins))  # prints: ['csv']
```

## Fix
No automatic fix: the keyword needs a hook that does something with it.

## References
- [Data model: `object.__init_subclass__`](https://docs.python.org/3/reference/datamodel.html#object.__init_subclass__)
- [Data model: Metaclasses](https://docs.python.org/3/reference/datamodel.html#metaclasses)
- [PEP 487: Simpler customisation of class creation](https://peps.python.org/pep-0487/)
- Related: DUN602 (init-subclass-drops-kwargs). No peer rule in ruff or pylint.
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN603",
    name: "class-keyword-not-accepted",
    group: Group::ClassCreation,
    severity: Severity::Error,
    fix: FixAvailability::None,
    aliases: &[],
    docs: DOCS,
    check,
};

/// Who answers a class keyword.
enum Verdict {
    /// Some base accepts it, or we cannot know.
    Silent,
    /// No hook anywhere: `object.__init_subclass__` rejects it.
    NoHook,
    /// The nearest hook does not accept it.
    Rejected(String),
}

fn check(cx: &Checker) {
    for class in &cx.module.classes {
        if class.has_errors || class.keywords.iter().all(|k| k.name == "metaclass") {
            continue;
        }
        if class.keywords.iter().any(|k| k.name == "metaclass") || !ancestry_reliable(cx, class) {
            continue;
        }
        let ancestry = cx.ancestry(class);
        for keyword in &class.keywords {
            let message = match verdict(&ancestry.ancestors, keyword.name) {
                Verdict::Silent => continue,
                Verdict::NoHook => format!(
                    "No base of `{c}` defines an `__init_subclass__` accepting `{k}`: defining `{c}` raises `TypeError: {c}.__init_subclass__() takes no keyword arguments`",
                    c = class.name,
                    k = keyword.name
                ),
                Verdict::Rejected(base) => format!(
                    "`{base}.__init_subclass__` does not accept `{k}`: defining `{c}` raises `TypeError: {base}.__init_subclass__() got an unexpected keyword argument '{k}'`",
                    c = class.name,
                    k = keyword.name
                ),
            };
            cx.report(keyword.node, message);
        }
    }
}

fn verdict(ancestors: &[Ancestor], key: &str) -> Verdict {
    let mut nearest_hook = None;
    for ancestor in ancestors {
        match ancestor {
            Ancestor::Unknown(_) => return Verdict::Silent,
            // Enum's metaclass takes `boundary`; NamedTuple and TypedDict
            // have their own class-creation machinery (`total=`).
            Ancestor::Builtin(b) if b.starts_with("enum.") || b.starts_with("typing.") => {
                return Verdict::Silent
            }
            Ancestor::Class(c) => {
                if c.metaclass.is_some() {
                    return Verdict::Silent;
                }
                if let Some((names, var_kw)) = &c.init_subclass {
                    if *var_kw || names.iter().any(|n| n == key) {
                        return Verdict::Silent;
                    }
                    nearest_hook.get_or_insert_with(|| c.name.clone());
                }
            }
            Ancestor::Builtin(_) | Ancestor::Abc(_) | Ancestor::Transparent(_) => {}
        }
    }
    match nearest_hook {
        Some(base) => Verdict::Rejected(base),
        None => Verdict::NoHook,
    }
}
