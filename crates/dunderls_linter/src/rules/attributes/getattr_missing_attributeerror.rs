use crate::rules::prelude::*;

use super::util;

const DOCS: &str = r#"
## What it does
Flags a `__getattr__` that does not raise `AttributeError` for names it
does not handle:
- it can end without returning (so it returns `None`), or has a bare
  `return`;
- it raises another exception on the unknown-name path: as its last
  statement, under `if name not in ...:`, or in an
  `except KeyError`/`LookupError`/`IndexError` handler around a lookup of
  the name;
- it returns `self._data[name]` outside any `try` and without a condition
  on the name before it, so a `KeyError` escapes.

A method with a block that ends in a call statement (a helper that raises,
`super().__getattr__(name)`) is not reported as falling off the end, and a
`self[name]` lookup is left alone (the class's own `__getitem__` decides).

## Why is this a problem
`AttributeError` is how Python code asks "does this attribute exist?".
`hasattr(obj, name)` and `getattr(obj, name, default)` catch only
`AttributeError`:
- a `__getattr__` that returns `None` for unknown names makes every
  attribute exist: `hasattr(obj, "anything")` is `True` and
  `getattr(obj, name, default)` never returns the default;
- one that raises `KeyError` or `ValueError` makes `hasattr` itself raise.

Library code probes optional protocol methods the same way:
`copy.deepcopy` looks up `__deepcopy__` on the instance, `pickle` and
`copy` look up `__setstate__` and `__reduce_ex__`, frameworks probe
`__html__`, `__json__`, ... A probe that gets `None` tries to call it
(`TypeError: 'NoneType' object is not callable`); a probe that gets
`KeyError: '__deepcopy__'` fails outright (observed on CPython 3.11-3.13).

## Scenario
The lazy-loading ORM model answers relationship names from a
`_relations` dict in `__getattr__`, and for any other name the method
just ends. `hasattr(customer, "email_verified")` now says `True`, the
template layer renders `None` where a missing field should have fallen back
to a default, and `copy.deepcopy(customer)` in a test fails because
`customer.__deepcopy__` is `None`.

## Example
```python
class Record:
    def __init__(self, fields):
        self._fields = fields

    def __getattr__(self, name):
        if name in self._fields:
            return self._fields[name]

r = Record({"id": 7})
print(hasattr(r, "no_such_field"))  # prints: True
print(getattr(r, "no_such_field", "default"))  # prints: None
```
And with a `KeyError` escaping:
```python
class Record:
    def __init__(self, fields):
        self._fields = fields

    def __getattr__(self, name):
        return self._fields[name]

hasattr(Record({"id": 7}), "no_such_field")  # raises: KeyError: 'no_such_field'
```

## Use instead
```python
import copy

class Record:
    def __init__(self, fields):
        self._fields = fields

    def __getattr__(self, name):
        try:
            return self.__dict__["_fields"][name]
        except KeyError:
            raise AttributeError(
                f"{type(self).__name__!r} object has no attribute {name!r}"
            ) from None

r = Record({"id": 7})
assert r.id == 7
assert not hasattr(r, "no_such_field")
assert getattr(r, "no_such_field", "default") == "default"
assert copy.deepcopy(r).id == 7
```

## Fix
No automatic fix: which names the method handles is the author's
decision. End the method with
`raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")`
(Python 3.10+ also accepts `name=` and `obj=` keywords for better
suggestions in tracebacks).

## References
- [Data model: `object.__getattr__`](https://docs.python.org/3/reference/datamodel.html#object.__getattr__)
- [`hasattr`](https://docs.python.org/3/library/functions.html#hasattr), [`getattr`](https://docs.python.org/3/library/functions.html#getattr)
- Related: DUN103 (`__getattr__` recursion on half-built instances).
- Peers: none known.
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN102",
    name: "getattr-missing-attributeerror",
    group: Group::Attributes,
    severity: Severity::Warning,
    fix: FixAvailability::None,
    aliases: &[],
    docs: DOCS,
    check,
};

/// Builtin exceptions that are not AttributeError (or a subclass of it).
const OTHER_BUILTIN_EXCEPTIONS: &[&str] = &[
    "Exception",
    "BaseException",
    "KeyError",
    "LookupError",
    "IndexError",
    "ValueError",
    "TypeError",
    "RuntimeError",
    "NotImplementedError",
    "NameError",
];

fn check(cx: &Checker) {
    for class in &cx.module.classes {
        let Some(getattr) = util::own_method(cx, class, "__getattr__") else {
            continue;
        };
        if getattr.is_generator() || getattr.has_errors {
            continue;
        }
        let Some(name) = util::positional_param(getattr, 1) else {
            continue;
        };
        let prefix = format!("`{}.__getattr__`", class.name);
        // Falls off the end: implicit None for the names it does not handle.
        if getattr.can_fall_off_end && !ends_with_call(getattr) {
            cx.report(
                getattr.name_node,
                format!("{prefix} can end without returning: unknown names get `None` instead of AttributeError, so `hasattr()` is always True"),
            );
        }
        for &ret in &getattr.scope.returns {
            if getattr.in_lambda(ret) {
                continue;
            }
            match ret.named_child(0) {
                None => cx.report(
                    ret,
                    format!("{prefix} has a bare `return`: that name gets `None` instead of AttributeError, so `hasattr()` is True for it"),
                ),
                Some(value) => {
                    if let Some(container) = unguarded_lookup(cx, getattr, value, name) {
                        cx.report(
                            value,
                            format!("{prefix} lets `KeyError` escape from `{container}[{name}]` for unknown names: `hasattr()` and `getattr(obj, name, default)` raise instead of answering"),
                        );
                    }
                }
            }
        }
        for &raise in &getattr.scope.raises {
            if getattr.in_lambda(raise) || !for_unknown_names(cx, getattr, raise, name) {
                continue;
            }
            let Some(exc) = raised_class(cx, raise) else {
                continue;
            };
            if !is_other_exception(cx, exc) {
                continue;
            }
            cx.report(
                raise,
                format!("{prefix} raises `{exc}` for unknown names instead of AttributeError: `hasattr()` and `getattr(obj, name, default)` raise instead of answering"),
            );
        }
    }
}

/// A `raise` on the path of names the method does not handle: the last
/// statement of the body, the body of `if name not in ...:`, or a handler
/// `except KeyError/LookupError/IndexError` of a `try` whose body uses the
/// name (a failed lookup translated into the wrong exception).
fn for_unknown_names(cx: &Checker, f: &Function, raise: Node, name: &str) -> bool {
    if syntax::statements(f.body).last() == Some(&raise) {
        return true;
    }
    let Some(block) = raise.parent().filter(|b| b.kind() == "block") else {
        return false;
    };
    let Some(owner) = block.parent() else {
        return false;
    };
    match owner.kind() {
        "if_statement" | "elif_clause" => {
            owner.child_by_field_name("consequence") == Some(block)
                && owner
                    .child_by_field_name("condition")
                    .is_some_and(|c| is_not_in_test(cx.source, c, name))
        }
        "except_clause" => {
            let catches_lookup = {
                let mut cursor = owner.walk();
                let found = owner
                    .named_children(&mut cursor)
                    .filter(|c| c.kind() != "block")
                    .any(|c| {
                        syntax::descendants(c, false).any(|n| {
                            n.kind() == "identifier"
                                && matches!(cx.text(n), "KeyError" | "LookupError" | "IndexError")
                        })
                    });
                found
            };
            let try_uses_name = owner
                .parent()
                .and_then(|t| t.child_by_field_name("body"))
                .is_some_and(|b| util::mentions(cx.source, b, name));
            catches_lookup && try_uses_name
        }
        _ => false,
    }
}

/// `name not in X` or `not name in X`.
fn is_not_in_test(source: &str, cond: Node, name: &str) -> bool {
    let cond = syntax::unparenthesize(cond);
    let (comparison, negated) = if cond.kind() == "not_operator" {
        match cond.child_by_field_name("argument") {
            Some(arg) => (syntax::unparenthesize(arg), true),
            None => return false,
        }
    } else {
        (cond, false)
    };
    if comparison.kind() != "comparison_operator"
        || !comparison
            .named_child(0)
            .is_some_and(|l| syntax::is_identifier(source, l, name))
    {
        return false;
    }
    let mut cursor = comparison.walk();
    let ops: Vec<String> = comparison
        .children_by_field_name("operators", &mut cursor)
        .map(|o| {
            syntax::text(source, o)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    match ops.as_slice() {
        [op] if op == "not in" => !negated,
        [op] if op == "in" => negated,
        _ => false,
    }
}

/// Some block of the body ends with a call statement (a helper that
/// raises, `super().__getattr__(name)`): do not guess that the method
/// falls off the end.
fn ends_with_call(f: &Function) -> bool {
    syntax::descendants(f.body, true)
        .filter(|n| n.kind() == "block")
        .filter_map(|b| syntax::statements(b).last().copied())
        .any(|s| {
            s.kind() == "expression_statement"
                && s.named_child(0).is_some_and(|e| e.kind() == "call")
        })
}

/// `return <x>[name]` outside any `try` and not guarded by a condition on
/// the name: the container's text.
fn unguarded_lookup<'a>(
    cx: &Checker<'a>,
    f: &Function<'a>,
    value: Node<'a>,
    name: &str,
) -> Option<&'a str> {
    let value = syntax::unparenthesize(value);
    if value.kind() != "subscript" {
        return None;
    }
    let key = value.child_by_field_name("subscript")?;
    if !syntax::is_identifier(cx.source, key, name) {
        return None;
    }
    let container = value.child_by_field_name("value")?;
    // Only containers reached through the instance: `self._data`,
    // `self.__dict__`, `vars(self)`.
    // `self[name]` goes through the class's own `__getitem__`, which may
    // answer anything.
    let receiver = util::instance_receiver(f)?;
    if !util::mentions(cx.source, container, receiver)
        || syntax::is_identifier(cx.source, container, receiver)
    {
        return None;
    }
    if util::inside(value, f.body, &["try_statement", "with_statement"]) {
        return None;
    }
    // A dynamic target: any condition on the name (or earlier exit on one)
    // makes this Unknown.
    (util::reach(cx.source, f, value, name, util::Target::Dynamic) == util::Reach::Runs)
        .then(|| cx.text(container))
}

/// `raise X(...)` / `raise X`: the class name; None for a bare re-raise or
/// an expression we cannot name.
fn raised_class<'a>(cx: &Checker<'a>, raise: Node<'a>) -> Option<&'a str> {
    let exc = syntax::unparenthesize(raise.named_child(0)?);
    let callee = if exc.kind() == "call" {
        exc.child_by_field_name("function")?
    } else {
        exc
    };
    syntax::dotted_name(cx.source, callee)
}

/// A builtin other than AttributeError, or a class of this file whose
/// (completely resolved) bases do not include AttributeError.
fn is_other_exception(cx: &Checker, name: &str) -> bool {
    if OTHER_BUILTIN_EXCEPTIONS.contains(&name) {
        return cx.module.import_of(name).is_none() && cx.module.class_named(name).is_none();
    }
    let Some(class) = cx.module.class_named(name) else {
        return false;
    };
    let ancestry = cx.ancestry(class);
    ancestry.complete()
        && !ancestry.builtins().any(|b| b == "AttributeError")
        && !ancestry.user_classes().any(|c| c.name == "AttributeError")
        && ancestry
            .builtins()
            .any(|b| OTHER_BUILTIN_EXCEPTIONS.contains(&b))
}
