use std::collections::HashMap;

use dunderls_python::Scope;

use super::util::{
    class_defines, decoration, is_metaclass, is_parameter, special_method, Decoration,
};
use crate::hierarchy::Ancestor;
use crate::rules::prelude::*;
use dunderls_datamodel::{lookup, Binding, Protocol, SpecialMethod};

const DOCS: &str = r#"
## What it does
Flags assigning a special method to an instance: `self.__len__ = ...`,
`self.__call__ = self._fast_path`, `obj.__enter__ = f`, or
`setattr(self, "__iter__", ...)`.

## Why is this a problem
The operators and builtins that use special methods look them up on the
type, never on the instance: `len(obj)` calls `type(obj).__len__(obj)`.
An instance attribute named `__len__` is stored and can be read back
(`obj.__len__()` works), but `len(obj)` ignores it and raises
`TypeError: object of type 'Bag' has no len()`, or keeps calling the
class's own method if it has one. The same holds for `obj()`, `with obj:`,
`iter(obj)`, `obj == other`, `repr(obj)`, `a + b` and every other implicit
special-method call.

Hooks that libraries look up on the instance (`__deepcopy__`,
`__getstate__`, `__post_init__`, NumPy's hooks) are not reported, and
neither are classes with their own `__setattr__` (as `unittest.mock` does to
move such assignments onto a per-instance class).

## Scenario
In the lazy-loading ORM, engineers speed up relationship access by
assigning a per-instance fast path in `__init__`:
`self.__call__ = self._load_cached`. Their unit tests call
`obj.__call__()` directly and pass; in production the code calls `obj()`,
which goes through the class, so the cached path never runs and every call
still hits the database, or, when the class defines no `__call__`, raises
`TypeError: 'Relation' object is not callable`.

## Example
```python
class Bag:
    def __init__(self, items):
        self.items = list(items)
        self.__len__ = lambda: len(self.items)

bag = Bag([1, 2])
print(bag.__len__())  # prints: 2
len(bag)  # raises: TypeError: object of type 'Bag' has no len()
```

## Use instead
```python
class Bag:
    def __init__(self, items):
        self.items = list(items)

    def __len__(self):
        return len(self.items)

print(len(Bag([1, 2])))  # prints: 2
```
To vary the behaviour per instance, define the special method on the class
and have it call an instance attribute (`return self._impl()`).

## Fix
No automatic fix: moving the code into a method on the class may need the
state the assignment captured.

## References
- [Data model: special method lookup](https://docs.python.org/3/reference/datamodel.html#special-method-lookup)
- Peers: none.
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN004",
    name: "dunder-on-instance",
    group: Group::Hygiene,
    severity: Severity::Warning,
    fix: FixAvailability::None,
    aliases: &[],
    docs: DOCS,
    check,
};

/// Special methods CPython's implicit calls look up on the type.
fn looked_up_on_type(sm: &SpecialMethod) -> bool {
    sm.binding == Binding::Instance
        && !sm.on_metaclass
        && matches!(
            sm.protocol,
            Protocol::Customization
                | Protocol::RichComparison
                | Protocol::Hashing
                | Protocol::AttributeAccess
                | Protocol::Descriptor
                | Protocol::Callable
                | Protocol::Container
                | Protocol::Iteration
                | Protocol::Numeric
                | Protocol::Unary
                | Protocol::Conversion
                | Protocol::ContextManager
                | Protocol::Async
                | Protocol::Buffer
                | Protocol::Path
        )
}

fn check(cx: &Checker) {
    for f in &cx.module.functions {
        // In an instance method of an ordinary class, `self` is an instance.
        let instance_method = decoration(f) != Decoration::Static
            && decoration(f) != Decoration::Class
            && special_method(f).is_none_or(|sm| sm.binding == Binding::Instance);
        let receiver = cx
            .module
            .class_of(f)
            .zip(f.receiver())
            .filter(|_| instance_method);
        check_scope(cx, &f.scope, Some(f), receiver);
    }
    check_scope(cx, &cx.module.scope, None, None);
}

/// `self.__len__ = ...` in an instance method, and `x = C(...)` then
/// `x.__len__ = ...` with `C` a class of this module.
fn check_scope(
    cx: &Checker,
    scope: &Scope,
    function: Option<&Function>,
    receiver: Option<(&Class, &str)>,
) {
    let bindings = std::cell::OnceCell::new();
    for (object, node, name) in dunder_assignments(cx, scope) {
        let class = match receiver {
            Some((class, r)) if r == object => Some(class),
            _ if function.is_some_and(|f| is_parameter(f, object)) => None,
            _ => {
                let bindings = bindings.get_or_init(|| bindings_by_name(cx, scope));
                let of_object = bindings.get(object).map_or(&[][..], Vec::as_slice);
                constructed_class(cx, of_object, node.start_byte())
            }
        };
        let Some(class) = class else {
            continue;
        };
        // A declared slot named like a special method is a deliberate
        // instance attribute, read explicitly (attrs' `Converter.__call__`).
        let slot = class.slots.as_ref().is_some_and(|s| s.contains(name));
        if !slot && plain_instances(cx, class) {
            report(cx, class, node, name, object);
        }
    }
}

/// `x.__len__ = ...` targets and `setattr(x, "__len__", ...)` calls in one
/// scope, for special methods Python looks up on the type: (x, node, name).
fn dunder_assignments<'a>(
    cx: &Checker<'a>,
    scope: &Scope<'a>,
) -> Vec<(&'a str, Node<'a>, &'a str)> {
    let mut out = Vec::new();
    for assignment in &scope.assignments {
        let Some(left) = assignment.child_by_field_name("left") else {
            continue;
        };
        for target in targets(left) {
            if let Some((object, name)) = attribute_target(cx, target) {
                out.push((object, target, name));
            }
        }
    }
    for call in &scope.calls {
        if let Some((object, name)) = setattr_target(cx, *call) {
            out.push((object, *call, name));
        }
    }
    out
}

