use super::util::{is_container_value, is_metaclass, is_parent_call, stored_into};
use crate::rules::prelude::*;

const DOCS: &str = r#"
## What it does
Flags a metaclass whose `__new__`/`__init__` do nothing but create the class
and record it in a registry.

## Why is this a problem
A metaclass is inherited by every subclass and must be compatible with the
metaclass of every other base: combining a class that uses `PluginMeta` with
one that uses another metaclass (an `abc.ABC`, an ORM model, an `Enum`)
fails at class definition with
`TypeError: metaclass conflict: the metaclass of a derived class must be a (non-strict) subclass of the metaclasses of all its bases`.
Since Python 3.6 (PEP 487), `__init_subclass__` on a base class is called
for every new subclass and does the same registration with no metaclass.

The two mechanisms run in a fixed order (observed on CPython 3.11.7): for
`class Child(Base, tag=1)` where `Base` has metaclass `Meta` and defines
`__init_subclass__`, `Meta.__new__` starts; its `super().__new__()` call
(`type.__new__`) builds the class, calls `__set_name__` on descriptors and
then `Base.__init_subclass__(Child, tag=1)`; then the rest of
`Meta.__new__` runs, then `Meta.__init__`, then class decorators. So
`__init_subclass__` sees the complete class body in `cls.__dict__`, but not
attributes that the metaclass adds after `super().__new__()` returns nor
changes made by decorators. Class keywords reach both the metaclass and
`__init_subclass__`. One difference when migrating: the metaclass also
registers the base class itself, `__init_subclass__` only its subclasses.

## Scenario
Plugins are registered by a `PluginMeta` metaclass. It works until a team
makes the plugin interface an abstract base class: every
`class CsvExport(Plugin, Exporter)` now fails to import with a metaclass
conflict, and the quick fix (a metaclass inheriting from both) has to be
repeated for each new combination. Moving the registration into
`Plugin.__init_subclass__` removes the metaclass and the conflict.

## Example
```python
import abc

registry = {}

class PluginMeta(type):
    def __new__(mcs, name, bases, namespace, **kwargs):
        cls = super().__new__(mcs, name, bases, namespace, **kwargs)
        registry[name] = cls
        return cls

class Plugin(metaclass=PluginMeta):
    pass

class Exporter(abc.ABC):
    @abc.abstractmethod
    def export(self): ...

class CsvExport(Plugin, Exporter):  # raises: TypeError: metaclass conflict
    def export(self):
        return "csv"
```

## Use instead
```python
import abc

registry = {}

class Plugin:
    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        registry[cls.__name__] = cls

class Exporter(abc.ABC):
    @abc.abstractmethod
    def export(self): ...

class CsvExport(Plugin, Exporter):
    def export(self):
        return "csv"

assert registry["CsvExport"] is CsvExport
print(sorted(registry))  # prints: ['CsvExport']
```

## Fix
No automatic fix: the registration moves to a different class (the base
that used the metaclass), and the base itself is no longer registered.

## References
- [Data model: `object.__init_subclass__`](https://docs.python.org/3/reference/datamodel.html#object.__init_subclass__)
- [Data model: Metaclasses](https://docs.python.org/3/reference/datamodel.html#metaclasses)
- [PEP 487: Simpler customisation of class creation](https://peps.python.org/pep-0487/)
- No peer rule in ruff or pylint.
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN605",
    name: "registration-via-metaclass",
    group: Group::ClassCreation,
    severity: Severity::Information,
    fix: FixAvailability::None,
    aliases: &[],
    docs: DOCS,
    check,
};

fn check(cx: &Checker) {
    'classes: for class in &cx.module.classes {
        if class.has_errors || !is_metaclass(cx, class) {
            continue;
        }
        let mut registrations = 0;
        let mut any = false;
        for m in cx.module.methods(class) {
            if !matches!(m.name, "__new__" | "__init__") || !m.decorators.is_empty() || m.has_errors
            {
                continue 'classes;
            }
            any = true;
            match registrations_in(cx, m) {
                Some(n) => registrations += n,
                None => continue 'classes,
            }
        }
        if any && registrations > 0 {
            cx.report(
                class.name_node,
                format!(
                    "`{}` is a metaclass that only registers classes: `__init_subclass__` on a base class does the same without a metaclass, which conflicts with other metaclasses (e.g. `abc.ABC`)",
                    class.name
                ),
            );
        }
    }
}

/// The number of registration statements in `m`, or None when it does
/// anything besides creating the class, registering it and returning it.
fn registrations_in<'a>(cx: &Checker<'a>, m: &Function<'a>) -> Option<usize> {
    let mut created: Vec<&str> = Vec::new();
    if m.name == "__init__" {
        created.push(m.receiver()?);
    }
    // An explicit work list (no recursion): nested `if` blocks push their
    // statements, which are then checked as non-top-level ones.
    let mut work: Vec<(Node<'a>, bool)> = syntax::statements(m.body)
        .into_iter()
        .rev()
        .map(|s| (s, true))
        .collect();
    let mut count = 0;
    while let Some((stmt, top)) = work.pop() {
        if stmt.kind() == "if_statement" {
            let mut nested = Vec::new();
            let mut cursor = stmt.walk();
            for part in stmt.named_children(&mut cursor) {
                let block = match part.kind() {
                    "block" => part,
                    "elif_clause" | "else_clause" => part
                        .child_by_field_name("consequence")
                        .or_else(|| part.child_by_field_name("body"))?,
                    _ => continue,
                };
                nested.extend(syntax::statements(block).into_iter().map(|s| (s, false)));
            }
            work.extend(nested.into_iter().rev());
            continue;
        }
        count += statement(cx, m, stmt, &mut created, top)?;
    }
    Some(count)
}

/// Classify one statement: Some(registrations) when allowed, None otherwise.
fn statement<'a>(
    cx: &Checker<'a>,
    m: &Function<'a>,
    stmt: Node<'a>,
    created: &mut Vec<&'a str>,
    top: bool,
) -> Option<usize> {
    let is_created = |n: Node| n.kind() == "identifier" && created.contains(&cx.text(n));
    match stmt.kind() {
        "pass_statement" => Some(0),
        "return_statement" => {
            let value = stmt.named_child(0);
            let ok = value.is_none_or(|v| {
                is_created(v)
                    || v.kind() == "call" && is_parent_call(cx, m.receiver(), v, &["__new__"])
            });
            ok.then_some(0)
        }
        "expression_statement" => {
            let expr = stmt.named_child(0)?;
            if expr.kind() == "string" && top {
                return Some(0);
            }
            if stored_into(cx, expr, &is_created).is_some() {
                return Some(1);
            }
            match expr.kind() {
                "call"
                    if top && is_parent_call(cx, m.receiver(), expr, &["__new__", "__init__"]) =>
                {
                    Some(0)
                }
                "assignment" => {
                    let left = expr.child_by_field_name("left")?;
                    let right = syntax::unparenthesize(expr.child_by_field_name("right")?);
                    // `cls = super().__new__(mcs, ...)`
                    if top
                        && left.kind() == "identifier"
                        && right.kind() == "call"
                        && is_parent_call(cx, m.receiver(), right, &["__new__"])
                    {
                        created.push(cx.text(left));
                        return Some(0);
                    }
                    // `cls.registry = {}`: setting up the registry itself.
                    let target_is_created = left.kind() == "attribute"
                        && left.child_by_field_name("object").is_some_and(is_created);
                    (target_is_created && is_container_value(cx, right)).then_some(0)
                }
                _ => None,
            }
        }
        _ => None,
    }
}
