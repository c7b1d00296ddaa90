use dunderls_datamodel::{Returns, SpecialMethod};

use super::util::{judged_body, returned_types, special_method, Ty};
use crate::rules::prelude::*;

const DOCS: &str = r#"
## What it does
Flags a special method whose result Python type-checks when it returns a
literal or a builtin constructor of the wrong type, or can end without a
`return` where a value is required: `__len__`, `__length_hint__` and
`__index__` (int, and `>= 0` for the lengths), `__bool__` (exactly bool),
`__hash__` (int), `__repr__`, `__str__` and `__format__` (str), `__bytes__`
(bytes), `__fspath__` (str or bytes), `__getnewargs__` (tuple),
`__getnewargs_ex__` (a `(tuple, dict)` pair), and `__init__` (None; also an
`__init__` that is a generator).

## Why is this a problem
These are the special methods whose result the interpreter checks before
using it. A wrong type is a `TypeError` at the call site, every time:

- `len(x)`: `TypeError: 'float' object cannot be interpreted as an integer`,
  and `ValueError: __len__() should return >= 0` for a negative length
- `bool(x)`, `if x:`: `TypeError: __bool__ should return bool, returned int`
  (an int is not accepted, not even 0 or 1)
- `hash(x)`: `TypeError: __hash__ method should return an integer`
- `repr(x)`: `TypeError: __repr__ returned non-string (type NoneType)`
- `pickle.dumps(x)`: `TypeError: __getnewargs__ should return a tuple, not 'list'`
- `C()`: `TypeError: __init__() should return None, not 'int'`, and
  `... not 'generator'` when `__init__` contains `yield`

Falling off the end returns None, which none of these accept except
`__init__`. Since `repr()` is called by loggers, debuggers and tracebacks,
a broken `__repr__` often surfaces far from the class.

## Scenario
The Counter-like container from the seed gets a `__bool__` "to override
len()-based truthiness", written as `return len(self._counts)`. It reads
naturally, but Python requires `__bool__` to return a real `bool`: every
`if counter:` now raises `TypeError: __bool__ should return bool, returned
int`, including the ones inside library code that only wanted to know
whether the counter was empty.

## Example
```python
class Counter:
    def __init__(self):
        self._counts = {}

    def __bool__(self):
        return len(self._counts)

if Counter():  # raises: TypeError: __bool__ should return bool, returned int
    pass
```

## Use instead
```python
class Counter:
    def __init__(self):
        self._counts = {}

    def __bool__(self):
        return len(self._counts) > 0

print(bool(Counter()))  # prints: False
```

## Fix
No automatic fix: the right value to return (a conversion, a different
field, raising instead) depends on what the method is for.

