use std::cell::OnceCell;

use crate::rules::containers::util::{self as containers, Lineage};
use crate::rules::prelude::*;
use crate::rules::repr::util::{self, Conversion, Formatted};

const DOCS: &str = r#"
## What it does
Flags a `__repr__` or `__str__` that formats `self.__dict__`, `vars(self)`
(directly, or by iterating its `.items()`/`.values()`), or a whole
collection attribute: a `self` attribute the class assigns a list, dict,
set, deque, `Counter`... Reprs that format a few scalar fields, lengths, or
pass the collection through `reprlib` are not reported, and neither are
namespace classes that fill their `__dict__` from data
(`self.__dict__.update(kwargs)`, like `types.SimpleNamespace`), nor
container classes (with `__iter__`, `__len__`, `__getitem__` or
`__contains__`), whose repr shows their items by convention, as `list`'s
does.

## Why is this a problem
`repr()` of a list, dict or `__dict__` calls `repr()` on every element, and
each element's repr does the same for its own fields: the result grows with
the whole object graph below the object, not with the object. A customer
whose repr shows its orders, whose reprs show their items, produces a
half-megabyte string, and every debugger, logger, traceback formatter and
error tracker that touches the object builds it again. `str()` falls back to
`__repr__` when a class has no `__str__`, so `print(obj)` and `f"{obj}"`
pay the same price.

Cycles behave in two ways. A cycle that passes through a builtin container
is cut by that container, which prints `[...]`:
```python
class Node:
    def __init__(self):
        self.children = []

    def __repr__(self):
        return f"Node({self.children!r})"

node = Node()
node.children.append(node)
print(repr(node))  # prints: Node([Node([...])])
```
A cycle through user objects alone (`a.peer = b; b.peer = a`) has nothing
to cut it: `RecursionError: maximum recursion depth exceeded while getting
the repr of an object`:
```python
class Peer:
    def __init__(self):
        self.peer = None

    def __repr__(self):
        return f"Peer({self.peer!r})"

a, b = Peer(), Peer()
a.peer, b.peer = b, a
repr(a)  # raises: RecursionError: maximum recursion depth exceeded
```
(This rule cannot see that `self.peer` holds another `Peer`, so it reports
only the cases it can prove unbounded; `@reprlib.recursive_repr()` is the
guard for such links.)

## Scenario
A data model nests Customer, Orders, Items and Prices, and every class got a
"complete" `__repr__` for debugging. Reprs of a single customer reach 500 KB,
and a memory profiler shows `repr()` calls holding gigabytes: the logging
framework and the error tracker format the objects on every warning. The
repr of a domain object should identify it, not serialize everything
reachable from it.

## Example
```python
class Order:
    def __init__(self, items):
        self.items = list(items)

    def __repr__(self):
        return f"Order(items={self.items!r})"

class Customer:
    def __init__(self, id):
        self.id = id
        self.orders = []

    def __repr__(self):
        return f"Customer(id={self.id}, orders={self.orders!r})"

customer = Customer(42)
customer.orders.extend(Order(range(1000)) for _ in range(100))
print(len(repr(customer)) // 1000, "KB")  # prints: 490 KB
print(str(customer) == repr(customer))  # prints: True
```

## Use instead
Identify the object and summarize its collections; where contents must be
shown, bound them with `reprlib` (at most six items, each cut short), and
guard self-referencing structures with `@reprlib.recursive_repr()`:
```python
import reprlib

class Order:
    def __init__(self, items):
        self.items = list(items)

    def __repr__(self):
        return f"Order(items={reprlib.repr(self.items)})"

class Customer:
    def __init__(self, id):
        self.id = id
        self.orders = []

    def __repr__(self):
        return f"Customer(id={self.id}, orders={len(self.orders)})"

class Peer:
    def __init__(self):
        self.peer = None

    @reprlib.recursive_repr()
    def __repr__(self):
        return f"Peer({self.peer!r})"

customer = Customer(42)
customer.orders.extend(Order(range(1000)) for _ in range(100))
print(repr(customer))  # prints: Customer(id=42, orders=100)
print(repr(Order(range(1000))))  # prints: Order(items=[0, 1, 2, 3, 4, 5, ...])
a, b = Peer(), Peer()
a.peer, b.peer = b, a
print(repr(a))  # prints: Peer(Peer(...))
```

## Fix
For a collection attribute in an f-string field (`{self.orders!r}`) or in
`repr(...)`/`str(...)`, the quick fix formats it with `reprlib.repr(...)`
instead, adding `import reprlib` after the module's imports when needed.
Unsafe: the text of the repr changes (long collections are abbreviated).
`self.__dict__` and `vars(self)` get no automatic fix: which fields identify
the object is a design decision.

