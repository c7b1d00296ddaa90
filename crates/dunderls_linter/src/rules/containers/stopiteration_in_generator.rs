use crate::rules::containers::util;
use crate::rules::prelude::*;

const DOCS: &str = r#"
## What it does
Flags `raise StopIteration` inside a generator function, including a
generator `__iter__`, and `raise StopIteration` / `raise StopAsyncIteration`
inside an async generator.

## Why is this a problem
Since Python 3.7 (PEP 479), a `StopIteration` that escapes a generator's
frame is converted into `RuntimeError: generator raised StopIteration`.
Async generators (PEP 525) do the same with `StopIteration` and
`StopAsyncIteration`: `RuntimeError: async generator raised
StopAsyncIteration`. The loop consuming the generator does not end quietly: it
crashes. Code written for Python 2, or ported from a hand-written iterator's
`__next__`, still does this. To end a generator, `return`.

## Scenario
A Counter-like container's `__iter__` is turned from a hand-written iterator
into a generator. The old `__next__` ended with `raise StopIteration`, and
that line came along. Every complete iteration of the counter, `list(c)`,
`sorted(c)`, a `for` loop that reaches the end, now fails with
`RuntimeError: generator raised StopIteration`.

## Example
```python
class Counter:
    def __init__(self):
        self._keys = ["apples", "pears"]

    def __iter__(self):
        for key in self._keys:
            yield key
        raise StopIteration

list(Counter())  # raises: RuntimeError: generator raised StopIteration
```

## Use instead
```python
class Counter:
    def __init__(self):
        self._keys = ["apples", "pears"]

    def __iter__(self):
        for key in self._keys:
            yield key
        return

print(list(Counter()))  # prints: ['apples', 'pears']
```

## Fix
The quick fix replaces `raise StopIteration` with `return` (and
`raise StopIteration(value)` with `return value` in a plain generator, which
is what sets `StopIteration.value`). Safe: the raise could only end in a
`RuntimeError`, never in the quiet stop it was written for. In an async
generator, `return` cannot carry a value, so a raise with a value gets no fix.
A raise inside a `try` whose handler catches it is not reported.

## References
- [PEP 479: Change StopIteration handling inside generators](https://peps.python.org/pep-0479/)
- [Generator functions: the `return` statement](https://docs.python.org/3/reference/simple_stmts.html#the-return-statement)
- Peer: pylint R1708 `stop-iteration-return`.
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN206",
    name: "stopiteration-in-generator",
    group: Group::Containers,
    severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    aliases: &["PLR1708", "R1708"],
    docs: DOCS,
    check,
};

fn check(cx: &Checker) {
    for function in &cx.module.functions {
        if !function.is_generator() {
            continue;
        }
        for &raise in &function.scope.raises {
            let Some(name) = util::raised_name(cx, raise) else {
                continue;
            };
            let stops =
                name == "StopIteration" || (function.is_async && name == "StopAsyncIteration");
            if !stops || util::caught_within(cx, raise, function.body, &[name]) {
                continue;
            }
            let kind = if function.is_async {
                "async generator"
            } else {
                "generator"
            };
            let owner = match cx.module.class_of(function) {
                Some(class) => format!("{}.{}", class.name, function.name),
                None => function.name.to_string(),
            };
            let pep = if function.is_async {
                "PEP 525"
            } else {
                "PEP 479, Python 3.7+"
            };
            let message = format!(
                "`raise {name}` in the {kind} `{owner}` becomes `RuntimeError: {kind} raised {name}` ({pep}); use `return`"
            );
            match fix(cx, function, raise) {
                Some(fix) => cx.report_with_fix(raise, message, fix),
                None => cx.report(raise, message),
            }
        }
    }
}

fn fix(cx: &Checker, function: &Function, raise: Node) -> Option<Fix> {
    let exc = syntax::unparenthesize(raise.named_child(0)?);
    let replacement = if exc.kind() == "call" {
        let args = exc.child_by_field_name("arguments")?;
        match args.named_child_count() {
            0 => "return".to_string(),
            1 if !function.is_async => {
                let arg = args.named_child(0)?;
                if matches!(
                    arg.kind(),
                    "keyword_argument" | "list_splat" | "dictionary_splat"
                ) {
                    return None;
                }
                format!("return {}", cx.text(arg))
            }
            _ => return None,
        }
    } else {
        "return".to_string()
    };
    Some(Fix::safe(
        format!("Replace with `{replacement}`"),
        vec![Edit::replace(raise.byte_range(), replacement)],
    ))
}
