use crate::rules::containers::util::{self as containers, Lineage};
use crate::rules::prelude::*;
use crate::rules::repr::util::{self, Conversion, Formatted};

const DOCS: &str = r#"
## What it does
Flags a `__repr__`, `__str__` or `__format__` that formats `self` in a way
that calls itself again:

- in `__repr__`: `repr(self)`, `f"{self!r}"`, `"%r" % self`,
  `self.__repr__()`; and `str(self)`, `f"{self}"`, `"%s" % self`,
  `format(self)` when the class has no `__str__` (and, for the format forms,
  no `__format__`), or when its `__str__` itself returns `repr(self)`;
- in `__str__`: `str(self)`, `"%s" % self`, `self.__str__()`, and
  `f"{self}"` / `format(self)` when the class has no `__format__`;
- in `__format__`: `format(self, spec)`, `f"{self:{spec}}"`,
  `self.__format__(spec)`.

## Why is this a problem
Each of these re-enters the method it is written in, with the same object,
until the interpreter gives up with `RecursionError: maximum recursion depth
exceeded` (the message continues with "while getting the repr of an
object", "while getting the str of an object" or "while calling a Python
object", depending on the path). The fallbacks are what make it easy to
miss: `str(x)` uses `type(x).__repr__` when the class has no `__str__`, and
`f"{x}"` calls `format(x, "")`, which `object.__format__` answers with
`str(x)`. So `f"Money({self})"` inside `__repr__` is `repr(self)` in
disguise.

A method decorated with `@reprlib.recursive_repr()` is not reported: the
decorator returns `"..."` for the nested call. The fallback cases are
reported only when the whole class hierarchy is visible (no unresolved or
builtin base, no custom metaclass, no subclass in the same file that may
define the missing `__str__`).

## Scenario
While trimming the 500 KB reprs of their nested data model, a team rewrites
`__repr__` methods to show "just the object" and writes
`return f"Customer({self})"`. Every log line that formats a customer now
crashes the logging call with `RecursionError`, and so does the error
tracker trying to report it. Format the identifying fields, not `self`.

## Example
```python
class Customer:
    def __init__(self, id):
        self.id = id

    def __repr__(self):
        return f"Customer({self})"

repr(Customer(42))  # raises: RecursionError: maximum recursion depth exceeded
```

## Use instead
```python
class Customer:
    def __init__(self, id):
        self.id = id

    def __repr__(self):
        return f"Customer(id={self.id!r})"

    def __str__(self):
        return f"customer #{self.id}"

print(repr(Customer(42)), str(Customer(42)))  # prints: Customer(id=42) customer #42
```

## Fix
No automatic fix: which fields to show is a choice the author makes.

## References
- [Data model: `object.__repr__`](https://docs.python.org/3/reference/datamodel.html#object.__repr__), [`object.__str__`](https://docs.python.org/3/reference/datamodel.html#object.__str__) (the default calls `__repr__`), [`object.__format__`](https://docs.python.org/3/reference/datamodel.html#object.__format__)
- [`reprlib.recursive_repr`](https://docs.python.org/3/library/reprlib.html#reprlib.recursive_repr)
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN302",
    name: "repr-self-recursion",
    group: Group::Repr,
    severity: Severity::Error,
    fix: FixAvailability::None,
    aliases: &[],
    docs: DOCS,
    check,
};

/// What the class provides for the fallbacks.
struct Fallbacks {
    /// `__str__` defined by the class or a user base.
    has_str: bool,
    has_format: bool,
    /// Every base is a user class (or object): no builtin `__str__` or
    /// `__format__` we do not see.
    known: bool,
    /// The class's own `__str__` formats `self` with repr.
    str_calls_repr: bool,
}

fn check(cx: &Checker) {
    for class in &cx.module.classes {
        let methods: Vec<&Function> = ["__repr__", "__str__", "__format__"]
            .iter()
            .filter_map(|n| cx.module.method(class, n))
            .filter(|f| {
                !f.is_staticmethod() && !f.is_classmethod() && !containers::is_placeholder(f)
            })
            .collect();
        if methods.is_empty() {
            continue;
        }
        let lineage = Lineage::of(cx, class);
        let own_str = cx.module.method(class, "__str__");
        let fallbacks = Fallbacks {
            has_str: containers::defines_or_inherits(cx, class, &lineage, "__str__"),
            has_format: containers::defines_or_inherits(cx, class, &lineage, "__format__"),
            // A subclass in this file may supply the `__str__`: the
            // base is abstract, as distutils' `Version` is.
            known: lineage.complete()
                && lineage.builtins.is_empty()
                && !containers::has_subclass_in_file(cx, class),
            str_calls_repr: own_str
                .is_some_and(|s| formats_self(cx, s, |c| c == Conversion::Repr, "__repr__")),
        };
        for function in methods {
            if function
                .decorators
                .iter()
                .any(|d| cx.module.qualified_name(d.name) == "reprlib.recursive_repr")
                || under_version_guard(cx, function)
            {
                continue;
            }
            let Some(receiver) = function.receiver() else {
                continue;
            };
            let owner = format!("{}.{}", class.name, function.name);
            for f in util::formatted_values(cx, function) {
                if !syntax::is_identifier(cx.source, f.value, receiver) {
                    continue;
                }
                if let Some(why) = recursion(function.name, f.conversion, &fallbacks) {
                    report(cx, &owner, &f, why);
                }
            }
            for &call in &function.scope.calls {
                let Some(method) = util::self_method_call(cx, call, receiver) else {
                    continue;
                };
                let recursive = match (function.name, method) {
                    ("__repr__", "__repr__")
                    | ("__str__", "__str__")
                    | ("__format__", "__format__") => true,
                    ("__repr__", "__str__") => {
                        fallbacks.known && (!fallbacks.has_str || fallbacks.str_calls_repr)
                    }
                    _ => false,
                };
                if recursive {
                    cx.report(
                        call,
                        format!(
                            "`{owner}` calls `{}`, which re-enters `{owner}`: RecursionError",
                            cx.text(call)
                        ),
                    );
                }
            }
        }
    }
}

/// Why formatting `self` this way inside `method` re-enters it, if it does.
fn recursion(method: &str, conversion: Conversion, fb: &Fallbacks) -> Option<&'static str> {
    match (method, conversion) {
        ("__repr__", Conversion::Repr) => Some(""),
        ("__repr__", Conversion::Str) if fb.known && !fb.has_str => {
            Some(" (the class has no `__str__`, so `str()` falls back to `__repr__`)")
        }
        ("__repr__", Conversion::Str) if fb.known && fb.str_calls_repr => {
            Some(" (its `__str__` returns the repr)")
        }
        ("__repr__", Conversion::Format { spec: false })
            if fb.known && !fb.has_format && !fb.has_str =>
        {
            Some(" (`format(self, '')` falls back to `str()`, and `str()` to `__repr__`)")
        }
        ("__repr__", Conversion::Format { spec: false })
            if fb.known && !fb.has_format && fb.str_calls_repr =>
        {
            Some(" (`format(self, '')` calls `__str__`, which returns the repr)")
        }
        ("__str__", Conversion::Str) => Some(""),
        ("__str__", Conversion::Format { spec: false }) if fb.known && !fb.has_format => {
            Some(" (`format(self, '')` falls back to `str()`)")
        }
        ("__format__", Conversion::Format { .. }) => Some(""),
        _ => None,
    }
}

fn report(cx: &Checker, owner: &str, f: &Formatted, why: &str) {
    let text = cx.text(f.site);
    let how = match f.site.kind() {
        "binary_operator" => "`%` formatting".to_string(),
        _ if text.len() <= 40 && !text.contains('\n') => format!("`{text}`"),
        "call" => "`.format()`".to_string(),
        _ => "an f-string field".to_string(),
    };
    cx.report(
        f.site,
        format!(
            "`{owner}` formats `self` with {how}, which re-enters `{owner}`{why}: RecursionError"
        ),
    );
}

/// `function` formats its receiver with a conversion `accept` takes, or
/// calls `self.<dunder>()`.
fn formats_self(
    cx: &Checker,
    function: &Function,
    accept: impl Fn(Conversion) -> bool,
    dunder: &str,
) -> bool {
    let Some(receiver) = function.receiver() else {
        return false;
    };
    util::formatted_values(cx, function)
        .iter()
        .any(|f| accept(f.conversion) && syntax::is_identifier(cx.source, f.value, receiver))
        || function
            .scope
            .calls
            .iter()
            .any(|&c| util::self_method_call(cx, c, receiver) == Some(dunder))
}

/// `if sys.version_info < (3,): def __str__(...)`: Python 2 code, dead here.
fn under_version_guard(cx: &Checker, function: &Function) -> bool {
    let mut current = function.outer.parent();
    while let Some(node) = current {
        if matches!(node.kind(), "class_definition" | "function_definition") {
            return false;
        }
        if node.kind() == "if_statement" {
            let condition = node
                .child_by_field_name("condition")
                .map(|c| cx.text(c))
                .unwrap_or_default();
            if ["version_info", "PY2", "PY3"]
                .iter()
                .any(|w| condition.contains(w))
            {
                return true;
            }
        }
        current = node.parent();
    }
    false
}
