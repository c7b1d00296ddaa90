use super::util::{self, ORDERING};
use crate::hierarchy::Ancestor;
use crate::rules::prelude::*;

const DOCS: &str = r#"
## What it does
Flags a class with value equality (its own `__eq__`) that defines some of
`__lt__`, `__le__`, `__gt__`, `__ge__` (counting resolvable bases) but none
of one reflected pair, `<`/`>` or `<=`/`>=`, and is not decorated with
`@functools.total_ordering` (or `@dataclass(order=True)`).

## Why is this a problem
Python derives nothing from one ordering method. The only help it gives is
reflection: when `a > b` finds no `__gt__` on `a`, it tries `b.__lt__(a)`,
and `<=` is likewise swapped with `>=`. So a class with only `__lt__`
supports `<` and `>` between its instances, while `a <= b` and `a >= b`
raise `TypeError: '<=' not supported between instances of 'Version' and
'Version'` (the same on CPython 3.8 to 3.13). `sorted()`, `min()` and `max()` only use `<` and keep working,
which is why the gap shows up late, in code that writes `if v >= minimum:`.

A class that defines one method of each pair (say `__lt__` and `__le__`) is
not flagged: reflection covers all four operators between its instances.
Nor is a class without `__eq__`: that is typically a sort key, and
`sorted()`, `min()`, `max()`, `heapq` and `bisect` only ever use `<`.

## Scenario
The Money type defines `__lt__` so that invoices can be sorted by amount,
and sorting works. A later feature checks
`if balance >= Money(0, "USD"):` and fails with
`TypeError: '>=' not supported between instances of 'Money' and 'Money'`,
although `balance > Money(0, "USD")` works. `@functools.total_ordering`
(with `__eq__`) fills in the other three methods from `__lt__`.

## Example
```python
class Money:
    def __init__(self, amount):
        self.amount = amount

    def __lt__(self, other):
        if not isinstance(other, Money):
            return NotImplemented
        return self.amount < other.amount

assert Money(1) < Money(2) and Money(2) > Money(1)
Money(2) >= Money(1)  # raises: TypeError: '>=' not supported between instances of 'Money' and 'Money'
```

## Use instead
```python
import functools

@functools.total_ordering
class Money:
    def __init__(self, amount):
        self.amount = amount

    def __eq__(self, other):
        if not isinstance(other, Money):
            return NotImplemented
        return self.amount == other.amount

    __hash__ = None

    def __lt__(self, other):
        if not isinstance(other, Money):
            return NotImplemented
        return self.amount < other.amount

assert Money(2) >= Money(1) and Money(1) <= Money(1)
```

## Fix
Adds `@functools.total_ordering` to the class (and `import functools` when
needed); the derived methods rely on the class's `__eq__`. Unsafe, since it
adds behaviour: operators that raised TypeError now return results.

## References
- [`functools.total_ordering`](https://docs.python.org/3/library/functools.html#functools.total_ordering)
- [Data model: `object.__lt__` (rich comparisons and their reflection)](https://docs.python.org/3/reference/datamodel.html#object.__lt__)
- Related: DUN509 (`@total_ordering` misuse).
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN508",
    name: "partial-ordering",
    group: Group::Operators,
    severity: Severity::Information,
    fix: FixAvailability::Always,
    aliases: &[],
    docs: DOCS,
    check,
};

fn check(cx: &Checker) {
    let patched = util::Patched::of(cx);
    for class in &cx.module.classes {
        if util::total_ordering(cx, class, true).is_some()
            || ["order", "cmp"]
                .iter()
                .any(|k| class_decorator_flag(cx, class, k))
            || util::may_be_patched(class, &patched)
        {
            continue;
        }
        // The class itself implements an ordering method (stubs of a
        // Protocol or an abstract base declare, they do not implement).
        let implements = ORDERING.iter().any(|n| {
            class.attributes.iter().any(|a| a.name == *n)
                || cx
                    .module
                    .unconditional_method(class, n)
                    .is_some_and(|f| !f.is_stub() && !f.is_overload())
        });
        // Without `__eq__` the class is usually a sort key: `sorted`, `min`,
        // `max`, `heapq` and `bisect` only use `<`.
        if !implements || util::has_value_eq(cx, class) != Some(true) {
            continue;
        }
        let mut defined = [false; 4];
        for (i, name) in ORDERING.iter().enumerate() {
            match util::class_defines(cx, class, name) {
                Some(d) => defined[i] = d,
                None => {
                    defined = [true; 4];
                    break;
                }
            }
        }
        let ancestry = cx.ancestry(class);
        let protocol = ancestry
            .ancestors
            .iter()
            .any(|a| matches!(a, Ancestor::Transparent(n) if n.ends_with("Protocol")));
        let inherited_total = ancestry.user_classes().any(|c| {
            c.decorators
                .iter()
                .any(|d| d.rsplit('.').next() == Some("total_ordering"))
        });
        if protocol || inherited_total {
            continue;
        }
        // (<, >) and (<=, >=): a pair with neither method cannot be reached
        // through reflection.
        let missing: Vec<&str> = [(0, 2), (1, 3)]
            .iter()
            .filter(|(a, b)| !defined[*a] && !defined[*b])
            .flat_map(|(a, b)| [ORDERING[*a], ORDERING[*b]])
            .collect();
        if missing.is_empty() {
            continue;
        }
        let have: Vec<String> = ORDERING
            .iter()
            .zip(defined)
            .filter(|(_, d)| *d)
            .map(|(n, _)| format!("`{n}`"))
            .collect();
        let broken = if missing.contains(&"__le__") {
            "`a <= b` and `a >= b`"
        } else {
            "`a < b` and `a > b`"
        };
        let fix = Some(fix(cx, class));
        cx.report_at(
            class.name_node.byte_range(),
            format!(
                "`{}` defines {} but neither `{}` nor `{}`: {broken} raise TypeError (use `@functools.total_ordering`)",
                class.name,
                have.join(", "),
                missing[0],
                missing[1]
            ),
            None,
            fix,
        );
    }
}

fn fix(cx: &Checker, class: &Class) -> Fix {
    let (name, import) = util::total_ordering_name(cx);
    let indent = indent_of(cx.source, class.node);
    let nl = cx.newline;
    let mut edits: Vec<Edit> = import.into_iter().collect();
    edits.push(Edit::insert(
        class.node.start_byte(),
        format!("@{name}{nl}{indent}"),
    ));
    Fix::unsafe_(format!("Decorate with `@{name}`"), edits)
}
