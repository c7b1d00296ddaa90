use std::collections::HashMap;

use dunderls_datamodel::lookup;

use super::util::{is_builtin, mentions_identifier, plain_arguments};
use crate::rules::prelude::*;

const DOCS: &str = r#"
## What it does
Flags a direct call of an operator, comparison, container or `len`-like
special method where the operator or builtin would do: `a.__add__(b)`,
`x.__eq__(y)`, `if self.__eq__(other):`, `items.__len__()`,
`d.__getitem__(k)`, `s.__contains__(x)`.

Calls that cannot be written with the operator are not reported:
`super().__eq__(other)`, `Base.__eq__(self, other)` and `object.__repr__(x)`,
calls inside the implementation of a special method of the same protocol
(a wrapper's `__eq__` forwarding to `self._value.__eq__(other)`), code
that checks the result for `NotImplemented` itself, and `test*` functions
(which call special methods directly to test them).

## Why is this a problem
An operator is more than the method it names. `a == b` calls
`a.__eq__(b)`, and when that returns `NotImplemented` it tries
`b.__eq__(a)`, then falls back to identity; `a + b` tries `b.__radd__(a)`.
A direct `a.__eq__(b)` skips all of that and hands `NotImplemented` to the
caller. `NotImplemented` is truthy: `if a.__eq__(b):` takes the branch
for an object `a` does not know how to compare with, and Python 3.9 to
3.13 emit `DeprecationWarning: NotImplemented should not be used in a
boolean context` (Python 3.14 raises `TypeError`). Builtins also check
results: `len(x)` rejects a negative or non-int `__len__`, `x.__len__()`
does not.

## Scenario
The Money type from the seed returns `NotImplemented` from `__eq__` for
foreign operands, as it should. Elsewhere in the billing code someone
writes `if price.__eq__(amount):`, and `amount` is sometimes a plain
number. For those calls `__eq__` returns `NotImplemented`, which is true in
a boolean context: the code treats a `Money` and an `int` as equal, and
only a deprecation warning in the logs hints at it. `price == amount`
would have compared correctly (False).

## Example
```python
class Money:
    def __init__(self, amount, currency):
        self.amount, self.currency = amount, currency

    def __eq__(self, other):
        if not isinstance(other, Money):
            return NotImplemented
        return (self.amount, self.currency) == (other.amount, other.currency)

price = Money(100, "USD")
if price.__eq__(100):  # warns: DeprecationWarning: NotImplemented should not be used in a boolean context
    print("same price")  # prints: same price
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

price = Money(100, "USD")
assert price == Money(100, "USD")
print(price == 100)  # prints: False
```

## Fix
Replaces the call with the operator or builtin (`a.__add__(b)` ->
`a + b`, `x.__len__()` -> `len(x)`, `d.__getitem__(k)` -> `d[k]`).
Unsafe: the operator also tries the other operand's reflected method and
validates results, so the outcome can differ, which is usually the point.

## References
- [Data model: emulating numeric types](https://docs.python.org/3/reference/datamodel.html#emulating-numeric-types)
- [Data model: `object.__eq__` (rich comparisons)](https://docs.python.org/3/reference/datamodel.html#object.__eq__)
- [The `NotImplemented` constant](https://docs.python.org/3/library/constants.html#NotImplemented)
- Peers: ruff PLC2801 (`unnecessary-dunder-call`, preview), pylint C2801.
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN005",
    name: "unnecessary-dunder-call",
    group: Group::Hygiene,
    severity: Severity::Information,
    fix: FixAvailability::Sometimes,
    aliases: &["PLC2801", "C2801"],
    docs: DOCS,
    check,
};

/// How a directly called special method is spelled without the call.
#[derive(Debug, Clone, Copy)]
enum Spelling {
    /// `a OP b`.
    Binary(&'static str),
    /// `OP a`.
    Unary(&'static str),
    /// `f(a)`, or `f(a, b)` for `__format__`/`__divmod__`.
    Builtin(&'static str),
    Contains,
    GetItem,
    SetItem,
    DelItem,
}

impl Spelling {
    /// Positional arguments of the bound call (`a.__add__(b)`: 1).
    fn arguments(self, name: &str) -> usize {
        match self {
            Spelling::Unary(_) => 0,
            Spelling::Builtin(_) if matches!(name, "__format__" | "__divmod__") => 1,
            Spelling::Builtin(_) => 0,
            Spelling::SetItem => 2,
            Spelling::Binary(_) | Spelling::Contains | Spelling::GetItem | Spelling::DelItem => 1,
        }
    }

    /// The fix title.
    fn title(self) -> String {
        match self {
            Spelling::Binary(op) | Spelling::Unary(op) => format!("Use the `{op}` operator"),
            Spelling::Builtin(f) => format!("Use `{f}()`"),
            Spelling::Contains => "Use `in`".into(),
            Spelling::GetItem | Spelling::SetItem => "Use a subscript".into(),
            Spelling::DelItem => "Use `del x[key]`".into(),
        }
    }

    fn advice(self) -> String {
        match self {
            Spelling::Binary(op) => format!(
                "use the `{op}` operator; the direct call skips the other operand's reflected method and can return NotImplemented, which is truthy"
            ),
            Spelling::Unary(op) => format!("use the unary `{op}` operator"),
            Spelling::Builtin("format") => "use `format(x, spec)`".into(),
            Spelling::Builtin("divmod") => "use `divmod(x, y)`".into(),
            Spelling::Builtin(f) => format!("use `{f}(x)`"),
            Spelling::Contains => "use `item in x`".into(),
            Spelling::GetItem => "use `x[key]`".into(),
            Spelling::SetItem => "use `x[key] = value`".into(),
            Spelling::DelItem => "use `del x[key]`".into(),
        }
    }
}

/// The special methods with an obvious operator or builtin spelling.
const DIRECT: &[(&str, Spelling)] = &[
    ("__add__", Spelling::Binary("+")),
    ("__sub__", Spelling::Binary("-")),
    ("__mul__", Spelling::Binary("*")),
    ("__matmul__", Spelling::Binary("@")),
    ("__truediv__", Spelling::Binary("/")),
    ("__floordiv__", Spelling::Binary("//")),
    ("__mod__", Spelling::Binary("%")),
    ("__pow__", Spelling::Binary("**")),
    ("__lshift__", Spelling::Binary("<<")),
    ("__rshift__", Spelling::Binary(">>")),
    ("__and__", Spelling::Binary("&")),
    ("__xor__", Spelling::Binary("^")),
    ("__or__", Spelling::Binary("|")),
    ("__lt__", Spelling::Binary("<")),
    ("__le__", Spelling::Binary("<=")),
    ("__eq__", Spelling::Binary("==")),
    ("__ne__", Spelling::Binary("!=")),
    ("__gt__", Spelling::Binary(">")),
    ("__ge__", Spelling::Binary(">=")),
    ("__neg__", Spelling::Unary("-")),
    ("__pos__", Spelling::Unary("+")),
    ("__invert__", Spelling::Unary("~")),
    ("__len__", Spelling::Builtin("len")),
    ("__abs__", Spelling::Builtin("abs")),
    ("__str__", Spelling::Builtin("str")),
    ("__repr__", Spelling::Builtin("repr")),
    ("__bool__", Spelling::Builtin("bool")),
    ("__hash__", Spelling::Builtin("hash")),
    ("__iter__", Spelling::Builtin("iter")),
    ("__next__", Spelling::Builtin("next")),
    ("__int__", Spelling::Builtin("int")),
    ("__float__", Spelling::Builtin("float")),
    ("__format__", Spelling::Builtin("format")),
    ("__divmod__", Spelling::Builtin("divmod")),
    ("__contains__", Spelling::Contains),
    ("__getitem__", Spelling::GetItem),
    ("__setitem__", Spelling::SetItem),
    ("__delitem__", Spelling::DelItem),
];

/// Builtin classes: `int.__add__(a)` is an unbound call, not `int + a`.
const BUILTIN_TYPES: &[&str] = &[
    "object",
    "type",
    "int",
    "float",
    "complex",
    "bool",
    "str",
    "bytes",
    "bytearray",
    "list",
    "tuple",
    "dict",
    "set",
    "frozenset",
    "memoryview",
    "range",
    "slice",
];

fn check(cx: &Checker) {
    let m = cx.module;
    // Each scope's calls, with the function the scope runs in.
    let scopes = std::iter::once((None, &m.scope))
        .chain(
            m.classes
                .iter()
                .map(|c| (c.function.map(|id| &m.functions[id]), &c.scope)),
        )
        .chain(m.functions.iter().map(|f| (Some(f), &f.scope)));
    let mut handles_notimplemented: HashMap<usize, bool> = HashMap::new();
    for (owner, scope) in scopes {
        for &call in &scope.calls {
            check_call(cx, call, owner, &mut handles_notimplemented);
        }
    }
}

fn check_call<'a>(
    cx: &Checker<'a>,
    call: Node<'a>,
    owner: Option<&Function<'a>>,
    handles_notimplemented: &mut HashMap<usize, bool>,
) {
    let Some((name, spelling, object, args)) = direct_call(cx, call) else {
        return;
    };
    // The functions the call is in, innermost first.
    let enclosing: Vec<&Function> =
        std::iter::successors(owner, |f| cx.module.enclosing_function(f)).collect();
    if inside_own_protocol(&enclosing, name) {
        return;
    }
    // Tests of a special method call it directly on purpose.
    if enclosing.iter().any(|f| f.name.starts_with("test")) {
        return;
    }
    // Code that compares the result with NotImplemented calls the method
    // directly on purpose.
    if let Some(f) = enclosing.first() {
        let handles = *handles_notimplemented
            .entry(f.node.id())
            .or_insert_with(|| mentions_identifier(cx.source, f.body, "NotImplemented"));
        if handles {
            return;
        }
    }
    let Some(name_node) = call
        .child_by_field_name("function")
        .and_then(|f| f.child_by_field_name("attribute"))
    else {
        return;
    };
    let fix = replacement(cx, call, spelling, object, &args).map(|text| {
        Fix::unsafe_(
            spelling.title(),
            vec![Edit::replace(call.byte_range(), text)],
        )
    });
    cx.report_at(
        name_node.byte_range(),
        format!("`{name}` called directly: {}", spelling.advice()),
        None,
        fix,
    );
}

/// `obj.__x__(args)` in bound form with the argument count of the builtin
/// spelling.
fn direct_call<'a>(
    cx: &Checker<'a>,
    call: Node<'a>,
) -> Option<(&'a str, Spelling, Node<'a>, Vec<Node<'a>>)> {
    let function = call
        .child_by_field_name("function")
        .filter(|f| f.kind() == "attribute")?;
    let name = syntax::text(cx.source, function.child_by_field_name("attribute")?);
    let spelling = DIRECT.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)?;
    let object = function.child_by_field_name("object")?;
    let args = plain_arguments(call)?;
    if args.len() != spelling.arguments(name) {
        return None;
    }
    let inner = syntax::unparenthesize(object);
    if inner.kind() == "call" && syntax::callee_name(cx.source, inner) == Some("super") {
        return None;
    }
    if let Some(dotted) = syntax::dotted_name(cx.source, object) {
        // `int.__add__(x)`, `Base.__len__(obj)`: unbound calls on a class.
        if BUILTIN_TYPES.contains(&dotted) && is_builtin(cx, dotted)
            || cx.module.class_named(dotted).is_some()
        {
            return None;
        }
    }
    if matches!(spelling, Spelling::SetItem | Spelling::DelItem)
        && call
            .parent()
            .is_none_or(|p| p.kind() != "expression_statement")
    {
        // Used as an expression (`lambda v: d.__setitem__(k, v)`): the
        // statement form cannot replace it.
        return None;
    }
    Some((name, spelling, object, args))
}

/// The call is in (a function nested in) a special method of the same
/// protocol: `__eq__` forwarding to `self._value.__eq__(other)`, `__radd__`
/// calling `self.__add__(other)`.
fn inside_own_protocol(enclosing: &[&Function], called: &str) -> bool {
    let Some(protocol) = lookup(called).map(|sm| sm.protocol) else {
        return false;
    };
    enclosing
        .iter()
        .any(|f| f.name == called || lookup(f.name).is_some_and(|sm| sm.protocol == protocol))
}

/// Node kinds that need no parentheses as an operand.
fn is_atomic(node: Node) -> bool {
    matches!(
        node.kind(),
        "identifier"
            | "attribute"
            | "call"
            | "subscript"
            | "string"
            | "concatenated_string"
            | "integer"
            | "float"
            | "true"
            | "false"
            | "none"
            | "ellipsis"
            | "list"
            | "dictionary"
            | "set"
            | "tuple"
            | "parenthesized_expression"
            | "list_comprehension"
            | "dictionary_comprehension"
            | "set_comprehension"
            | "generator_expression"
    )
}

fn replacement(
    cx: &Checker,
    call: Node,
    spelling: Spelling,
    object: Node,
    args: &[Node],
) -> Option<String> {
    let text = |n: Node| syntax::text(cx.source, n);
    let operand = |n: Node| {
        if is_atomic(n) {
            text(n).to_string()
        } else {
            format!("({})", text(n))
        }
    };
    if syntax::descendants(call, false).any(|n| n.kind() == "comment") {
        return None; // the replacement would drop it
    }
    let receiver = text(object);
    let (expr, is_operator) = match spelling {
        Spelling::Binary(op) => (format!("{receiver} {op} {}", operand(*args.first()?)), true),
        Spelling::Unary(op) => (format!("{op}{receiver}"), true),
        Spelling::Builtin(f) => {
            if !is_builtin(cx, f) {
                return None;
            }
            match args.first() {
                Some(a) => (format!("{f}({receiver}, {})", text(*a)), false),
                None => (format!("{f}({receiver})"), false),
            }
        }
        Spelling::Contains => (format!("{} in {receiver}", operand(*args.first()?)), true),
        Spelling::GetItem => (format!("{receiver}[{}]", text(*args.first()?)), false),
        Spelling::SetItem => {
            return Some(format!(
                "{receiver}[{}] = {}",
                text(*args.first()?),
                text(*args.get(1)?)
            ))
        }
        Spelling::DelItem => return Some(format!("del {receiver}[{}]", text(*args.first()?))),
    };
    let tight_parent = call.parent().is_some_and(|p| {
        matches!(
            p.kind(),
            "attribute"
                | "subscript"
                | "call"
                | "binary_operator"
                | "unary_operator"
                | "comparison_operator"
                | "await"
        )
    });
    Some(if is_operator && tight_parent {
        format!("({expr})")
    } else {
        expr
    })
}
