use crate::rules::class_creation::util::{methods_named, qualified_method, return_value};
use crate::rules::prelude::*;

const DOCS: &str = r#"
## What it does
Flags an `__exit__` (or `__aexit__`) that returns a truthy constant
(`True`, a non-zero number) on every path and never raises.

## Why is this a problem
A true return value from `__exit__` tells Python that the exception raised
in the `with` block has been handled: it is discarded and execution
continues after the block. Returning `True` unconditionally therefore
suppresses *every* exception, including `KeyboardInterrupt` and
`SystemExit` (both observed suppressed on CPython 3.11): bugs in the block
disappear, Ctrl-C stops working inside it, and the code after the block
runs on half-done state. When there is no exception, the return value is
ignored, so `return True` buys nothing on the success path either.

## Scenario
A query DSL's `Transaction.__exit__` commits or rolls back and ends with
`return True` "so that errors are handled". A query built inside the block
with a typo in a column name raises, the transaction is rolled back, and
the request handler carries on as if the write succeeded: data silently
goes missing and no error is logged anywhere.

## Example
```python
class Transaction:
    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        print("ROLLBACK" if exc_type else "COMMIT")
        return True

with Transaction():
    raise KeyError("missing column")
print("handler continues")  # prints: handler continues
```

## Use instead
Return None (or False) so exceptions propagate; return True only for the
exception types the context manager really handles:
```python
class Transaction:
    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        print("ROLLBACK" if exc_type else "COMMIT")
        return None

try:
    with Transaction():
        raise KeyError("missing column")
except KeyError as e:
    print("caught", e)  # prints: caught 'missing column'
```

## Fix
No automatic fix: which exceptions (if any) the class means to handle is a
design decision.

## References
- [Data model: `object.__exit__`](https://docs.python.org/3/reference/datamodel.html#object.__exit__)
- [PEP 343: The "with" statement](https://peps.python.org/pep-0343/)
- `contextlib.suppress` for deliberate, typed suppression.
- No peer rule in ruff or pylint.
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN703",
    name: "exit-swallows-exceptions",
    group: Group::ContextBuilders,
    severity: Severity::Warning,
    fix: FixAvailability::None,
    aliases: &[],
    docs: DOCS,
    check,
};

fn check(cx: &Checker) {
    for f in methods_named(cx, "__exit__").chain(methods_named(cx, "__aexit__")) {
        if f.has_errors || f.is_stub() || f.is_overload() || f.can_fall_off_end {
            continue;
        }
        let returns = &f.scope.returns;
        if returns.is_empty() || !f.scope.raises.is_empty() || !f.scope.yields.is_empty() {
            continue;
        }
        if !returns
            .iter()
            .all(|r| return_value(*r).is_some_and(|v| truthy_constant(cx, v)))
        {
            continue;
        }
        cx.report(
            f.name_node,
            format!(
                "`{}` returns a true value on every path: every exception raised in the `with` block, KeyboardInterrupt included, is silently suppressed",
                qualified_method(cx, f)
            ),
        );
    }
}

/// `True`, `1`, `-1`, `1.0`: a literal that is always true.
fn truthy_constant(cx: &Checker, value: Node) -> bool {
    let mut value = syntax::unparenthesize(value);
    while value.kind() == "unary_operator" {
        match value.named_child(0) {
            Some(inner) => value = syntax::unparenthesize(inner),
            None => return false,
        }
    }
    match value.kind() {
        "true" => true,
        "integer" | "float" => {
            let text = cx.text(value).to_ascii_lowercase().replace('_', "");
            let digits = ["0x", "0o", "0b"]
                .iter()
                .find_map(|p| text.strip_prefix(p))
                .unwrap_or(&text);
            let mantissa = digits.split('e').next().unwrap_or(digits);
            mantissa
                .chars()
                .any(|c| c.is_ascii_alphanumeric() && c != '0' && c != 'j')
        }
        _ => false,
    }
}
