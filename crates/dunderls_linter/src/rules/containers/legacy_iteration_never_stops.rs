use crate::rules::containers::util::{self, LegacyFailure, Lineage};
use crate::rules::prelude::*;

const DOCS: &str = r#"
## What it does
Flags a sized container (it defines `__len__`) that is iterated through the
legacy sequence protocol (it has `__getitem__` but no `__iter__`, itself or
in its bases) when its `__getitem__` cannot end that protocol: past the end
it raises `KeyError` (error), or it returns a default instead of raising
`IndexError` (warning).

## Why is this a problem
Without `__iter__`, `for`, `list()`, unpacking and `in` (without
`__contains__`) call `x[0]`, `x[1]`, `x[2]`, ... and stop only when
`__getitem__` raises `IndexError` (or `StopIteration`). So:

- A `__getitem__` that raises `KeyError` makes every loop fail:
  `list(Ring([1, 2, 3]))` raises `KeyError: 3`, and a dict-backed one raises
  `KeyError: 0` on the first step.
- A `__getitem__` that never raises (a `.get()` with a default, a
  `defaultdict`/`Counter` store, an index taken modulo the length) makes
  every loop endless, and `x in obj` never returns for a missing value.

Classes without `__len__` are not reported: an object whose `obj[key]` is a
lookup (a template context, a registry) is rarely looped over. Neither are
those whose `__getitem__` raises `IndexError`, dispatches on the key's type
(`isinstance(key, int)`), or indexes a store of unknown type. Writable
containers that DUN201 already reports for a missing `__iter__` are not
reported again here.

## Scenario
A Counter-like container exposes `__getitem__` and `__len__` over its dict,
since lookups and sizes were all it needed. Later someone writes
`for item in counter:` (or `"apples" in counter`), which Python turns into
`counter[0]`, `counter[1]`, ...: with a plain dict store it fails at once
with `KeyError: 0`; the variant that returns `0` for unknown keys spins
forever.

## Example
```python
class Ring:
    def __init__(self, items):
        self.items = list(items)

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        if not 0 <= i < len(self.items):
            raise KeyError(i)
        return self.items[i]

list(Ring([1, 2, 3]))  # raises: KeyError: 3
```

A `__getitem__` with a default never ends the loop:
```python
import itertools

class Counts:
    def __init__(self):
        self._counts = {"apples": 3}

    def __len__(self):
        return len(self._counts)

    def __getitem__(self, key):
        return self._counts.get(key, 0)

print(list(itertools.islice(Counts(), 4)))  # prints: [0, 0, 0, 0]
```

## Use instead
Raise `IndexError` past the end, or define `__iter__` (and `__contains__`):
```python
class Ring:
    def __init__(self, items):
        self.items = list(items)

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        if not 0 <= i < len(self.items):
            raise IndexError(i)
        return self.items[i]

class Counts:
    def __init__(self):
        self._counts = {"apples": 3}

    def __len__(self):
        return len(self._counts)

    def __getitem__(self, key):
        return self._counts.get(key, 0)

    def __iter__(self):
        return iter(self._counts)

    def __contains__(self, key):
        return key in self._counts

assert list(Ring([1, 2, 3])) == [1, 2, 3]
print(list(Counts()), "pears" in Counts())  # prints: ['apples'] False
```

## Fix
No automatic fix: whether to raise `IndexError` or to add `__iter__`
depends on what the class is.

## References
- [Data model: `object.__getitem__`](https://docs.python.org/3/reference/datamodel.html#object.__getitem__) (the note on `for` loops and IndexError)
- [`iter()`: the sequence protocol](https://docs.python.org/3/library/functions.html#iter)
- [Data model: membership test operations](https://docs.python.org/3/reference/expressions.html#membership-test-details)
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN205",
    name: "legacy-iteration-never-stops",
    group: Group::Containers,
    severity: Severity::Warning,
    fix: FixAvailability::None,
    aliases: &[],
    docs: DOCS,
    check,
};

fn check(cx: &Checker) {
    for class in &cx.module.classes {
        let Some(getitem) = cx.module.method(class, "__getitem__") else {
            continue;
        };
        if class.has_errors || util::is_placeholder(getitem) || util::is_protocol(cx, class) {
            continue;
        }
        let lineage = Lineage::of(cx, class);
        // Sized, not iterable: a container someone will loop over. Writable
        // ones are DUN201's.
        if !lineage.only_user_classes()
            || !util::defines_or_inherits(cx, class, &lineage, "__len__")
            || util::defines_or_inherits(cx, class, &lineage, "__iter__")
            || util::partial_protocol(cx, class).is_some_and(|p| p.missing_iter)
        {
            continue;
        }
        let name = class.name;
        match util::legacy_iteration_failure(cx, class) {
            Some(LegacyFailure::Raises(node)) => cx.report_at(
                node.byte_range(),
                format!(
                    "`{name}` has no `__iter__`, so `for`/`list()`/`in` call `__getitem__(0)`, `(1)`, ... until IndexError, but `{name}.__getitem__` raises KeyError: iteration fails with KeyError"
                ),
                Some(Severity::Error),
                None,
            ),
            Some(LegacyFailure::Defaults(node)) => cx.report(
                node,
                format!(
                    "`{name}` has no `__iter__`, so `for`/`list()`/`in` call `__getitem__(0)`, `(1)`, ... until IndexError, but `{name}.__getitem__` returns a default instead: iteration never ends"
                ),
            ),
            None => {}
        }
    }
}
