use super::util;
use crate::rules::prelude::*;

const DOCS: &str = r#"
## What it does
Flags an `__eq__` that answers `False` for objects of a type it does not
handle (after `isinstance`/`type()` checks, in `return isinstance(other, T)
and ...`, or in an `except AttributeError:` handler) instead of returning
`NotImplemented`.

## Why is this a problem
For `a == b`, Python calls `a.__eq__(b)`; only if that returns
`NotImplemented` does it try `b.__eq__(a)`, and only if both decline does it
fall back to identity (`a is b`). Returning `False` ends the exchange early:
the other operand never gets to say whether it considers itself equal, so
equality becomes asymmetric. A wrapper or proxy type that knows how to
compare with `Money` gets `money == wrapper` as `False` but
`wrapper == money` as `True`, and `in`, `list.index` and `dict` lookups
disagree depending on the order of the operands. With `NotImplemented`, an
unrelated object still ends up unequal (the identity fallback), so nothing
is lost.

## Scenario
A financial system's `Money.__eq__` starts with
`if not isinstance(other, Money): return False`. A reporting library later
introduces a `LoggedAmount` proxy whose `__eq__` compares with the wrapped
`Money`. `proxy == price` is `True`, `price == proxy` is `False`, and a
deduplication step that checks `price in seen` keeps duplicates depending on
which object arrived first.

## Example
```python
class Money:
    def __init__(self, amount, currency):
        self.amount, self.currency = amount, currency

    def __eq__(self, other):
        if not isinstance(other, Money):
            return False
        return (self.amount, self.currency) == (other.amount, other.currency)

    __hash__ = None

class LoggedAmount:
    def __init__(self, money):
        self.money = money

    def __eq__(self, other):
        if isinstance(other, Money):
            return self.money == other
        return NotImplemented

price = Money(5, "USD")
proxy = LoggedAmount(Money(5, "USD"))
print(proxy == price, price == proxy)  # prints: True False
```

## Use instead
```python
class Money:
    def __init__(self, amount, currency):
        self.amount, self.currency = amount, currency

    def __eq__(self, other):
        if not isinstance(other, Money):
            return NotImplemented
        return (self.amount, self.currency) == (other.amount, other.currency)

    __hash__ = None

class LoggedAmount:
    def __init__(self, money):
        self.money = money

    def __eq__(self, other):
        if isinstance(other, Money):
            return self.money == other
        return NotImplemented

price = Money(5, "USD")
proxy = LoggedAmount(Money(5, "USD"))
print(proxy == price, price == proxy)  # prints: True True
assert (price == "5 USD") is False
```

## Fix
Replaces the `False` with `NotImplemented`; for
`return isinstance(other, T) and <comparison>` it writes
`if not isinstance(other, T): return NotImplemented` followed by
`return <comparison>`. Unsafe: `a == b` can now be decided by `b.__eq__`,
and code that calls `a.__eq__(b)` directly receives `NotImplemented`, which
is truthy.