/// The assignments of `scope` that bind each plain name, in source order.
fn bindings_by_name<'a>(cx: &Checker<'a>, scope: &Scope<'a>) -> HashMap<&'a str, Vec<Node<'a>>> {
    let mut out: HashMap<&str, Vec<Node>> = HashMap::new();
    for &assignment in &scope.assignments {
        let Some(left) = assignment.child_by_field_name("left") else {
            continue;
        };
        for target in targets(left) {
            if target.kind() == "identifier" {
                let of_name = out.entry(cx.text(target)).or_default();
                if of_name.last() != Some(&assignment) {
                    of_name.push(assignment);
                }
            }
        }
    }
    out
}

/// Every binding of a name (`bindings`, from `bindings_by_name`) is
/// `name = C(...)` for one class `C` of this module, and one comes before
/// `before`.
fn constructed_class<'a>(
    cx: &Checker<'a>,
    bindings: &[Node<'a>],
    before: usize,
) -> Option<&'a Class<'a>> {
    let mut class: Option<&Class> = None;
    let mut earlier = false;
    for assignment in bindings {
        let left = assignment.child_by_field_name("left")?;
        let right = assignment
            .child_by_field_name("right")
            .map(syntax::unparenthesize)?;
        if assignment.kind() != "assignment"
            || right.kind() != "call"
            || left.kind() != "identifier"
        {
            return None;
        }
        let callee = right
            .child_by_field_name("function")
            .filter(|c| c.kind() == "identifier")?;
        let c = cx.module.class_named(syntax::text(cx.source, callee))?;
        if class.is_some_and(|k| k.node != c.node) {
            return None;
        }
        class = Some(c);
        earlier |= assignment.end_byte() <= before;
    }
    class.filter(|_| earlier)
}

/// Instances of `class` are ordinary objects: not classes, and no
/// `__setattr__` that could move dunder assignments onto a class (as
/// `unittest.mock` does).
fn plain_instances(cx: &Checker, class: &Class) -> bool {
    !is_metaclass(cx, class)
        && !class_defines(cx, class, "__setattr__")
        && !cx.ancestry(class).ancestors.iter().any(|a| match a {
            Ancestor::Unknown(n) | Ancestor::Builtin(n) => n.contains("Mock"),
            _ => false,
        })
}

/// The assigned targets of an assignment's left side, unpacking tuples.
fn targets(left: Node) -> Vec<Node> {
    match left.kind() {
        "pattern_list" | "tuple_pattern" | "list_pattern" => {
            let mut cursor = left.walk();
            left.named_children(&mut cursor).collect()
        }
        _ => vec![left],
    }
}

/// `x.__len__` with a plain name `x` and a special method name that Python
/// looks up on the type.
fn attribute_target<'a>(cx: &Checker<'a>, target: Node<'a>) -> Option<(&'a str, &'a str)> {
    if target.kind() != "attribute" {
        return None;
    }
    let object = target
        .child_by_field_name("object")
        .filter(|o| o.kind() == "identifier")?;
    let name = syntax::text(cx.source, target.child_by_field_name("attribute")?);
    lookup(name).filter(|sm| looked_up_on_type(sm))?;
    Some((syntax::text(cx.source, object), name))
}

/// `setattr(x, "__len__", value)`.
fn setattr_target<'a>(cx: &Checker<'a>, call: Node<'a>) -> Option<(&'a str, &'a str)> {
    if syntax::callee_name(cx.source, call)? != "setattr" {
        return None;
    }
    let args = syntax::positional_args(call);
    let object = args.first().filter(|o| o.kind() == "identifier")?;
    let name = syntax::string_value(cx.source, *args.get(1)?)?;
    lookup(name).filter(|sm| looked_up_on_type(sm))?;
    Some((syntax::text(cx.source, *object), name))
}

fn report(cx: &Checker, class: &Class, node: Node, name: &str, object: &str) {
    let consequence = if class_defines(cx, class, name) {
        format!("implicit calls keep using the class's `{name}`")
    } else {
        "implicit calls ignore it".to_string()
    };
    cx.report(
        node,
        format!(
            "`{object}.{name}` is set on a `{}` instance, but Python looks special methods up on the type, so {consequence}; define `{name}` on the class",
            class.name
        ),
    );
}
