use std::collections::HashSet;

use dunderls_datamodel::{
    is_known_dunder, lookup, nearest_special_method, python2_replacement, Binding,
};

use super::util::{referenced_names, signature_problem};
use crate::rules::prelude::*;

const DOCS: &str = r#"
## What it does
Flags a method (or a special class attribute such as `__slots__`) whose
name looks like a special method but is a near miss of one:
`__init_subclas__`, `__len___`, `__eq_`, `_eq__`, `__getattribute`, or a
Python 2 name such as `__nonzero__`, `__unicode__` or `__div__`.

Names that libraries define on purpose are not misspellings: NumPy's
`__array__`, `__array_ufunc__`, `__array_function__`, `__array_priority__`;
`__dlpack__`, `__arrow_c_stream__`, `__dataframe__`, `__torch_function__`,
`__rich_repr__`, `__html__`, `__clause_element__`,
`__get_pydantic_core_schema__`, `__attrs_post_init__`, `__post_init__`,
`__sklearn_tags__` and more. Add your own framework's hooks to the
`allowed-dunders` setting. A name that the module itself uses (`self.__x()`,
`getattr(obj, "__x__")`) is not reported either: it is not dead code.

## Why is this a problem
Python calls special methods by their exact name, looked up on the type.
A near miss is an ordinary method that nothing calls: no error, no
warning, the behaviour it was written for simply never happens. A class
with `__init_subclas__` registers no subclass; a `__len___` leaves
`len(x)` raising `TypeError: object of type 'X' has no len()`; Python 3
never calls `__nonzero__` (it is `__bool__`), so every instance is truthy.

## Scenario
The plugin framework registers model classes in `__init_subclass__`. After
a refactoring, subclasses stop appearing in the registry, and
introspection shows the hook never runs: the base class now spells it
`__init_subclas__`. Python only knows `__init_subclass__`; the misspelled
method is a plain class attribute that nothing calls, so every subclass is
created without being registered and the failure shows up far away, as a
`KeyError` when a plugin is looked up by name.

## Example
```python
registry = {}

class Plugin:
    def __init_subclas__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        registry[cls.__name__] = cls

class CsvExport(Plugin):
    pass

registry["CsvExport"]  # raises: KeyError: CsvExport
```

## Use instead
```python
registry = {}

class Plugin:
    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        registry[cls.__name__] = cls

class CsvExport(Plugin):
    pass

print(sorted(registry))  # prints: ['CsvExport']
```

## Fix
Renames the method to the nearest special method name. Unsafe: once
renamed, Python starts calling the method, which is the point but changes
behaviour. Python 2 names whose replacement has different semantics
(`__cmp__`, `__hex__`, `__oct__`, `__getslice__`, ...) get no automatic fix.