## References
- [Data model: rich comparisons and `NotImplemented`](https://docs.python.org/3/reference/datamodel.html#object.__lt__)
- [`NotImplemented`](https://docs.python.org/3/library/constants.html#NotImplemented)
- Related: DUN408 (eq-raises), DUN504 (binop-raises-for-foreign-type).
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN407",
    name: "eq-false-for-foreign",
    group: Group::Hashing,
    severity: Severity::Information,
    fix: FixAvailability::Always,
    aliases: &[],
    docs: DOCS,
    check,
};

fn check(cx: &Checker) {
    let source = cx.source;
    for (class, f) in util::all_methods(cx) {
        if f.name != "__eq__" || f.is_stub() {
            continue;
        }
        let Some(other) = util::other_param(f) else {
            continue;
        };
        let other = other.name;
        for &ret in &f.scope.returns {
            let Some(value) = ret.named_child(0) else {
                continue;
            };
            let value = syntax::unparenthesize(value);
            let message = format!(
                "`{}.__eq__` returns False for objects it does not handle: the other operand's `__eq__` never gets a chance; return `NotImplemented`",
                class.name
            );
            if value.kind() == "false" {
                if returns_false_for_foreign(source, ret, f, other) {
                    cx.report_with_fix(
                        ret,
                        message,
                        Fix::unsafe_(
                            "Return `NotImplemented`",
                            vec![Edit::replace(value.byte_range(), "NotImplemented")],
                        ),
                    );
                }
                continue;
            }
            if let Some((test, rest)) = isinstance_and(source, value, other) {
                match split_fix(cx, ret, test, rest) {
                    Some(fix) => cx.report_with_fix(ret, message, fix),
                    None => cx.report(ret, message),
                }
            }
        }
    }
}

/// A `return False` reached only when `other` fails a type test, or in a
/// handler for the AttributeError/TypeError a foreign `other` raises.
fn returns_false_for_foreign(source: &str, ret: Node, f: &Function, other: &str) -> bool {
    if let Some(condition) = util::guarding_condition(ret, f) {
        return util::type_test(source, condition, other) == Some(true);
    }
    let Some(parent) = ret.parent() else {
        return false;
    };
    let Some(holder) = parent.parent() else {
        return false;
    };
    match holder.kind() {
        // `if isinstance(other, T): return ...` then `else: return False`.
        "else_clause" => holder.parent().is_some_and(|stmt| {
            stmt.kind() == "if_statement"
                && !has_elif(stmt)
                && stmt
                    .child_by_field_name("condition")
                    .is_some_and(|c| util::type_test(source, c, other) == Some(false))
        }),
        "except_clause" => {
            let text = syntax::text(source, holder);
            let header = text.split(':').next().unwrap_or("");
            header.contains("AttributeError") || header.contains("TypeError")
        }
        _ => {
            // `if isinstance(other, T): return ...` followed by `return False`.
            let mut previous = ret.prev_named_sibling();
            while previous.is_some_and(|p| p.kind() == "comment") {
                previous = previous.and_then(|p| p.prev_named_sibling());
            }
            previous.is_some_and(|stmt| {
                stmt.kind() == "if_statement"
                    && stmt.child_by_field_name("alternative").is_none()
                    && stmt
                        .child_by_field_name("condition")
                        .is_some_and(|c| util::type_test(source, c, other) == Some(false))
                    && stmt
                        .child_by_field_name("consequence")
                        .is_some_and(|b| !block_may_fall_through(b))
            })
        }
    }
}

fn has_elif(if_statement: Node) -> bool {
    let mut cursor = if_statement.walk();
    let found = if_statement
        .children_by_field_name("alternative", &mut cursor)
        .any(|a| a.kind() == "elif_clause");
    found
}

/// The block's last statement is not a `return`/`raise`.
fn block_may_fall_through(block: Node) -> bool {
    syntax::statements(block)
        .last()
        .is_none_or(|s| !matches!(s.kind(), "return_statement" | "raise_statement"))
}

/// `isinstance(other, T) and <rest>`: the test and the first node of
/// the rest of the chain.
fn isinstance_and<'a>(source: &str, value: Node<'a>, other: &str) -> Option<(Node<'a>, Node<'a>)> {
    let mut node = value;
    let mut rest = None;
    while node.kind() == "boolean_operator" {
        let op = node.child_by_field_name("operator")?;
        if syntax::text(source, op) != "and" {
            return None;
        }
        rest = node.child_by_field_name("right");
        node = syntax::unparenthesize(node.child_by_field_name("left")?);
    }
    let rest = rest?;
    (util::type_test(source, node, other) == Some(false)).then_some((node, rest))
}

/// Rewrite `return isinstance(o, T) and rest` as an early
/// `return NotImplemented` and `return rest`.
fn split_fix(cx: &Checker, ret: Node, test: Node, rest: Node) -> Option<Fix> {
    let source = cx.source;
    let line_start = source[..ret.start_byte()].rfind('\n').map_or(0, |i| i + 1);
    if !source[line_start..ret.start_byte()].trim().is_empty() {
        return None;
    }
    let value = ret.named_child(0)?;
    let indent = indent_of(source, ret);
    let nl = cx.newline;
    // Keep everything after the test: `rest` may be the first operand of
    // further `and`s, and any closing parentheses belong to it.
    let mut tail = source.get(rest.start_byte()..value.end_byte())?.to_string();
    let open = source
        .get(value.start_byte()..test.start_byte())?
        .matches('(')
        .count();
    for _ in 0..open {
        tail = tail.strip_suffix(')')?.trim_end().to_string();
    }
    let tail = if tail.contains('\n') {
        format!("({tail})")
    } else {
        tail
    };
    Some(Fix::unsafe_(
        "Return `NotImplemented` for other types",
        vec![Edit::replace(
            ret.byte_range(),
            format!(
                "if not {}:{nl}{indent}    return NotImplemented{nl}{indent}return {tail}",
                cx.text(test)
            ),
        )],
    ))
}
