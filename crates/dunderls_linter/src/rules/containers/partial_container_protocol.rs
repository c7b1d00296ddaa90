use crate::rules::containers::util::{self, PartialProtocol};
use crate::rules::prelude::*;

const DOCS: &str = r#"
## What it does
Flags a class that supports item assignment or deletion (`__getitem__`
together with `__setitem__` or `__delitem__`) but lacks `__len__` and/or
`__iter__`, and inherits neither a `collections.abc` ABC nor a builtin
container that would supply them.

## Why is this a problem
Each special method is looked up on its own; Python derives none of them
from `__getitem__`:

- `len(x)` raises `TypeError: object of type 'Counter' has no len()`.
- Without `__iter__`, `for`, `list(x)`, unpacking and `in` (without
  `__contains__`) fall back to the legacy sequence protocol: they call
  `x[0]`, `x[1]`, ... and stop only when `__getitem__` raises `IndexError`.
  A dict-backed container raises `KeyError: 0` on the first step instead.
- Truthiness follows `__len__` when it exists, so adding it also changes
  what `if x:` means (see DUN208).

Only containers over a builtin store are reported: one of the item methods
indexes, with its key, a `self` attribute that the class assigns a dict,
list, set or tuple (`self._counts[key]` after `self._counts = {}`). Objects whose
`obj[key]` means something else (tkinter's `widget["text"]` options) are
not containers. A missing `__iter__` is reported only when the legacy
protocol visibly breaks: `__getitem__` raises `KeyError`, indexes a dict, or
returns a default; a list-backed `__getitem__` ends it with `IndexError`.

## Scenario
A team writes a Counter-like class with `__getitem__` and `__setitem__` over
a dict. Users report that `len()` fails and that iterating the counter blows
up with `KeyError: 0`: Python tried the legacy protocol and asked for item
`0`. Inheriting `collections.abc.MutableMapping` would have named the missing
methods when the class was first instantiated, and supplied `keys()`,
`items()`, `get()`, `__contains__` and friends on top.

## Example
```python
class Counter:
    def __init__(self):
        self._counts = {}

    def __getitem__(self, key):
        return self._counts[key]

    def __setitem__(self, key, value):
        self._counts[key] = value

c = Counter()
c["apples"] = 3
len(c)  # raises: TypeError: object of type 'Counter' has no len()
```

Iteration uses the legacy protocol and asks for key `0`:
```python
class Counter:
    def __init__(self):
        self._counts = {}

    def __getitem__(self, key):
        return self._counts[key]

    def __setitem__(self, key, value):
        self._counts[key] = value

c = Counter()
c["apples"] = 3
list(c)  # raises: KeyError: 0
```

## Use instead
Inherit the ABC and implement its abstract methods:
```python
from collections.abc import MutableMapping

class Counter(MutableMapping):
    def __init__(self):
        self._counts = {}

    def __getitem__(self, key):
        return self._counts[key]

    def __setitem__(self, key, value):
        self._counts[key] = value

    def __delitem__(self, key):
        del self._counts[key]

    def __iter__(self):
        return iter(self._counts)

    def __len__(self):
        return len(self._counts)

c = Counter()
c["apples"] = 3
assert len(c) == 1 and list(c) == ["apples"] and "apples" in c
print(dict(c.items()))  # prints: {'apples': 3}
```

## Fix
When `__getitem__` is a plain `return self.<store>[key]`, the quick fix
adds the missing `__len__`/`__iter__`, delegating to `self.<store>`
(`len(self.<store>)`, `iter(self.<store>)`). Unsafe: it changes what
`len()`, iteration and truthiness do for the class. Otherwise there is no
automatic fix.

## References
- [Data model: emulating container types](https://docs.python.org/3/reference/datamodel.html#emulating-container-types)
- [Data model: `object.__len__`](https://docs.python.org/3/reference/datamodel.html#object.__len__), [`object.__iter__`](https://docs.python.org/3/reference/datamodel.html#object.__iter__)
- [`collections.abc` ABCs and their abstract methods](https://docs.python.org/3/library/collections.abc.html#collections-abstract-base-classes)
- [`iter()`: the sequence protocol fallback](https://docs.python.org/3/library/functions.html#iter)
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN201",
    name: "partial-container-protocol",
    group: Group::Containers,
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    aliases: &[],
    docs: DOCS,
    check,
};

fn check(cx: &Checker) {
    for class in &cx.module.classes {
        let Some(partial) = util::partial_protocol(cx, class) else {
            continue;
        };
        let lineage = util::Lineage::of(cx, class);
        let present: Vec<&str> = ["__getitem__", "__setitem__", "__delitem__"]
            .into_iter()
            .filter(|m| util::defines_or_inherits(cx, class, &lineage, m))
            .collect();
        let has = util::and_list(&present);
        let name = class.name;
        let message = match (partial.missing_len, partial.missing_iter) {
            (true, true) => format!(
                "`{name}` has {has} but no `__len__` or `__iter__`: `len()` raises TypeError and iteration calls `__getitem__(0)`, `__getitem__(1)`, ... until IndexError"
            ),
            (true, false) => format!("`{name}` has {has} but no `__len__`: `len()` raises TypeError"),
            _ => format!(
                "`{name}` has {has} but no `__iter__`: iteration and `in` call `__getitem__(0)`, `__getitem__(1)`, ... and stop only on IndexError"
            ),
        };
        match fix(cx, class, &partial) {
            Some(fix) => cx.report_with_fix(class.name_node, message, fix),
            None => cx.report(class.name_node, message),
        }
    }
}

/// `def __getitem__(self, key): return self.<store>[key]` -> the store.
fn backing_store<'a>(cx: &Checker<'a>, getitem: &Function<'a>) -> Option<&'a str> {
    let receiver = getitem.receiver()?;
    let key = *util::argument_names(getitem).first()?;
    let statements = syntax::statements(getitem.body);
    let body: Vec<_> = statements
        .iter()
        .filter(|s| {
            !(s.kind() == "expression_statement"
                && s.named_child(0).is_some_and(|e| e.kind() == "string"))
        })
        .collect();
    let [only] = body.as_slice() else {
        return None;
    };
    if only.kind() != "return_statement" {
        return None;
    }
    let value = util::returned_value(**only)?;
    if value.kind() != "subscript" {
        return None;
    }
    let index = value.child_by_field_name("subscript")?;
    if !syntax::is_identifier(cx.source, index, key) {
        return None;
    }
    util::self_attribute(cx, value.child_by_field_name("value")?, receiver)
}

fn fix(cx: &Checker, class: &Class, partial: &PartialProtocol) -> Option<Fix> {
    let getitem = cx.module.method(class, "__getitem__")?;
    let store = backing_store(cx, getitem)?;
    let receiver = getitem.receiver()?;
    let indent = indent_of(cx.source, getitem.outer);
    let nl = cx.newline;
    let mut added = String::new();
    let mut names = Vec::new();
    if partial.missing_len {
        added.push_str(&format!(
            "{nl}{nl}{indent}def __len__({receiver}):{nl}{indent}    return len({receiver}.{store})"
        ));
        names.push("`__len__`");
    }
    if partial.missing_iter {
        added.push_str(&format!(
            "{nl}{nl}{indent}def __iter__({receiver}):{nl}{indent}    return iter({receiver}.{store})"
        ));
        names.push("`__iter__`");
    }
    Some(Fix::unsafe_(
        format!(
            "Add {} delegating to `{receiver}.{store}`",
            names.join(" and ")
        ),
        vec![Edit::insert(getitem.outer.end_byte(), added)],
    ))
}