## References
- [Data model: special method names](https://docs.python.org/3/reference/datamodel.html#special-method-names)
- [Data model: `object.__init_subclass__`](https://docs.python.org/3/reference/datamodel.html#object.__init_subclass__)
- [What's New in Python 3.0: operators and special methods](https://docs.python.org/3/whatsnew/3.0.html#operators-and-special-methods)
- Peers: ruff PLW3201 (`bad-dunder-method-name`, preview), pylint W3201;
  both report every unknown dunder, including NumPy's `__array__` and
  `__array_ufunc__`.
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN001",
    name: "misspelled-dunder",
    group: Group::Hygiene,
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    aliases: &["PLW3201", "W3201"],
    docs: DOCS,
    check,
};

/// Python 2 names whose Python 3 replacement means the same thing: renaming
/// is a correct fix. The others (`__cmp__`, `__hex__`, `__getslice__`, ...)
/// need rewriting.
const PY2_RENAMEABLE: &[&str] = &[
    "__nonzero__",
    "__unicode__",
    "__div__",
    "__rdiv__",
    "__idiv__",
    "__long__",
];

/// What replaces a Python 2 method whose successor works differently.
fn py2_advice(name: &str, replacement: &str) -> String {
    match name {
        "__cmp__" => "define the rich comparisons (`__eq__`, `__lt__`, ...; `functools.total_ordering` fills in the rest)".into(),
        "__hex__" | "__oct__" => "`hex()` and `oct()` use `__index__`, which returns an int, not a string".into(),
        "__getslice__" | "__setslice__" | "__delslice__" => {
            format!("slices reach `{replacement}` as `slice` objects")
        }
        "__getinitargs__" => "pickle passes `__getnewargs__` to `__new__` (not `__init__`), or uses `__reduce__`".into(),
        _ => format!("use `{replacement}`"),
    }
}

/// Library hooks missing from `dunderls_datamodel::LIBRARY_DUNDERS`.
const MORE_LIBRARY_DUNDERS: &[&str] = &[
    // sqlite3 adaptation (PEP 246): `sqlite3.adapt(obj, proto)` calls it.
    "__adapt__",
];

/// How a name resembles a dunder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// `__x__`: well formed, but not a known name.
    Dunder,
    /// `__x_`, `_x__`, `__x___`, `___x__`.
    Malformed,
    /// `__x`: a name-mangled private name, suspicious only as `__x__` minus
    /// the trailing underscores.
    Private,
}

fn shape(name: &str) -> Option<Shape> {
    let core = name.trim_matches('_');
    if core.is_empty() {
        return None;
    }
    let lead = name.len() - name.trim_start_matches('_').len();
    let trail = name.len() - name.trim_end_matches('_').len();
    match (lead, trail) {
        (2, 2) => Some(Shape::Dunder),
        (l, t) if l >= 2 && t >= 1 => Some(Shape::Malformed),
        (1, t) if t >= 2 => Some(Shape::Malformed),
        (l, 0) if l >= 2 => Some(Shape::Private),
        _ => None,
    }
}

fn check(cx: &Checker) {
    let referenced = referenced_names(cx);
    for class in &cx.module.classes {
        for f in cx.module.methods(class) {
            if let Some((target, message)) = finding(cx, class, f.name, Some(f), &referenced) {
                report(cx, f.name_node, target, message);
            }
        }
        for a in &class.attributes {
            if let Some((target, message)) = finding(cx, class, a.name, None, &referenced) {
                report(cx, a.target, target, message);
            }
        }
    }
}

fn finding(
    cx: &Checker,
    class: &Class,
    name: &str,
    method: Option<&Function>,
    referenced: &HashSet<&str>,
) -> Option<(Option<&'static str>, String)> {
    if is_known_dunder(name)
        || MORE_LIBRARY_DUNDERS.contains(&name)
        || cx.options.allowed_dunders.iter().any(|a| a == name)
        || referenced.contains(name)
    {
        return None;
    }
    let shape = shape(name)?;
    let target = nearest_special_method(name)?;
    let sm = lookup(target)?;
    // A method is a near miss of a method, a class attribute of a special
    // class attribute (`__slot__` -> `__slots__`).
    if (sm.binding == Binding::Attribute) != method.is_none() {
        return None;
    }
    if cx.module.method(class, target).is_some()
        || class.attributes.iter().any(|a| a.name == target)
    {
        // Both spellings: a compatibility alias or leftover, not the only
        // implementation.
        return None;
    }
    const RICH_COMPARISONS: &[&str] = &["__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__"];
    if name == "__cmp__"
        && RICH_COMPARISONS
            .iter()
            .any(|c| cx.module.method(class, c).is_some())
    {
        return None; // a Python 2 leftover next to the real comparisons
    }
    if let Some(replacement) = python2_replacement(name) {
        let message = if PY2_RENAMEABLE.contains(&name) {
            format!(
                "`{}.{name}` is the Python 2 name of `{replacement}`: Python 3 never calls it",
                class.name
            )
        } else {
            format!(
                "`{}.{name}` is a Python 2 special method that Python 3 never calls: {}",
                class.name,
                py2_advice(name, replacement)
            )
        };
        return Some((
            PY2_RENAMEABLE.contains(&name).then_some(replacement),
            message,
        ));
    }
    match shape {
        Shape::Private if target.trim_matches('_') != name.trim_matches('_') => return None,
        // A well-formed unknown dunder whose parameters do not even fit the
        // near name is more likely a hook of its own than a typo.
        Shape::Dunder | Shape::Private
            if method.is_some_and(|f| signature_problem(f, sm).is_some()) =>
        {
            return None
        }
        _ => {}
    }
    Some((
        Some(target),
        format!(
            "`{}.{name}` is not a special method, so Python never calls it: did you mean `{target}`?",
            class.name
        ),
    ))
}

fn report(cx: &Checker, name_node: Node, target: Option<&'static str>, message: String) {
    let fix = target.map(|t| {
        Fix::unsafe_(
            format!("Rename to `{t}`"),
            vec![Edit::replace(name_node.byte_range(), t)],
        )
    });
    cx.report_at(name_node.byte_range(), message, None, fix);
}
