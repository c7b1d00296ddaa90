use super::util::{arguments, count_range, signature_problem, special_method, SignatureProblem};
use crate::rules::prelude::*;

const DOCS: &str = r#"
## What it does
Flags a special method defined with parameters that Python's implicit call
can never match: too few or too many positional parameters for the
arguments Python passes (`__eq__(self)`, `__exit__(self, exc)`,
`__len__(self, x)`, `__set_name__(self, owner)`), or a keyword-only
parameter without a default that Python never passes. Defaults, `*args`,
the implicit static/class binding of `__new__`, `__init_subclass__` and
`__class_getitem__`, and explicit `@staticmethod`/`@classmethod` are taken
into account.

## Why is this a problem
Python calls special methods itself, with a fixed number of positional
arguments: `a == b` calls `type(a).__eq__(a, b)`, leaving a `with` block
calls `__exit__(exc_type, exc_value, traceback)`, `len(x)` calls
`__len__(x)`. A definition that cannot take that many arguments is found
and called, and the call fails with `TypeError`, e.g.
`Transaction.__exit__() takes 2 positional arguments but 4 were given`
or `__getitem__() missing 1 required positional argument`. Nothing fails
when the class is defined: the error appears at the first use, often on a
rare path (an exception leaving a `with` block). For `__set_name__`,
Python 3.11 wraps the error in `RuntimeError: Error calling __set_name__`;
Python 3.12 and later raise the `TypeError` itself, with a note.

A `@staticmethod` receives no `self`, so it must take one parameter fewer;
`__prepare__` and `__subclasshook__` are not converted to class methods
implicitly, so without `@classmethod` they receive no `cls` either.

## Scenario
The query-DSL team makes its builder usable as a transaction scope
(`with Query() as q: ...`), as the seed suggests for stateful DSLs, and
writes `def __exit__(self, exc)`. The module imports and `__enter__` works;
the first block that finishes fails with `TypeError: ... takes 2
positional arguments but 4 were given`, and when the block itself raised,
the real error only shows up as the context of this one. Python calls
`__exit__` with exactly three arguments after `self`, whatever happened in
the block.

## Example
```python
class Transaction:
    def __enter__(self):
        return self

    def __exit__(self, exc):
        print("rollback" if exc else "commit")

with Transaction():  # raises: TypeError: takes 2 positional arguments but 4 were given
    pass
```

## Use instead
```python
class Transaction:
    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        print("rollback" if exc_type else "commit")
        return False

with Transaction():
    pass
# prints: commit
```

## Fix
No automatic fix: which parameters the body needs, and how it should use
the arguments it now receives, is a decision for the author. The message
shows the signature Python expects.

## References
- [Data model: special method names](https://docs.python.org/3/reference/datamodel.html#special-method-names)
- [Data model: `object.__exit__`](https://docs.python.org/3/reference/datamodel.html#object.__exit__)
- [Data model: `object.__set_name__`](https://docs.python.org/3/reference/datamodel.html#object.__set_name__)
- Peers: ruff PLE0302 (`unexpected-special-method-signature`), pylint E0302.
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN002",
    name: "special-method-signature",
    group: Group::Hygiene,
    severity: Severity::Error,
    fix: FixAvailability::None,
    aliases: &["PLE0302", "E0302"],
    docs: DOCS,
    check,
};

fn check(cx: &Checker) {
    for f in &cx.module.functions {
        let (Some(class), Some(sm)) = (cx.module.class_of(f), special_method(f)) else {
            continue;
        };
        if f.has_errors || unreachable_exit(cx, class, f.name) {
            continue;
        }
        let Some(problem) = signature_problem(f, sm) else {
            continue;
        };
        let expected = sm.signature();
        let message = match problem {
            SignatureProblem::Arity { passes, required, accepted, note } => {
                let takes = match accepted {
                    None => format!("requires at least {}", arguments(required)),
                    Some(a) if a == required => format!("takes {}", arguments(a)),
                    Some(a) if required == 0 => format!("takes at most {}", arguments(a)),
                    Some(a) => format!("takes {required} to {}", arguments(a)),
                };
                let note = note.map(|n| format!(" ({n})")).unwrap_or_default();
                format!(
                    "`{}.{}`{note} {takes} but Python calls it with {}: TypeError at call time; expected `{expected}`",
                    class.name,
                    f.name,
                    count_range(passes),
                )
            }
            SignatureProblem::KeywordOnly { name } => format!(
                "`{}.{}` requires the keyword-only argument `{name}`, which Python never passes: TypeError at call time; expected `{expected}`",
                class.name, f.name
            ),
        };
        let range = f
            .node
            .child_by_field_name("parameters")
            .map_or(f.name_node.byte_range(), |p| p.byte_range());
        cx.report_at(range, message, None, None);
    }
}

/// `__exit__` of a class whose `__enter__` only raises (trio's "use `async
/// with`" guard): Python never calls it.
fn unreachable_exit(cx: &Checker, class: &Class, name: &str) -> bool {
    let enter = match name {
        "__exit__" => "__enter__",
        "__aexit__" => "__aenter__",
        _ => return false,
    };
    cx.module.method(class, enter).is_some_and(|f| {
        let statements = syntax::statements(f.body);
        statements
            .last()
            .is_some_and(|s| s.kind() == "raise_statement")
            && statements.iter().all(|s| {
                s.kind() == "raise_statement"
                    || s.kind() == "expression_statement"
                        && s.named_child(0).is_some_and(|e| e.kind() == "string")
            })
    })
}
