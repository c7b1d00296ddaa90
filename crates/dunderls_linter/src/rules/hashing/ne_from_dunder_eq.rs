use super::util;
use crate::rules::prelude::*;

const DOCS: &str = r#"
## What it does
Flags a `__ne__` that returns `not self.__eq__(other)` (or
`not super().__eq__(other)`, `not Base.__eq__(self, other)`).

## Why is this a problem
`__eq__` returns `NotImplemented` for types it does not handle, and
`object.__eq__` does so for any two distinct objects. `NotImplemented` is
truthy, so `not self.__eq__(other)` turns it into `False`: `!=` then says an
unrelated object is *not* unequal, and `a != b` and `a == b` are both
`False`. Since Python 3.9, using `NotImplemented` in a boolean context emits
`DeprecationWarning: NotImplemented should not be used in a boolean
context` (observed on 3.11); from Python 3.14 it raises `TypeError`. Python 3
derives `__ne__` from `__eq__` on its own (`object.__ne__` inverts the
result and passes `NotImplemented` through), so the method is not needed.

## Scenario
A financial system's `Money` class still carries a Python 2 era
`__ne__` that returns `not self.__eq__(other)`, next to an `__eq__` that
correctly returns `NotImplemented` for foreign types. Validation code checks
`if price != expected:` where `expected` is sometimes a plain string from a
config file: the check says they are equal, bad prices pass, and the logs
fill with `DeprecationWarning`s; after an upgrade to Python 3.14 the same
line raises `TypeError`.

## Example
```python
class Money:
    def __init__(self, amount, currency):
        self.amount, self.currency = amount, currency

    def __eq__(self, other):
        if not isinstance(other, Money):
            return NotImplemented
        return (self.amount, self.currency) == (other.amount, other.currency)

    def __ne__(self, other):
        return not self.__eq__(other)

    __hash__ = None

print(Money(5, "USD") != "5 USD")  # prints: False
# warns: DeprecationWarning: NotImplemented should not be used in a boolean context
```

## Use instead
Delete `__ne__`; Python derives it from `__eq__`:
```python
class Money:
    def __init__(self, amount, currency):
        self.amount, self.currency = amount, currency

    def __eq__(self, other):
        if not isinstance(other, Money):
            return NotImplemented
        return (self.amount, self.currency) == (other.amount, other.currency)

    __hash__ = None

print(Money(5, "USD") != "5 USD")  # prints: True
assert not (Money(5, "USD") != Money(5, "USD"))
```
When a `__ne__` must stay, write `return not self == other`.

## Fix
Rewrites `not self.__eq__(other)` as `not self == other`, which goes
through the full `==` protocol (reflected `__eq__`, then identity). Unsafe:
`!=` with an unrelated object changes from `False` to `True`, and a
subclass operand's `__eq__` is now consulted first. No fix is offered for
`super().__eq__(...)` or `Base.__eq__(self, ...)`.

## References
- [Data model: rich comparisons (`__ne__` delegates to `__eq__`)](https://docs.python.org/3/reference/datamodel.html#object.__lt__)
- [`NotImplemented` in a boolean context](https://docs.python.org/3/library/constants.html#NotImplemented)
- Related: DUN005 (unnecessary-dunder-call).
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN409",
    name: "ne-from-dunder-eq",
    group: Group::Hashing,
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    aliases: &[],
    docs: DOCS,
    check,
};

fn check(cx: &Checker) {
    let source = cx.source;
    for (class, f) in util::all_methods(cx) {
        if f.name != "__ne__" {
            continue;
        }
        let Some(receiver) = f.receiver() else {
            continue;
        };
        for &not in &f.scope.not_operators {
            let Some(call) = not
                .child_by_field_name("argument")
                .map(syntax::unparenthesize)
                .filter(|c| c.kind() == "call")
            else {
                continue;
            };
            if syntax::callee_last(source, call) != Some("__eq__") {
                continue;
            }
            let Some(object) = call
                .child_by_field_name("function")
                .and_then(|c| c.child_by_field_name("object"))
            else {
                continue;
            };
            let on_self = syntax::is_identifier(source, object, receiver);
            if on_self && !eq_may_decline(cx, class) {
                continue;
            }
            // `if isinstance(other, C): return not self.__eq__(other)`: the
            // NotImplemented branch of `__eq__` is for other types.
            let guarded = util::other_param(f).is_some_and(|o| {
                util::guarding_condition(not, f)
                    .is_some_and(|c| util::type_test(source, c, o.name) == Some(false))
            });
            if guarded {
                continue;
            }
            let message = format!(
                "`{}.__ne__` uses `{}`: when `__eq__` returns NotImplemented, `not NotImplemented` is False (a DeprecationWarning, a TypeError from Python 3.14), so `!=` answers False for unrelated objects",
                class.name,
                cx.text(not)
            );
            let args = syntax::positional_args(call);
            let no_keywords = syntax::keyword_args(source, call).is_empty()
                && call
                    .child_by_field_name("arguments")
                    .is_some_and(|a| a.named_child_count() == args.len());
            match args.as_slice() {
                [arg] if on_self && no_keywords => cx.report_with_fix(
                    not,
                    message,
                    Fix::unsafe_(
                        format!("Use `not {receiver} == {}`", cx.text(*arg)),
                        vec![Edit::replace(
                            call.byte_range(),
                            format!("{receiver} == {}", cx.text(*arg)),
                        )],
                    ),
                ),
                _ => cx.report(not, message),
            }
        }
    }
}

/// The `__eq__` that `self.__eq__` reaches may return NotImplemented: it is
/// inherited (object's does), abstract, or one of its return values may be
/// `NotImplemented` (or something we cannot see through, like a call).
fn eq_may_decline(cx: &Checker, class: &Class) -> bool {
    let Some(eq) = util::member(cx, class, "__eq__") else {
        return true;
    };
    let source = cx.source;
    eq.is_stub()
        || eq
            .scope
            .returns
            .iter()
            .copied()
            .filter_map(|r| r.named_child(0))
            .any(|v| may_be_notimplemented(source, v))
}

/// Whether an expression may evaluate to `NotImplemented`. `a and b`
/// yields `a` only when it is falsy, which `NotImplemented` is not.
fn may_be_notimplemented(source: &str, value: Node) -> bool {
    let mut work = vec![value];
    while let Some(node) = work.pop() {
        let node = syntax::unparenthesize(node);
        match node.kind() {
            "comparison_operator"
            | "not_operator"
            | "true"
            | "false"
            | "none"
            | "integer"
            | "string" => {}
            "call"
                if matches!(
                    syntax::callee_name(source, node),
                    Some(
                        "isinstance"
                            | "issubclass"
                            | "all"
                            | "any"
                            | "bool"
                            | "hasattr"
                            | "callable"
                    )
                ) => {}
            "boolean_operator" => {
                let op = node
                    .child_by_field_name("operator")
                    .map(|o| syntax::text(source, o));
                work.extend(node.child_by_field_name("right"));
                if op == Some("or") {
                    work.extend(node.child_by_field_name("left"));
                }
            }
            _ => return true,
        }
    }
    false
}
