use crate::rules::containers::util::{self, Kind, Lineage};
use crate::rules::prelude::*;

const DOCS: &str = r#"
## What it does
Flags an `__iter__` that returns a container instead of an iterator: a
list, tuple, dict or set (display, comprehension or constructor call such as
`list(...)` or `sorted(...)`), a `range`, a dict view (`.keys()`,
`.values()`, `.items()`), or a `self` attribute that the class only ever
assigns such values. Also flags `return self` in a class that has no
`__next__`.

## Why is this a problem
`iter(x)`, and with it every `for` loop, comprehension, `list(x)` and
unpacking, checks that `__iter__` returned an iterator (an object with
`__next__`). A list is iterable but is not an iterator, so the loop fails:
`TypeError: iter() returned non-iterator of type 'list'`. Returning `self`
is the iterator idiom and works only when the class also defines `__next__`
(a Python 2 `next` method does not count).

## Scenario
A Counter-like container keeps its keys in a list and returns that list from
`__iter__`, which reads naturally and passes a review. The first `for key in
counter:` raises `TypeError: iter() returned non-iterator of type 'list'`.
`__iter__` must hand out a fresh iterator over the data: `iter(self._keys)`,
or a generator.

## Example
```python
class Counter:
    def __init__(self):
        self._keys = ["apples", "pears"]

    def __iter__(self):
        return self._keys

for key in Counter():  # raises: TypeError: iter() returned non-iterator of type 'list'
    pass
```

## Use instead
```python
class Counter:
    def __init__(self):
        self._keys = ["apples", "pears"]

    def __iter__(self):
        return iter(self._keys)

print(list(Counter()))  # prints: ['apples', 'pears']
```
A generator works too: `def __iter__(self): yield from self._keys`.

## Fix
For a returned container, the quick fix wraps it in `iter(...)`. It is safe:
every consumer of the iteration protocol fails today, and `iter()` of the
container yields the same items in the same order. For `return self`
without `__next__` there is no automatic fix (the iterator logic is missing).

## References
- [Data model: `object.__iter__`](https://docs.python.org/3/reference/datamodel.html#object.__iter__)
- [Iterator types: `iterator.__next__`](https://docs.python.org/3/library/stdtypes.html#iterator-types)
- Peer: pylint E0301 `non-iterator-returned`.
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN203",
    name: "iter-returns-non-iterator",
    group: Group::Containers,
    severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    aliases: &["PLE0301", "E0301"],
    docs: DOCS,
    check,
};

fn check(cx: &Checker) {
    for class in &cx.module.classes {
        let Some(iter) = cx.module.method(class, "__iter__") else {
            continue;
        };
        if iter.is_generator()
            || iter.is_async
            || !iter.decorators.is_empty()
            || util::is_placeholder(iter)
        {
            continue;
        }
        let receiver = iter.receiver();
        let attrs = util::attribute_kinds(cx, class);
        for &ret in &iter.scope.returns {
            let Some(value) = util::returned_value(ret) else {
                continue;
            };
            if receiver.is_some_and(|r| syntax::is_identifier(cx.source, value, r)) {
                check_return_self(cx, class, value);
                continue;
            }
            let kind = util::expression_kind(cx, value, receiver, &attrs);
            if !kind.is_non_iterator() {
                continue;
            }
            let type_name = match kind {
                Kind::DictView => dict_view_name(cx, value),
                other => other.type_name(),
            };
            let what = describe(cx, value);
            let message = format!(
                "`{}.__iter__` returns {what}, not an iterator: `iter()` and `for` raise `TypeError: iter() returned non-iterator of type '{type_name}'`",
                class.name
            );
            let fix = Fix::safe(
                "Wrap the returned value in `iter(...)`",
                vec![Edit::replace(
                    value.byte_range(),
                    format!("iter({})", cx.text(value)),
                )],
            );
            cx.report_with_fix(value, message, fix);
        }
    }
}

fn check_return_self(cx: &Checker, class: &Class, value: Node) {
    let lineage = Lineage::of(cx, class);
    if !lineage.only_user_classes()
        || util::defines_or_inherits(cx, class, &lineage, "__next__")
        || util::has_subclass_in_file(cx, class)
    {
        return;
    }
    let hint = if util::defines_or_inherits(cx, class, &lineage, "next") {
        " (its `next` method is the Python 2 name)"
    } else {
        ""
    };
    cx.report(
        value,
        format!(
            "`{}.__iter__` returns `self`, but `{}` has no `__next__`{hint}: `iter()` raises `TypeError: iter() returned non-iterator of type '{}'`",
            class.name, class.name, class.name
        ),
    );
}

fn dict_view_name(cx: &Checker, call: Node) -> &'static str {
    match syntax::callee_last(cx.source, call) {
        Some("keys") => "dict_keys",
        Some("values") => "dict_values",
        _ => "dict_items",
    }
}

/// `self._keys` / `a list` for the message.
fn describe(cx: &Checker, value: Node) -> String {
    let text = cx.text(value);
    if value.kind() == "attribute" && text.len() <= 40 {
        format!("`{text}`")
    } else {
        match util::value_kind(cx, value) {
            Kind::List => "a list".into(),
            Kind::Tuple | Kind::TupleDisplay => "a tuple".into(),
            Kind::Dict => "a dict".into(),
            Kind::Set => "a set".into(),
            Kind::Range => "a range".into(),
            _ if text.len() <= 40 => format!("`{text}`"),
            _ => "a container".into(),
        }
    }
}
