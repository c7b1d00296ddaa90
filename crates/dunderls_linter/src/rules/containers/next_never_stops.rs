use crate::rules::containers::util;
use crate::rules::prelude::*;

const DOCS: &str = r#"
## What it does
Flags an iterator's `__next__` that can end without returning a value (it
falls off the end of its body, or has a bare `return` / `return None`) and
never raises `StopIteration`.

## Why is this a problem
Iteration stops only when `__next__` raises `StopIteration`. A `__next__`
that just returns once the data is exhausted returns `None`, and the loop
takes that as the next item, again and again: `for` never ends,
`list(it)` grows until memory runs out, and `sum`/`max` fail with
`TypeError` on the first `None`. Nothing raises, so the bug shows up as a
hang or as stray `None` values.

`__next__` methods that call `next(...)`, a `self` method, or that raise
anything are not reported: `StopIteration` (or another error) may come from
there. Neither are those that never return a value (a helper class that
always fails, such as `def __next__(self): 1 / 0`).

## Scenario
A Counter-like container gets a hand-written iterator class for
`most_common()` style traversal. When the last key has been produced, its
`__next__` simply falls through the `if` that guards the index. A report
job that does `for key in counter.by_count():` never finishes: after the
real keys it receives `None` forever.

## Example
```python
import itertools

class KeyIterator:
    def __init__(self, keys):
        self._keys = keys
        self._i = 0

    def __iter__(self):
        return self

    def __next__(self):
        if self._i < len(self._keys):
            self._i += 1
            return self._keys[self._i - 1]

# islice bounds the otherwise endless loop
print(list(itertools.islice(KeyIterator(["a", "b"]), 5)))  # prints: ['a', 'b', None, None, None]
```

## Use instead
```python
class KeyIterator:
    def __init__(self, keys):
        self._keys = keys
        self._i = 0

    def __iter__(self):
        return self

    def __next__(self):
        if self._i < len(self._keys):
            self._i += 1
            return self._keys[self._i - 1]
        raise StopIteration

print(list(KeyIterator(["a", "b"])))  # prints: ['a', 'b']
```

## Fix
The quick fix replaces each bare `return` / `return None` with
`raise StopIteration` and, when the body can fall off its end, appends
`raise StopIteration`. Unsafe: iteration now ends where it used to produce
`None` values, which is the intent in practice but changes behaviour.

## References
- [Iterator types: `iterator.__next__`](https://docs.python.org/3/library/stdtypes.html#iterator.__next__)
- [Data model: `object.__iter__`](https://docs.python.org/3/reference/datamodel.html#object.__iter__)
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN204",
    name: "next-never-stops",
    group: Group::Containers,
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    aliases: &[],
    docs: DOCS,
    check,
};

fn check(cx: &Checker) {
    for class in &cx.module.classes {
        let Some(next) = cx.module.method(class, "__next__") else {
            continue;
        };
        if next.is_generator() || next.is_async || next.has_errors || util::is_placeholder(next) {
            continue;
        }
        if !next.scope.raises.is_empty() || may_propagate_stop(cx, next) {
            continue;
        }
        let empty_returns: Vec<Node> = next
            .scope
            .returns
            .iter()
            .copied()
            .filter(|&r| util::returns_nothing(cx, r))
            .collect();
        let returns_values = empty_returns.len() < next.scope.returns.len();
        if !returns_values || (!next.can_fall_off_end && empty_returns.is_empty()) {
            continue;
        }
        let message = format!(
            "`{}.__next__` can end without returning a value and never raises StopIteration: iteration never stops and yields None once exhausted",
            class.name
        );
        match fix(cx, next, &empty_returns) {
            Some(fix) => cx.report_with_fix(next.name_node, message, fix),
            None => cx.report(next.name_node, message),
        }
    }
}

/// A call through which StopIteration (or any error ending the loop) can
/// arrive: `next(...)`, `x.__next__()`, `x.send(...)`, or a method of self.
fn may_propagate_stop(cx: &Checker, next: &Function) -> bool {
    let receiver = next.receiver();
    next.scope.calls.iter().any(|&call| {
        let Some(function) = call.child_by_field_name("function") else {
            return true;
        };
        match function.kind() {
            "identifier" => matches!(cx.text(function), "next" | "anext"),
            "attribute" => {
                let object = function.child_by_field_name("object");
                let method = function
                    .child_by_field_name("attribute")
                    .map(|a| cx.text(a));
                let on_self = object.is_some_and(|o| {
                    receiver.is_some_and(|r| syntax::is_identifier(cx.source, o, r))
                });
                let on_super =
                    object.is_some_and(|o| o.kind() == "call" && cx.text(o).starts_with("super("));
                on_self || on_super || matches!(method, Some("__next__" | "send" | "throw"))
            }
            _ => true,
        }
    })
}

fn fix(cx: &Checker, next: &Function, empty_returns: &[Node]) -> Option<Fix> {
    let statements = syntax::statements(next.body);
    let first = statements.first()?;
    let last = statements.last()?;
    if first.start_position().row == next.node.start_position().row {
        return None;
    }
    let mut edits: Vec<Edit> = empty_returns
        .iter()
        .map(|r| Edit::replace(r.byte_range(), "raise StopIteration"))
        .collect();
    if next.can_fall_off_end {
        let indent = indent_of(cx.source, *first);
        let nl = cx.newline;
        edits.push(Edit::insert(
            last.end_byte(),
            format!("{nl}{indent}raise StopIteration"),
        ));
    }
    Some(Fix::unsafe_("Raise StopIteration when exhausted", edits))
}
