use std::collections::HashSet;

use crate::rules::containers::util::{self as containers, Lineage};
use crate::rules::prelude::*;
use crate::rules::repr::util;

const DOCS: &str = r#"
## What it does
Flags a `__repr__` or `__str__` that performs a query or other I/O (a call
such as `session.query(...)`, `cursor.execute(...)`, `load_orders(...)`,
`requests.get(...)`, `open(...)`), or that reads an attribute the class's
`__getattr__` loads lazily (an attribute the class never assigns, in a class
whose `__getattr__` performs such a call).

## Why is this a problem
`repr()` is called far more often than it appears in the code: by
debuggers showing variables, by logging (`%r`, `{!r}`), by `traceback` and
error trackers capturing locals, by `pytest` assertion messages, by the
REPL. A repr that queries a database pays a round-trip each time, from
places where nobody expects I/O, and may fail (closed session, no network)
in the middle of reporting another error. Reading a lazily loaded attribute
in `__repr__` does the same through `__getattr__`: the first repr of each
object triggers the load.

## Scenario
An ORM's model classes load relationships lazily through `__getattr__`, and
their `__repr__` shows a summary of those relationships. Response times
regress: every log statement and every captured exception formats models,
and each repr loads orders from the database. The repr should show only
what is already in memory.

## Example
```python
class Session:
    queries = 0

    def query(self, sql):
        Session.queries += 1
        return ["row"]

session = Session()

class Customer:
    def __init__(self, id):
        self.id = id

    def __repr__(self):
        orders = session.query(f"SELECT * FROM orders WHERE customer_id = {self.id}")
        return f"Customer(id={self.id}, orders={len(orders)})"

customer = Customer(42)
for _ in range(3):
    message = f"processing {customer!r}"  # a log line, a debugger, a traceback
print(Session.queries)  # prints: 3
```

A lazily loaded attribute in the repr triggers the load:
```python
loads = []

def load_orders(customer_id):
    loads.append(customer_id)
    return ["order"]

class Customer:
    def __init__(self, id):
        self.id = id

    def __getattr__(self, name):
        if name == "orders":
            value = self.__dict__[name] = load_orders(self.id)
            return value
        raise AttributeError(name)

    def __repr__(self):
        return f"Customer(id={self.id}, orders={len(self.orders)})"

repr(Customer(42))
print(loads)  # prints: [42]
```

## Use instead
```python
loads = []

def load_orders(customer_id):
    loads.append(customer_id)
    return ["order"]

class Customer:
    def __init__(self, id):
        self.id = id

    def __getattr__(self, name):
        if name == "orders":
            value = self.__dict__[name] = load_orders(self.id)
            return value
        raise AttributeError(name)

    def __repr__(self):
        orders = self.__dict__.get("orders")
        shown = "not loaded" if orders is None else len(orders)
        return f"Customer(id={self.id}, orders={shown})"

print(repr(Customer(42)), loads)  # prints: Customer(id=42, orders=not loaded) []
```

## Fix
No automatic fix: the repr has to be rewritten around the data already in
memory.

