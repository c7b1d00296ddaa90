use crate::rules::prelude::*;

const DOCS: &str = r#"
## What it does
Flags `raise NotImplemented` and `raise NotImplemented(...)`, anywhere in a
file (not only in special methods).

## Why is this a problem
`NotImplemented` is a constant, not an exception: it is the value an
operator method *returns* to let Python try the other operand. Raising it
fails on the spot: `raise NotImplemented` gives
`TypeError: exceptions must derive from BaseException`, and
`raise NotImplemented("todo")` gives
`TypeError: 'NotImplementedType' object is not callable` (the same on
CPython 3.8 to 3.13). The intended
exception is `NotImplementedError` (for an abstract method or an
unfinished feature); in an operator method, the intent was usually
`return NotImplemented`. Either way, callers that catch
`NotImplementedError` to fall back to another implementation never see it.

## Scenario
The Money type's base class declares `def convert(self, rate): raise
NotImplemented`. A subclass forgets to override it, and the code path that
catches `NotImplementedError` to try a slower converter instead crashes with
a TypeError that no handler expects, the message pointing at
`BaseException` rather than at the missing override.

## Example
```python
class Converter:
    def convert(self, amount):
        raise NotImplemented

try:
    Converter().convert(100)
except NotImplementedError:
    print("fall back")
# raises: TypeError: exceptions must derive from BaseException
```

## Use instead
```python
class Converter:
    def convert(self, amount):
        raise NotImplementedError

try:
    Converter().convert(100)
except NotImplementedError:
    print("fall back")  # prints: fall back
```

## Fix
Replaces `NotImplemented` with `NotImplementedError` in the `raise`
statement. Safe: the statement could only ever raise a TypeError about
itself.

## References
- [The `NotImplemented` constant](https://docs.python.org/3/library/constants.html#NotImplemented)
- [`NotImplementedError`](https://docs.python.org/3/library/exceptions.html#NotImplementedError)
- Peers: ruff F901 (`raise-not-implemented`), pylint E0711 (`notimplemented-raised`).
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN502",
    name: "raise-notimplemented",
    group: Group::Operators,
    severity: Severity::Error,
    fix: FixAvailability::Always,
    aliases: &["F901", "PLE0711", "E0711"],
    docs: DOCS,
    check,
};

fn check(cx: &Checker) {
    let m = cx.module;
    // A module that rebinds the name (import or assignment) is not using the
    // builtin constant.
    let rebound = m.imports.iter().any(|i| i.bound == "NotImplemented")
        || m.scope.assignments.iter().any(|a| {
            a.child_by_field_name("left")
                .is_some_and(|l| syntax::is_identifier(cx.source, l, "NotImplemented"))
        });
    if rebound {
        return;
    }
    let raises = m
        .scope
        .raises
        .iter()
        .chain(m.classes.iter().flat_map(|c| c.scope.raises.iter()))
        .chain(m.functions.iter().flat_map(|f| f.scope.raises.iter()));
    for raise in raises {
        let Some(value) = super::util::value_of(*raise).map(syntax::unparenthesize) else {
            continue;
        };
        let target = if value.kind() == "call" {
            value
                .child_by_field_name("function")
                .map(syntax::unparenthesize)
        } else {
            Some(value)
        };
        let Some(name) = target.filter(|t| syntax::is_identifier(cx.source, *t, "NotImplemented"))
        else {
            continue;
        };
        let (message, fragment) = if value.kind() == "call" {
            (
                "`NotImplemented(...)` is a call of a constant",
                "TypeError: 'NotImplementedType' object is not callable",
            )
        } else {
            (
                "`NotImplemented` is a constant, not an exception",
                "TypeError: exceptions must derive from BaseException",
            )
        };
        let fix = Fix::safe(
            "Raise `NotImplementedError`",
            vec![Edit::replace(name.byte_range(), "NotImplementedError")],
        );
        cx.report_with_fix(
            value,
            format!("`raise NotImplemented`: {message}; this raises `{fragment}`"),
            fix,
        );
    }
}