## References
- [Data model: `object.__bool__`](https://docs.python.org/3/reference/datamodel.html#object.__bool__)
- [Data model: `object.__len__`](https://docs.python.org/3/reference/datamodel.html#object.__len__)
- [Data model: `object.__repr__`](https://docs.python.org/3/reference/datamodel.html#object.__repr__)
- [Data model: `object.__init__`](https://docs.python.org/3/reference/datamodel.html#object.__init__)
- [pickle: `object.__getnewargs_ex__`](https://docs.python.org/3/library/pickle.html#object.__getnewargs_ex__)
- Peers: ruff PLE0303, PLE0304, PLE0305, PLE0307, PLE0308, PLE0309, PLE0101;
  pylint E0303-E0313, E0100, E0101.
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN003",
    name: "invalid-special-return",
    group: Group::Hygiene,
    severity: Severity::Error,
    fix: FixAvailability::None,
    aliases: &[
        "PLE0303", "PLE0304", "PLE0305", "PLE0307", "PLE0308", "PLE0309", "PLE0101", "E0303",
        "E0304", "E0305", "E0306", "E0307", "E0308", "E0309", "E0310", "E0311", "E0312", "E0313",
        "E0100", "E0101",
    ],
    docs: DOCS,
    check,
};

/// The methods whose results CPython type-checks (the catalog's list).
const CHECKED: &[&str] = &[
    "__len__",
    "__length_hint__",
    "__index__",
    "__bool__",
    "__hash__",
    "__repr__",
    "__str__",
    "__format__",
    "__bytes__",
    "__fspath__",
    "__getnewargs__",
    "__getnewargs_ex__",
    "__init__",
];

fn check(cx: &Checker) {
    for f in &cx.module.functions {
        let Some(sm) = special_method(f).filter(|sm| CHECKED.contains(&sm.name)) else {
            continue;
        };
        let Some(class) = cx.module.class_of(f) else {
            continue;
        };
        if !judged_body(f) || f.is_async {
            continue;
        }
        let trigger = trigger(sm.name, class.name);
        let own = &f.scope;
        if !own.yields.is_empty() {
            if sm.returns == Returns::None {
                if let Some(y) = own.yields.first() {
                    cx.report(
                        *y,
                        format!(
                            "`{}.__init__` is a generator (it contains `yield`): `{trigger}` raises TypeError: __init__() should return None, not 'generator'",
                            class.name
                        ),
                    );
                }
            }
            continue;
        }
        for ret in &own.returns {
            let types = match ret.named_child(0) {
                None => vec![(Ty::None, *ret)],
                Some(value)
                    if sm.returns == Returns::None
                        && f.receiver()
                            .is_some_and(|r| syntax::is_identifier(cx.source, value, r)) =>
                {
                    vec![(Ty::Instance(class.name.to_string()), value)]
                }
                Some(value) => returned_types(cx, value),
            };
            if let Some((ty, error)) = types
                .into_iter()
                .find_map(|(ty, node)| violation(cx, class, sm, &ty, node).map(|e| (ty, e)))
            {
                cx.report(
                    *ret,
                    format!(
                        "`{}.{}` returns {}: `{trigger}` raises {error}",
                        class.name,
                        f.name,
                        ty.describe()
                    ),
                );
            }
        }
        if f.can_fall_off_end {
            if let Some(error) = violation(cx, class, sm, &Ty::None, f.body) {
                cx.report(
                    f.name_node,
                    format!(
                        "`{}.{}` can end without a `return`, returning None: `{trigger}` raises {error}",
                        class.name, f.name
                    ),
                );
            }
        }
    }
}

/// The call that makes Python check the result.
fn trigger(method: &str, class: &str) -> String {
    match method {
        "__len__" => "len(x)",
        "__length_hint__" => "operator.length_hint(x)",
        "__index__" => "operator.index(x)",
        "__bool__" => "bool(x)",
        "__hash__" => "hash(x)",
        "__repr__" => "repr(x)",
        "__str__" => "str(x)",
        "__format__" => "format(x, spec)",
        "__bytes__" => "bytes(x)",
        "__fspath__" => "os.fspath(x)",
        "__getnewargs__" | "__getnewargs_ex__" => "pickle.dumps(x)",
        _ => return format!("{class}(...)"),
    }
    .to_string()
}

/// The exception (with CPython 3.11's text) that returning `ty` from `sm`
/// causes, or None when `ty` is accepted.
fn violation(
    cx: &Checker,
    class: &Class,
    sm: &SpecialMethod,
    ty: &Ty,
    node: Node,
) -> Option<String> {
    let name = sm.name;
    let t = ty.name();
    let is_int = matches!(ty, Ty::Int { .. } | Ty::Bool);
    match sm.returns {
        Returns::NonNegativeInt => match ty {
            Ty::Int { negative: true } => Some(format!("ValueError: {name}() should return >= 0")),
            _ if is_int => None,
            Ty::NotImplemented if name == "__length_hint__" => None,
            _ if name == "__length_hint__" => Some(format!(
                "TypeError: __length_hint__ must be an integer, not {t}"
            )),
            _ => Some(format!(
                "TypeError: '{t}' object cannot be interpreted as an integer"
            )),
        },
        Returns::Int => match name {
            _ if is_int => None,
            "__hash__" => Some("TypeError: __hash__ method should return an integer".into()),
            _ => Some(format!("TypeError: {name} returned non-int (type {t})")),
        },
        Returns::Bool => (*ty != Ty::Bool)
            .then(|| format!("TypeError: __bool__ should return bool, returned {t}")),
        Returns::Str => match name {
            _ if *ty == Ty::Str => None,
            "__format__" => Some(format!("TypeError: __format__ must return a str, not {t}")),
            _ => Some(format!("TypeError: {name} returned non-string (type {t})")),
        },
        Returns::Bytes => {
            (*ty != Ty::Bytes).then(|| format!("TypeError: {name} returned non-bytes (type {t})"))
        }
        Returns::StrOrBytes => (!matches!(ty, Ty::Str | Ty::Bytes)).then(|| {
            format!(
                "TypeError: expected {}.{name}() to return str or bytes, not {t}",
                class.name
            )
        }),
        Returns::Tuple => (!matches!(ty, Ty::Tuple(_)))
            .then(|| format!("TypeError: {name} should return a tuple, not '{t}'")),
        Returns::ArgsKwargsTuple => args_kwargs_violation(cx, ty, node),
        Returns::None => (*ty != Ty::None)
            .then(|| format!("TypeError: __init__() should return None, not '{t}'")),
        _ => None,
    }
}

/// `__getnewargs_ex__` must return `(args: tuple, kwargs: dict)`.
fn args_kwargs_violation(cx: &Checker, ty: &Ty, node: Node) -> Option<String> {
    const NAME: &str = "__getnewargs_ex__";
    match ty {
        Ty::Tuple(None) => None,
        Ty::Tuple(Some(n)) if *n != 2 => Some(format!(
            "ValueError: {NAME} should return a tuple of length 2, not {n}"
        )),
        Ty::Tuple(Some(_)) => {
            let mut cursor = node.walk();
            let items: Vec<_> = node
                .named_children(&mut cursor)
                .filter(|c| c.kind() != "comment")
                .collect();
            let first = items
                .first()
                .and_then(|i| returned_types(cx, *i).into_iter().next());
            let second = items
                .get(1)
                .and_then(|i| returned_types(cx, *i).into_iter().next());
            if let Some((t, _)) = first.filter(|(t, _)| !matches!(t, Ty::Tuple(_))) {
                return Some(format!(
                    "TypeError: first item of the tuple returned by {NAME} must be a tuple, not '{}'",
                    t.name()
                ));
            }
            if let Some((t, _)) = second.filter(|(t, _)| *t != Ty::Dict) {
                return Some(format!(
                    "TypeError: second item of the tuple returned by {NAME} must be a dict, not '{}'",
                    t.name()
                ));
            }
            None
        }
        other => Some(format!(
            "TypeError: {NAME} should return a tuple, not '{}'",
            other.name()
        )),
    }
}
