//! Helpers of the context-manager and fluent-builder rules: how methods
//! touch `self`, and what they return.

use crate::rules::class_creation::util::{return_value, returns_none};
use crate::rules::prelude::*;

/// Methods that change a list, dict, set or deque in place. Hard-coded here
/// until the data model lists the mutating methods of the builtin containers.
pub(crate) const MUTATORS: &[&str] = &[
    "append",
    "extend",
    "insert",
    "remove",
    "pop",
    "popitem",
    "clear",
    "update",
    "add",
    "discard",
    "setdefault",
    "sort",
    "reverse",
    "appendleft",
    "extendleft",
    "difference_update",
    "intersection_update",
    "symmetric_difference_update",
];

/// For `self.a`, `self.a.b`, `self.a[k]`, `self.a[k].c`: the attribute `a`
/// directly on the receiver, and whether the node is more than `self.a`.
pub(crate) fn self_attr_root<'a>(
    cx: &Checker<'a>,
    node: Node<'a>,
    receiver: &str,
) -> Option<(&'a str, bool)> {
    let mut current = syntax::unparenthesize(node);
    let mut deeper = false;
    loop {
        let object = match current.kind() {
            "attribute" => current.child_by_field_name("object")?,
            "subscript" => current.child_by_field_name("value")?,
            _ => return None,
        };
        let object = syntax::unparenthesize(object);
        if current.kind() == "attribute" && syntax::is_identifier(cx.source, object, receiver) {
            let attr = current.child_by_field_name("attribute")?;
            return Some((cx.text(attr), deeper));
        }
        deeper = true;
        current = object;
    }
}

/// One in-place change of state reachable from `self` that does not go
/// through `__setattr__`: `self.items.append(x)`, `self.where[k] = v`,
/// `del self.items[0]`. Yields the narrowest node (the `self.items.append`
/// callee, the assignment or `del` target) and the attribute of `self`.
pub(crate) fn in_place_mutations<'a>(
    cx: &Checker<'a>,
    f: &Function<'a>,
) -> Vec<(Node<'a>, &'a str)> {
    let Some(receiver) = f.receiver() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for &call in &f.scope.calls {
        let Some(func) = call
            .child_by_field_name("function")
            .filter(|n| n.kind() == "attribute")
        else {
            continue;
        };
        let (Some(object), Some(method)) = (
            func.child_by_field_name("object"),
            func.child_by_field_name("attribute"),
        ) else {
            continue;
        };
        if !MUTATORS.contains(&cx.text(method)) {
            continue;
        }
        if let Some((attr, _)) = self_attr_root(cx, object, receiver) {
            out.push((func, attr));
        }
    }
    // Item assignment and deletion (`self.x[k] = v`, `del self.x[k]`); an
    // attribute of a sub-object (`self.child.x = v`) belongs to that object.
    for &node in f.scope.assignments.iter().chain(&f.scope.deletes) {
        for target in targets(node) {
            if target.kind() != "subscript" {
                continue;
            }
            if let Some((attr, true)) = self_attr_root(cx, target, receiver) {
                out.push((target, attr));
            }
        }
    }
    out.sort_by_key(|(n, _)| n.start_byte());
    out
}

/// `self.x = ...`, `self.x += ...`: assignments that do go through
/// `__setattr__`.
pub(crate) fn attribute_writes<'a>(cx: &Checker<'a>, f: &Function<'a>) -> Vec<(Node<'a>, &'a str)> {
    let Some(receiver) = f.receiver() else {
        return Vec::new();
    };
    f.scope
        .assignments
        .iter()
        .copied()
        .flat_map(|node| targets(node).into_iter().map(move |t| (node, t)))
        .filter_map(
            |(node, target)| match self_attr_root(cx, target, receiver) {
                Some((attr, false)) => Some((node, attr)),
                _ => None,
            },
        )
        .collect()
}

/// Assignment targets (tuple targets unpacked one level) and `del` targets.
fn targets(node: Node) -> Vec<Node> {
    let target = match node.kind() {
        "assignment" | "augmented_assignment" => node.child_by_field_name("left"),
        "delete_statement" => node.named_child(0),
        _ => None,
    };
    let Some(target) = target else {
        return Vec::new();
    };
    let target = syntax::unparenthesize(target);
    if matches!(
        target.kind(),
        "pattern_list" | "tuple_pattern" | "expression_list" | "tuple" | "list_pattern"
    ) {
        let mut cursor = target.walk();
        let inner: Vec<Node> = target.named_children(&mut cursor).collect();
        inner
    } else {
        vec![target]
    }
}

/// The method changes the state of `self` (assignment or in place).
pub(crate) fn mutates_self(cx: &Checker, f: &Function) -> bool {
    !attribute_writes(cx, f).is_empty() || !in_place_mutations(cx, f).is_empty()
}

/// Every path ends with `return self`.
pub(crate) fn returns_self(cx: &Checker, f: &Function) -> bool {
    let Some(receiver) = f.receiver() else {
        return false;
    };
    let returns = &f.scope.returns;
    !f.is_async
        && !f.can_fall_off_end
        && !returns.is_empty()
        && f.scope.yields.is_empty()
        && returns.iter().all(|r| {
            return_value(*r).is_some_and(|v| {
                syntax::is_identifier(cx.source, syntax::unparenthesize(v), receiver)
            })
        })
}

/// No path returns a value (`return`, `return None`, or the end).
pub(crate) fn returns_nothing(f: &Function) -> bool {
    f.scope.returns.iter().all(|r| returns_none(*r)) && f.scope.yields.is_empty()
}

/// An ordinary instance method (not static/class method, property, stub or
/// overload) whose body we can judge.
pub(crate) fn is_plain_method(f: &Function) -> bool {
    !f.has_errors
        && !f.is_staticmethod()
        && !f.is_classmethod()
        && !f.is_property()
        && !f.is_overload()
        && !f.is_stub()
        && f.receiver().is_some()
}
