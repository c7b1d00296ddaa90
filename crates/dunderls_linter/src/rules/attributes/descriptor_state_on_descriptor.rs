use crate::rules::prelude::*;

use super::util::{self, Access};

const DOCS: &str = r#"
## What it does
Flags a descriptor's `__set__` that assigns the incoming value (an
expression using the value parameter) to an attribute of the descriptor
itself (`self.value = value`). Assignments whose right-hand side also uses
the instance parameter, item assignments such as
`self._values[instance] = value`, and bookkeeping that does not use the
value are not reported.

## Why is this a problem
A descriptor object is created once, in the owner's class body, and is
shared by every instance of the owner class: `__set__(self, instance,
value)` receives the descriptor as `self` and the owner instance as
`instance`. State stored on `self` is therefore class-wide: setting the
attribute on one instance changes what every other instance reads
(observed: `a.price = 1; b.price = 2; a.price == 2`).

## Scenario
The ORM's typed column descriptor validates values in `__set__` and keeps
the validated value in `self.value`. In production, two requests that load
two different customers see each other's e-mail addresses: every
`Customer` instance shares the one `Column` object.

## Example
```python
class Positive:
    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return self.value

    def __set__(self, instance, value):
        if value <= 0:
            raise ValueError("must be positive")
        self.value = value

class Item:
    price = Positive()

a, b = Item(), Item()
a.price = 1
b.price = 2
print("a.price =", a.price)  # prints: a.price = 2
```

## Use instead
Store the value on the instance, under the name the descriptor learns from
`__set_name__`:
```python
class Positive:
    def __set_name__(self, owner, name):
        self.name = "_" + name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return instance.__dict__[self.name]

    def __set__(self, instance, value):
        if value <= 0:
            raise ValueError("must be positive")
        instance.__dict__[self.name] = value

class Item:
    price = Positive()

a, b = Item(), Item()
a.price = 1
b.price = 2
assert (a.price, b.price) == (1, 2)
```
For owners with `__slots__`, keep a `weakref.WeakKeyDictionary` keyed by
the instance (and give the owner a `__weakref__` slot).

## Fix
No automatic fix: the storage (instance `__dict__` under a name from
`__set_name__`, a slot, a `WeakKeyDictionary`) depends on the owner class.

## References
- [Descriptor HowTo Guide](https://docs.python.org/3/howto/descriptor.html), [`object.__set__`](https://docs.python.org/3/reference/datamodel.html#object.__set__), [`object.__set_name__`](https://docs.python.org/3/reference/datamodel.html#object.__set_name__)
- Related: DUN113.
- Peers: none known.
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN112",
    name: "descriptor-state-on-descriptor",
    group: Group::Attributes,
    severity: Severity::Warning,
    fix: FixAvailability::None,
    aliases: &[],
    docs: DOCS,
    check,
};

fn check(cx: &Checker) {
    for class in &cx.module.classes {
        let Some(set) = util::own_method(cx, class, "__set__") else {
            continue;
        };
        let (Some(receiver), Some(instance), Some(value)) = (
            util::instance_receiver(set),
            util::positional_param(set, 1),
            util::positional_param(set, 2),
        ) else {
            continue;
        };
        for (node, attr, access) in util::receiver_attributes(cx.source, set, receiver) {
            if access != Access::Write {
                continue;
            }
            let Some(right) = assignment_of(node).and_then(|a| a.child_by_field_name("right"))
            else {
                continue;
            };
            if !util::mentions(cx.source, right, value)
                || util::mentions(cx.source, right, instance)
            {
                continue;
            }
            cx.report(
                node,
                format!(
                    "`{}.__set__` stores the value on the descriptor (`{receiver}.{attr}`): one descriptor serves every instance of the owner class, so setting it on one instance changes them all",
                    class.name
                ),
            );
            break;
        }
    }
}

/// The assignment whose target contains `node`.
fn assignment_of(node: Node) -> Option<Node> {
    let mut cur = node;
    loop {
        let parent = cur.parent()?;
        match parent.kind() {
            "pattern_list"
            | "tuple_pattern"
            | "list_pattern"
            | "list_splat_pattern"
            | "parenthesized_expression" => cur = parent,
            "assignment" => return Some(parent),
            _ => return None,
        }
    }
}