## References
- [Data model: `object.__repr__`](https://docs.python.org/3/reference/datamodel.html#object.__repr__), [`object.__str__`](https://docs.python.org/3/reference/datamodel.html#object.__str__)
- [`reprlib`: `reprlib.repr`, `reprlib.Repr` (`maxlevel`, `maxlist`, ...), `@reprlib.recursive_repr`](https://docs.python.org/3/library/reprlib.html)
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN301",
    name: "unbounded-repr",
    group: Group::Repr,
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    aliases: &[],
    docs: DOCS,
    check,
};

fn check(cx: &Checker) {
    // Where `import reprlib` goes, found once per file.
    let reprlib = OnceCell::new();
    for class in &cx.module.classes {
        let mut container_class = None;
        for function in util::repr_methods(cx, class) {
            if uses_recursive_repr(cx, function) {
                continue;
            }
            let Some(receiver) = function.receiver() else {
                continue;
            };
            let formatted = util::formatted_values(cx, function);
            let owner = format!("{}.{}", class.name, function.name);
            // A namespace object (`self.__dict__.update(kwargs)`) has no
            // fixed fields to pick from: showing them all is its repr.
            let namespace = containers::sets_attributes_dynamically(cx, class);
            for whole in whole_state(cx, function, receiver, &formatted)
                .into_iter()
                .filter(|_| !namespace)
            {
                cx.report(
                    whole,
                    format!(
                        "`{owner}` formats `{}`: the result includes every attribute's repr, recursively, so its size follows the whole object graph",
                        cx.text(whole)
                    ),
                );
            }
            if *container_class.get_or_insert_with(|| is_container(cx, class)) {
                continue;
            }
            let attrs = containers::attribute_kinds(cx, class);
            for f in &formatted {
                let Some(attr) = containers::self_attribute(cx, f.value, receiver) else {
                    continue;
                };
                let Some(kind) = attrs
                    .get(attr)
                    .copied()
                    .filter(|k| k.is_growing_collection())
                else {
                    continue;
                };
                let message = format!(
                    "`{owner}` formats `{}` (a {}) in full: the result grows with every element and with each element's own repr",
                    cx.text(f.value),
                    kind.type_name()
                );
                match fix(cx, f, &reprlib) {
                    Some(fix) => cx.report_with_fix(f.value, message, fix),
                    None => cx.report(f.value, message),
                }
            }
        }
    }
}

fn uses_recursive_repr(cx: &Checker, function: &Function) -> bool {
    function
        .decorators
        .iter()
        .any(|d| cx.module.qualified_name(d.name) == "reprlib.recursive_repr")
}

/// A container class shows its items in its repr by convention.
fn is_container(cx: &Checker, class: &Class) -> bool {
    let lineage = Lineage::of(cx, class);
    !lineage.builtins.is_empty()
        || !lineage.abcs.is_empty()
        || ["__iter__", "__len__", "__getitem__", "__contains__"]
            .iter()
            .any(|m| containers::defines_or_inherits(cx, class, &lineage, m))
}

/// `self.__dict__` / `vars(self)` formatted, or iterated with `.items()` /
/// `.values()`.
fn whole_state<'a>(
    cx: &Checker<'a>,
    function: &Function<'a>,
    receiver: &str,
    formatted: &[Formatted<'a>],
) -> Vec<Node<'a>> {
    let mut occurrences: Vec<Node> = function
        .scope
        .attributes
        .iter()
        .copied()
        .filter(|&a| containers::self_attribute(cx, a, receiver) == Some("__dict__"))
        .collect();
    occurrences.extend(function.scope.calls.iter().copied().filter(|&c| {
        syntax::callee_name(cx.source, c) == Some("vars")
            && matches!(syntax::positional_args(c).as_slice(), [only] if syntax::is_identifier(cx.source, *only, receiver))
    }));
    occurrences.sort_by_key(|n| n.start_byte());
    occurrences
        .into_iter()
        .filter(|&node| {
            let direct = formatted.iter().any(|f| f.value == node);
            let iterated = node.parent().is_some_and(|p| {
                p.kind() == "attribute"
                    && p.child_by_field_name("object") == Some(node)
                    && p.child_by_field_name("attribute")
                        .is_some_and(|a| matches!(cx.text(a), "items" | "values"))
                    && p.parent().is_some_and(|c| c.kind() == "call")
            });
            direct || iterated
        })
        .collect()
}

fn fix(
    cx: &Checker,
    formatted: &Formatted,
    reprlib: &OnceCell<Option<Option<Edit>>>,
) -> Option<Fix> {
    let mut edits = Vec::new();
    let text = cx.text(formatted.value);
    match formatted.site.kind() {
        "interpolation" => {
            let debug = {
                let mut c = formatted.site.walk();
                let found = formatted
                    .site
                    .children(&mut c)
                    .any(|n| !n.is_named() && n.kind() == "=");
                found
            };
            if debug {
                return None;
            }
            edits.push(Edit::replace(
                formatted.value.byte_range(),
                format!("reprlib.repr({text})"),
            ));
            if let Some(conversion) = formatted.conversion_node {
                edits.push(Edit::replace(conversion.byte_range(), ""));
            }
        }
        "call" if matches!(formatted.conversion, Conversion::Repr | Conversion::Str) => {
            let callee = formatted.site.child_by_field_name("function")?;
            if !matches!(cx.text(callee), "repr" | "str") {
                return None;
            }
            edits.push(Edit::replace(callee.byte_range(), "reprlib.repr"));
        }
        _ => return None,
    }
    if let Some(import) = reprlib.get_or_init(|| reprlib_import(cx)).clone()? {
        edits.push(import);
    }
    Some(Fix::unsafe_(
        format!("Format with `reprlib.repr({text})`"),
        edits,
    ))
}

/// `Some(None)`: `reprlib` is already imported; `Some(Some(edit))`: insert
/// `import reprlib` after the last top-level import; None: no import to
/// anchor the insertion to.
fn reprlib_import(cx: &Checker) -> Option<Option<Edit>> {
    let bound =
        cx.module.imports.iter().any(|i| {
            i.bound == "reprlib" && i.module == "reprlib" && i.name.is_none() && i.level == 0
        });
    if bound {
        return Some(None);
    }
    let mut cursor = cx.module.root.walk();
    let last = cx
        .module
        .root
        .named_children(&mut cursor)
        .filter(|n| {
            matches!(
                n.kind(),
                "import_statement" | "import_from_statement" | "future_import_statement"
            )
        })
        .last()?;
    let nl = cx.newline;
    Some(Some(Edit::insert(
        last.end_byte(),
        format!("{nl}import reprlib"),
    )))
}
