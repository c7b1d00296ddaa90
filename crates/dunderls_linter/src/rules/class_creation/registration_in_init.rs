use super::util::{
    is_container_value, is_metaclass, is_placeholder, methods_named, qualified_method, stored_into,
};
use crate::rules::prelude::*;

const DOCS: &str = r#"
## What it does
Flags an instance `__init__` that records its own class (`type(self)` or
`self.__class__`) in a registry.

## Why is this a problem
`__init__` runs when an instance is created, not when a class is defined. A
class registered from `__init__` is missing from the registry until the
first instance of it exists, so lookups by name, plugin discovery and
"list all models" see only the classes that happen to have been
instantiated already, and the result depends on import and call order.
`__init_subclass__` runs once per subclass at class definition time (when
the module defining it is imported), which is what a registry needs.

## Scenario
A framework auto-registers model classes. The registration was written in
the base class's `__init__` ("every model calls it anyway"). A job that
looks a model up by name before any instance exists fails with a KeyError;
in the web process the same lookup works because a request created an
instance earlier. Debugging `__init_subclass__` shows it was never defined:
the registration was never at class level.

## Example
```python
MODELS = {}

class Model:
    def __init__(self):
        MODELS[type(self).__name__] = type(self)

class Invoice(Model):
    pass

MODELS["Invoice"]  # raises: KeyError: 'Invoice'
```

## Use instead
```python
MODELS = {}

class Model:
    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        MODELS[cls.__name__] = cls

class Invoice(Model):
    pass

assert MODELS["Invoice"] is Invoice
print(sorted(MODELS))  # prints: ['Invoice']
```

## Fix
No automatic fix: the registration has to move to `__init_subclass__` (and
the base class itself, which `__init_subclass__` does not see, may need
registering explicitly).

## References
- [Data model: `object.__init_subclass__`](https://docs.python.org/3/reference/datamodel.html#object.__init_subclass__)
- [PEP 487: Simpler customisation of class creation](https://peps.python.org/pep-0487/)
- Related: DUN605 (registration-via-metaclass). No peer rule in ruff or pylint.
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN606",
    name: "registration-in-init",
    group: Group::ClassCreation,
    severity: Severity::Information,
    fix: FixAvailability::None,
    aliases: &[],
    docs: DOCS,
    check,
};

fn check(cx: &Checker) {
    for f in methods_named(cx, "__init__") {
        let Some(class) = cx.module.class_of(f) else {
            continue;
        };
        let Some(receiver) = f.receiver() else {
            continue;
        };
        if is_placeholder(f) || f.is_staticmethod() || f.is_classmethod() || is_metaclass(cx, class)
        {
            continue;
        }
        let is_own_class = |n: Node| own_class_expr(cx, n, receiver);
        let statements = f.scope.assignments.iter().chain(&f.scope.calls).copied();
        for node in statements {
            let Some(container) = stored_into(cx, node, &is_own_class) else {
                continue;
            };
            if !is_shared_container(cx, f, class, container, receiver) {
                continue;
            }
            cx.report(
                node,
                format!(
                    "`{}` registers its class only when an instance is created: classes never instantiated are missing from `{}`; register them in `__init_subclass__`",
                    qualified_method(cx, f),
                    cx.text(container)
                ),
            );
        }
    }
}

/// `type(self)`, `self.__class__`.
fn own_class_expr(cx: &Checker, node: Node, receiver: &str) -> bool {
    match node.kind() {
        "call" => {
            syntax::callee_name(cx.source, node) == Some("type")
                && matches!(syntax::positional_args(node).as_slice(), [arg] if syntax::is_identifier(cx.source, *arg, receiver))
        }
        "attribute" => {
            node.child_by_field_name("attribute")
                .is_some_and(|a| cx.text(a) == "__class__")
                && node
                    .child_by_field_name("object")
                    .is_some_and(|o| syntax::is_identifier(cx.source, o, receiver))
        }
        _ => false,
    }
}

/// The container is a registry shared beyond this instance: a module-level
/// name (not a local variable), `Class.attr`, or `self.attr` where the
/// class body assigns a fresh container to `attr`.
fn is_shared_container<'a>(
    cx: &Checker<'a>,
    f: &Function<'a>,
    class: &Class,
    container: Node<'a>,
    receiver: &str,
) -> bool {
    match container.kind() {
        "identifier" => {
            let name = cx.text(container);
            name != receiver
                && !f.scope.assignments.iter().any(|a| {
                    a.child_by_field_name("left")
                        .is_some_and(|l| syntax::is_identifier(cx.source, l, name))
                })
        }
        "attribute" => {
            let Some(object) = container.child_by_field_name("object") else {
                return false;
            };
            if !syntax::is_identifier(cx.source, object, receiver) {
                return object.kind() == "identifier" || own_class_expr(cx, object, receiver);
            }
            let Some(attr) = container
                .child_by_field_name("attribute")
                .map(|a| cx.text(a))
            else {
                return false;
            };
            // `self.attr = ...` in this method makes it per-instance state.
            let rebound = f.scope.assignments.iter().any(|a| {
                a.child_by_field_name("left").is_some_and(|l| {
                    l.kind() == "attribute"
                        && l.child_by_field_name("object")
                            .is_some_and(|o| syntax::is_identifier(cx.source, o, receiver))
                        && l.child_by_field_name("attribute")
                            .is_some_and(|n| cx.text(n) == attr)
                })
            });
            !rebound
                && class
                    .attributes
                    .iter()
                    .any(|a| a.name == attr && a.value.is_some_and(|v| is_container_value(cx, v)))
        }
        _ => false,
    }
}