## References
- [Data model: `object.__repr__`](https://docs.python.org/3/reference/datamodel.html#object.__repr__), [`object.__getattr__`](https://docs.python.org/3/reference/datamodel.html#object.__getattr__)
- [`logging`: lazy `%`-style arguments are formatted when a record is emitted](https://docs.python.org/3/howto/logging.html#optimization)
- Related: DUN101 (uncached lookups in `__getattr__`).
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN303",
    name: "repr-side-effects",
    group: Group::Repr,
    severity: Severity::Warning,
    fix: FixAvailability::None,
    aliases: &[],
    docs: DOCS,
    check,
};

fn check(cx: &Checker) {
    for class in &cx.module.classes {
        let methods = util::repr_methods(cx, class);
        if methods.is_empty() {
            continue;
        }
        let loader = cx.module.method(class, "__getattr__").filter(|g| {
            g.scope
                .calls
                .iter()
                .any(|&c| util::io_call(cx, c).is_some())
        });
        let known = loader.and_then(|_| known_attributes(cx, class));
        for function in methods {
            let owner = format!("{}.{}", class.name, function.name);
            for &call in &function.scope.calls {
                if let Some(callee) = util::io_call(cx, call) {
                    cx.report(
                        call,
                        format!(
                            "`{owner}` calls `{callee}(...)`: debuggers, loggers and tracebacks call repr, and each call repeats this query/I/O"
                        ),
                    );
                }
            }
            let (Some(known), Some(receiver)) = (&known, function.receiver()) else {
                continue;
            };
            let mut seen = HashSet::new();
            for &node in &function.scope.attributes {
                let Some(attr) = containers::self_attribute(cx, node, receiver) else {
                    continue;
                };
                if attr.starts_with("__") || known.contains(attr) || !seen.insert(attr) {
                    continue;
                }
                cx.report(
                    node,
                    format!(
                        "`{owner}` reads `{}`, which `{}.__getattr__` loads lazily: every repr of a fresh object triggers the load",
                        cx.text(node),
                        class.name
                    ),
                );
            }
        }
    }
}

/// Every attribute name the class (and its bases) defines or assigns:
/// methods, class attributes, slots, `self.x = ...` anywhere in a method.
/// None when some are invisible: a base from another module or a builtin,
/// or attributes set dynamically (`setattr(self, name, v)`,
/// `self.__dict__.update(...)`) outside `__getattr__`.
fn known_attributes<'a>(cx: &Checker<'a>, class: &Class<'a>) -> Option<HashSet<String>> {
    let lineage = Lineage::of(cx, class);
    if !lineage.complete() || !lineage.builtins.is_empty() {
        return None;
    }
    if containers::sets_attributes_dynamically(cx, class) {
        return None;
    }
    let mut known = HashSet::new();
    add_class(cx, class, &mut known)?;
    for base in &lineage.user {
        if base.module != cx.module_name {
            return None;
        }
        let class = cx.module.class_named(&base.name)?;
        if containers::sets_attributes_dynamically(cx, class) {
            return None;
        }
        add_class(cx, class, &mut known)?;
    }
    for abc in &lineage.abcs {
        known.extend(
            abc.abstract_methods
                .iter()
                .chain(abc.mixin_methods)
                .map(|m| m.to_string()),
        );
    }
    Some(known)
}

fn add_class(cx: &Checker, class: &Class, known: &mut HashSet<String>) -> Option<()> {
    known.extend(class.attributes.iter().map(|a| a.name.to_string()));
    if let Some(slots) = &class.slots {
        known.extend(slots.names.as_ref()?.iter().map(|(n, _)| n.clone()));
    }
    for method in cx.module.methods(class) {
        known.insert(method.name.to_string());
        let Some(receiver) = method.receiver() else {
            continue;
        };
        for &assignment in &method.scope.assignments {
            let Some(left) = assignment.child_by_field_name("left") else {
                continue;
            };
            for node in syntax::descendants(left, true) {
                if let Some(attr) = containers::self_attribute(cx, node, receiver) {
                    known.insert(attr.to_string());
                }
            }
        }
        for &call in &method.scope.calls {
            let function_text = call
                .child_by_field_name("function")
                .map(|f| cx.text(f))
                .unwrap_or_default();
            let args = syntax::positional_args(call);
            let first_is_self = args
                .first()
                .is_some_and(|a| syntax::is_identifier(cx.source, *a, receiver));
            let name_arg = match function_text {
                "setattr" | "object.__setattr__" if first_is_self => args.get(1),
                f if f.starts_with("super(") && f.ends_with(".__setattr__") => args.first(),
                _ => None,
            };
            if let Some(name) = name_arg.and_then(|n| syntax::string_value(cx.source, *n)) {
                known.insert(name.to_string());
            }
        }
    }
    Some(())
}
