//! Facts the equality/hashing rules share: which instance fields a method
//! reads (following same-class helpers and properties), which fields hold
//! mutable containers, which methods reassign or mutate them, type tests on
//! the `other` operand, and dataclass flags.
//!
//! Candidates for the shared model (see the group report): `MethodReads`,
//! `container_kind`, `mutations`, `type_test`.

use std::collections::HashSet;
use std::ops::Range;

use crate::rules::prelude::*;

/// Every (class, direct method) pair of the module.
pub(super) fn all_methods<'a>(
    cx: &Checker<'a>,
) -> impl Iterator<Item = (&'a Class<'a>, &'a Function<'a>)> + use<'a> {
    let module: &'a dunderls_python::Module<'a> = cx.module;
    module
        .classes
        .iter()
        .flat_map(move |c| module.unconditional_methods(c).map(move |f| (c, f)))
}

/// `<receiver>.<attr>` -> `attr`.
pub(super) fn receiver_attr<'a>(
    source: &'a str,
    node: Node<'a>,
    receiver: &str,
) -> Option<&'a str> {
    if node.kind() != "attribute" {
        return None;
    }
    let object = node.child_by_field_name("object")?;
    let attr = node.child_by_field_name("attribute")?;
    (object.kind() == "identifier" && syntax::text(source, object) == receiver)
        .then(|| syntax::text(source, attr))
}

/// The `other` parameter of a binary dunder (the second positional one).
pub(super) fn other_param<'a, 'f>(f: &'f Function<'a>) -> Option<&'f dunderls_python::Param<'a>> {
    use dunderls_python::ParamKind::{Positional, PositionalOnly};
    f.params
        .iter()
        .filter(|p| matches!(p.kind, Positional | PositionalOnly))
        .nth(1)
}

/// A method that runs with a real instance receiver.
fn instance_method(f: &Function) -> bool {
    !f.is_staticmethod() && !f.is_classmethod() && f.receiver().is_some()
}

fn is_dunder(name: &str) -> bool {
    name.len() > 4 && name.starts_with("__") && name.ends_with("__")
}

/// Whether `node` (an attribute) is written rather than read: an assignment
/// or `del` target, directly or inside a target tuple/list.
pub(super) fn is_store(node: Node) -> bool {
    let mut child = node;
    let mut parent = node.parent();
    while let Some(p) = parent {
        match p.kind() {
            "pattern_list" | "tuple_pattern" | "list_pattern" | "expression_list" => {
                child = p;
                parent = p.parent();
            }
            "assignment" | "augmented_assignment" => {
                return p.child_by_field_name("left") == Some(child);
            }
            "delete_statement" => return true,
            _ => return false,
        }
    }
    false
}

/// One `self.<field>` read, possibly inside a helper the method calls.
#[derive(Debug, Clone, Copy)]
pub(super) struct FieldRead<'a> {
    pub name: &'a str,
    /// Where the method being analysed reaches the read: the read itself,
    /// or the helper call / property access that leads to it.
    pub anchor: Node<'a>,
    /// The helper or property the read was found through.
    pub via: Option<&'a str>,
    /// The read only decides a branch (`if self.readonly:`), in the method
    /// or in the helper it goes through.
    pub in_condition: bool,
}

/// The instance state a method reads.
#[derive(Debug, Default)]
pub(super) struct MethodReads<'a> {
    /// Field reads in source order (several per name possible).
    pub fields: Vec<FieldRead<'a>>,
    /// The method also reads state we cannot see: `super()`, the receiver
    /// passed to a call (`vars(self)`, `tuple(self)`), `self[...]`,
    /// `self.__dict__`, or a method that is not defined in the class.
    pub opaque: bool,
    /// The methods visited: the method and the helpers/properties it reaches.
    pub visited: Vec<&'a Function<'a>>,
}

impl<'a> MethodReads<'a> {
    pub fn names(&self) -> HashSet<&'a str> {
        self.fields.iter().map(|r| r.name).collect()
    }

    /// Whether `f` is the method or one of the helpers it reaches.
    pub fn visits(&self, f: &Function) -> bool {
        self.visited.iter().any(|v| v.node == f.node)
    }

    /// The first read of each field that feeds a value, not only a branch
    /// condition (`if self.readonly:` selects caching, not the hash).
    pub fn value_reads(&self) -> Vec<FieldRead<'a>> {
        let mut seen = HashSet::new();
        self.fields
            .iter()
            .filter(|r| !r.in_condition && seen.insert(r.name))
            .copied()
            .collect()
    }
}

/// Fields read by `root`, following `self.helper(...)` calls and properties
/// of the same class (each method visited once; no recursion).
pub(super) fn method_reads<'a>(
    cx: &Checker<'a>,
    class: &Class<'a>,
    root: &'a Function<'a>,
) -> MethodReads<'a> {
    let source = cx.source;
    let mut out = MethodReads::default();
    let mut seen: HashSet<usize> = HashSet::new();
    // (function, anchor in root for reads found inside it, via, the anchor
    // only decides a branch)
    let mut work: Vec<(&'a Function<'a>, Option<Node<'a>>, Option<&'a str>, bool)> =
        vec![(root, None, None, false)];
    seen.insert(root.node.id());
    while let Some((f, anchor, via, anchor_in_condition)) = work.pop() {
        out.visited.push(f);
        let conditions = condition_ranges(f);
        let Some(receiver) = f.receiver() else {
            continue;
        };
        if bare_receiver_uses(source, f, receiver) {
            out.opaque = true;
        }
        if f.scope
            .calls
            .iter()
            .any(|&c| syntax::callee_name(source, c) == Some("super"))
        {
            out.opaque = true;
        }
        for (node, attr) in f.self_attributes(source) {
            if is_store(node) {
                continue;
            }
            if attr == "__dict__" {
                out.opaque = true;
                continue;
            }
            if is_dunder(attr) {
                continue;
            }
            let here = anchor.unwrap_or(node);
            let in_condition =
                anchor_in_condition || conditions.iter().any(|r| r.contains(&node.start_byte()));
            if let Some(helper) = member(cx, class, attr) {
                let called = node.parent().is_some_and(|p| {
                    p.kind() == "call" && p.child_by_field_name("function") == Some(node)
                });
                if (called || helper.is_property())
                    && instance_method(helper)
                    && seen.insert(helper.node.id())
                {
                    work.push((
                        helper,
                        Some(here),
                        Some(via.unwrap_or(helper.name)),
                        in_condition,
                    ));
                }
                continue;
            }
            if is_descriptor_attribute(cx, class, attr) {
                // `real = property(...)`: reads we cannot follow.
                out.opaque = true;
                continue;
            }
            let called = node.parent().is_some_and(|p| {
                p.kind() == "call" && p.child_by_field_name("function") == Some(node)
            });
            if called {
                // A method inherited from a base we do not see here.
                out.opaque = true;
                continue;
            }
            out.fields.push(FieldRead {
                name: attr,
                anchor: here,
                via,
                in_condition,
            });
        }
    }
    out.fields.sort_by_key(|r| r.anchor.start_byte());
    out
}

/// Byte ranges of the conditions of `f`'s own `if`/`elif`/`while`s.
fn condition_ranges(f: &Function) -> Vec<Range<usize>> {
    syntax::descendants(f.body, true)
        .filter(|n| matches!(n.kind(), "if_statement" | "elif_clause" | "while_statement"))
        .filter_map(|n| n.child_by_field_name("condition"))
        .map(|c| c.byte_range())
        .collect()
}

/// A class-level attribute bound to a call (`real = property(_get_real)`,
/// `x = SomeDescriptor()`): reading it may run code we do not follow.
/// Annotated ones (`items: list = field(...)`) are declared fields.
fn is_descriptor_attribute(cx: &Checker, class: &Class, name: &str) -> bool {
    class.attributes.iter().any(|a| {
        a.name == name
            && a.annotation.is_none()
            && a.value
                .is_some_and(|v| syntax::unparenthesize(v).kind() == "call")
    }) && !cx.module.unconditional_methods(class).any(|f| {
        f.self_attributes(cx.source)
            .any(|(n, attr)| attr == name && is_store(n))
    })
}

/// The method or property getter `self.<name>` reaches: a property's
/// getter rather than its setter, else the last definition.
pub(super) fn member<'a>(
    cx: &Checker<'a>,
    class: &Class<'a>,
    name: &str,
) -> Option<&'a Function<'a>> {
    let mut defs = cx
        .module
        .unconditional_methods(class)
        .filter(|f| f.name == name);
    let mut last = None;
    for f in defs.by_ref() {
        let getter = f.has_decorator(&["property", "functools.cached_property", "cached_property"]);
        if getter {
            return Some(f);
        }
        last = Some(f);
    }
    last
}

/// The receiver used other than as `recv.attr`, `isinstance(recv, ...)`,
/// `type(recv)`, `id(recv)` or in an identity test.
fn bare_receiver_uses(source: &str, f: &Function, receiver: &str) -> bool {
    syntax::descendants(f.body, true).any(|n| {
        if !syntax::is_identifier(source, n, receiver) {
            return false;
        }
        let Some(parent) = n.parent() else {
            return false;
        };
        match parent.kind() {
            "attribute" => parent.child_by_field_name("object") != Some(n),
            "argument_list" => !parent
                .parent()
                .and_then(|call| syntax::callee_name(source, call))
                .is_some_and(|c| matches!(c, "isinstance" | "type" | "id")),
            "comparison_operator" => {
                let mut cursor = parent.walk();
                let ops: Vec<_> = parent
                    .children_by_field_name("operators", &mut cursor)
                    .map(|o| syntax::text(source, o))
                    .collect();
                !ops.iter().all(|o| matches!(*o, "is" | "is not"))
            }
            _ => true,
        }
    })
}

/// Mutable container types, by the name their constructor is spelled with.
const CONTAINERS: &[(&str, &str)] = &[
    ("list", "list"),
    ("dict", "dict"),
    ("set", "set"),
    ("bytearray", "bytearray"),
    ("defaultdict", "collections.defaultdict"),
    ("OrderedDict", "collections.OrderedDict"),
    ("Counter", "Counter"),
    ("deque", "collections.deque"),
    ("List", "list"),
    ("Dict", "dict"),
    ("Set", "set"),
    ("DefaultDict", "collections.defaultdict"),
    ("Deque", "collections.deque"),
    ("MutableSequence", "list"),
    ("MutableMapping", "dict"),
    ("MutableSet", "set"),
];

/// The container type a name denotes: `list`, `typing.List`, `collections.deque`.
fn container_name(name: &str) -> Option<&'static str> {
    let last = name.rsplit('.').next().unwrap_or(name);
    let qualified_ok = !name.contains('.')
        || [
            "typing.",
            "collections.",
            "collections.abc.",
            "typing_extensions.",
            "builtins.",
        ]
        .iter()
        .any(|p| name.strip_prefix(p).is_some_and(|rest| !rest.contains('.')));
    if !qualified_ok {
        return None;
    }
    CONTAINERS.iter().find(|(n, _)| *n == last).map(|(_, t)| *t)
}

/// The mutable container a value expression certainly builds.
pub(super) fn value_container(source: &str, value: Node) -> Option<&'static str> {
    let value = syntax::unparenthesize(value);
    match value.kind() {
        "list" | "list_comprehension" => Some("list"),
        "dictionary" | "dictionary_comprehension" => Some("dict"),
        "set" | "set_comprehension" => Some("set"),
        "call" => {
            let callee = syntax::callee_name(source, value)?;
            if callee == "sorted" {
                return Some("list");
            }
            if syntax::name_matches(callee, "dataclasses.field")
                || callee == "attr.ib"
                || callee == "attrs.field"
            {
                let factory = syntax::keyword_args(source, value)
                    .into_iter()
                    .find(|(k, _)| matches!(*k, "default_factory" | "factory"))?;
                return container_name(syntax::dotted_name(source, factory.1)?);
            }
            container_name(callee)
        }
        _ => None,
    }
}

/// The mutable container an annotation names (`list[int]`, `List[str]`,
/// `"dict"`). Optional/union annotations are not certain and give None.
pub(super) fn annotation_container(source: &str, annotation: Node) -> Option<&'static str> {
    let mut node = annotation;
    if node.kind() == "type" {
        node = node.named_child(0)?;
    }
    let text = syntax::text(source, node).trim();
    let text = text.trim_matches(|c| c == '"' || c == '\'').trim();
    // `Name` or `Name[...]` spanning the whole annotation (not a union).
    let head = match text.split_once('[') {
        Some((head, rest)) => {
            let inner = rest.strip_suffix(']')?;
            let mut depth = 0i32;
            for c in inner.chars() {
                depth += match c {
                    '[' => 1,
                    ']' => -1,
                    _ => 0,
                };
                if depth < 0 {
                    return None;
                }
            }
            head.trim()
        }
        None => text,
    };
    if head.is_empty()
        || !head
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
    {
        return None;
    }
    container_name(head)
}

/// What the class says about one attribute's type.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct AttrKind {
    /// Some assignment (or the class-level declaration) makes it a container.
    pub container: Option<&'static str>,
    /// Every assignment and declaration seen makes it that same container.
    pub always: bool,
    /// Some method stores a container-annotated parameter as is
    /// (`self.items = items`): the caller keeps a reference to it.
    pub aliases_argument: bool,
}

/// Whether `attr` holds a mutable container, from the class-level
/// declaration and every `self.attr = value` in the class's methods.
pub(super) fn container_kind(cx: &Checker, class: &Class, attr: &str) -> AttrKind {
    let source = cx.source;
    let mut kinds: Vec<Option<&'static str>> = Vec::new();
    let mut aliases_argument = false;
    for a in class.attributes.iter().filter(|a| a.name == attr) {
        if a.value.is_some_and(|v| v.kind() == "none") {
            // `items: list = None`: not a container until someone sets one.
            kinds.push(None);
            continue;
        }
        let from_annotation = a.annotation.and_then(|t| annotation_container(source, t));
        let from_value = a.value.and_then(|v| value_container(source, v));
        kinds.push(from_annotation.or(from_value));
    }
    for f in cx.module.unconditional_methods(class) {
        let Some(receiver) = f.receiver().filter(|_| instance_method(f)) else {
            continue;
        };
        for &assignment in &f.scope.assignments {
            if assignment.kind() != "assignment" {
                continue;
            }
            let Some(left) = assignment.child_by_field_name("left") else {
                continue;
            };
            if receiver_attr(source, left, receiver) != Some(attr) {
                continue;
            }
            let annotated = assignment
                .child_by_field_name("type")
                .and_then(|t| annotation_container(source, t));
            let right = assignment.child_by_field_name("right");
            let from_value = right.and_then(|v| value_container(source, v));
            let from_param = right
                .filter(|v| v.kind() == "identifier")
                .and_then(|v| f.params.iter().find(|p| p.name == syntax::text(source, v)))
                .and_then(|p| p.annotation)
                .and_then(|t| annotation_container(source, t));
            aliases_argument |= from_param.is_some();
            kinds.push(annotated.or(from_value).or(from_param));
        }
    }
    let container = kinds.iter().flatten().next().copied();
    AttrKind {
        container,
        always: container.is_some() && kinds.iter().all(|k| *k == container),
        aliases_argument,
    }
}

/// Method names that change a container in place.
const UNAMBIGUOUS_MUTATORS: &[&str] = &[
    "append",
    "extend",
    "insert",
    "setdefault",
    "popitem",
    "appendleft",
    "extendleft",
    "difference_update",
    "intersection_update",
    "symmetric_difference_update",
];
const CONTAINER_MUTATORS: &[&str] = &[
    "add", "update", "pop", "clear", "remove", "discard", "sort", "reverse",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum MutationKind {
    /// `self.x = ...`, `self.x += ...`, `del self.x`, `setattr(self, "x", ...)`.
    Reassign,
    /// `self.x.append(...)`, `self.x[k] = ...`, `del self.x[k]`.
    InPlace,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Mutation<'a> {
    pub attr: &'a str,
    pub method: &'a Function<'a>,
    pub kind: MutationKind,
}

/// Methods that only set up state: constructors, unpickling, and the
/// helpers they call (`self._setup()` from `__init__`), transitively.
pub(super) fn setup_methods(cx: &Checker, class: &Class) -> HashSet<usize> {
    const SETUP: &[&str] = &[
        "__init__",
        "__new__",
        "__post_init__",
        "__setstate__",
        "__init_subclass__",
        "__set_name__",
        "__attrs_post_init__",
    ];
    let mut out: HashSet<usize> = HashSet::new();
    let mut work: Vec<&Function> = cx
        .module
        .unconditional_methods(class)
        .filter(|f| SETUP.contains(&f.name))
        .collect();
    while let Some(f) = work.pop() {
        if !out.insert(f.node.id()) {
            continue;
        }
        work.extend(called_helpers(cx, class, f));
        // `__new__` builds the instance in a local: `obj._setup(...)`.
        for &call in &f.scope.calls {
            let Some(callee) = call
                .child_by_field_name("function")
                .filter(|c| c.kind() == "attribute")
            else {
                continue;
            };
            let object_is_name = callee
                .child_by_field_name("object")
                .is_some_and(|o| o.kind() == "identifier");
            let name = callee.child_by_field_name("attribute").map(|a| cx.text(a));
            if let (true, Some(name)) = (object_is_name, name) {
                work.extend(member(cx, class, name).filter(|m| instance_method(m)));
            }
        }
    }
    out
}

/// Same-class methods `f` calls as `self.m(...)` or reads as properties.
pub(super) fn called_helpers<'a>(
    cx: &Checker<'a>,
    class: &Class<'a>,
    f: &'a Function<'a>,
) -> Vec<&'a Function<'a>> {
    f.self_attributes(cx.source)
        .map(|(_, name)| name)
        .filter_map(|name| member(cx, class, name))
        .filter(|m| instance_method(m))
        .collect()
}

/// Every reassignment or in-place change of a `self` attribute made by
/// methods of `class` other than the setup methods (see `setup_methods`).
pub(super) fn mutations<'a>(
    cx: &Checker<'a>,
    class: &Class<'a>,
    setup: &HashSet<usize>,
) -> Vec<Mutation<'a>> {
    let source = cx.source;
    let mut out = Vec::new();
    for f in cx.module.unconditional_methods(class) {
        if setup.contains(&f.node.id()) || !instance_method(f) {
            continue;
        }
        let Some(receiver) = f.receiver() else {
            continue;
        };
        let mut push = |attr: &'a str, kind| {
            out.push(Mutation {
                attr,
                method: f,
                kind,
            })
        };
        let mut targets = Vec::new();
        for &a in &f.scope.assignments {
            if let Some(left) = a.child_by_field_name("left") {
                targets.push(left);
            }
        }
        for &d in &f.scope.deletes {
            targets.extend(syntax::descendants(d, true).skip(1).filter(|n| {
                n.parent().is_some_and(|p| {
                    p == d || p.kind() == "expression_list" && p.parent() == Some(d)
                })
            }));
        }
        for target in targets {
            let mut stack = vec![target];
            while let Some(t) = stack.pop() {
                match t.kind() {
                    "pattern_list" | "tuple_pattern" | "list_pattern" | "expression_list" => {
                        let mut cursor = t.walk();
                        stack.extend(t.named_children(&mut cursor));
                    }
                    "attribute" => {
                        if let Some(attr) = receiver_attr(source, t, receiver) {
                            push(attr, MutationKind::Reassign);
                        }
                    }
                    "subscript" => {
                        let value = t.child_by_field_name("value");
                        if let Some(attr) = value.and_then(|v| receiver_attr(source, v, receiver)) {
                            push(attr, MutationKind::InPlace);
                        }
                    }
                    _ => {}
                }
            }
        }
        for &call in &f.scope.calls {
            let Some(callee) = call.child_by_field_name("function") else {
                continue;
            };
            let args = syntax::positional_args(call);
            let name = syntax::callee_name(source, call);
            if matches!(name, Some("setattr" | "object.__setattr__")) {
                let on_self = args
                    .first()
                    .is_some_and(|a| syntax::is_identifier(source, *a, receiver));
                if let (true, Some(attr)) = (
                    on_self,
                    args.get(1).and_then(|a| syntax::string_value(source, *a)),
                ) {
                    push(attr, MutationKind::Reassign);
                }
                continue;
            }
            if callee.kind() != "attribute" {
                continue;
            }
            let (Some(object), Some(method)) = (
                callee.child_by_field_name("object"),
                callee.child_by_field_name("attribute"),
            ) else {
                continue;
            };
            let Some(attr) = receiver_attr(source, object, receiver) else {
                continue;
            };
            let method = syntax::text(source, method);
            let mutates = UNAMBIGUOUS_MUTATORS.contains(&method)
                || CONTAINER_MUTATORS.contains(&method)
                    && container_kind(cx, class, attr).container.is_some();
            if mutates {
                push(attr, MutationKind::InPlace);
            }
        }
    }
    out
}

/// For a condition: is it a type test on `other`, and which way?
/// `Some(true)`: true when `other` is foreign (`not isinstance(other, T)`,
/// `type(other) is not T`, `type(self) != type(other)`); `Some(false)`: true
/// when `other` is of the type (`isinstance(other, T)`); None otherwise.
pub(super) fn type_test(source: &str, condition: Node, other: &str) -> Option<bool> {
    // Unwrap `not` and parentheses without recursion.
    let mut node = syntax::unparenthesize(condition);
    let mut negated = false;
    while node.kind() == "not_operator" {
        negated = !negated;
        node = syntax::unparenthesize(node.child_by_field_name("argument")?);
    }
    let negative = match node.kind() {
        "call" => {
            let (subject, _) = syntax::isinstance_types(source, node)?;
            syntax::is_identifier(source, syntax::unparenthesize(subject), other)
                .then_some(false)?
        }
        "comparison_operator" => {
            let mut cursor = node.walk();
            let ops: Vec<_> = node
                .children_by_field_name("operators", &mut cursor)
                .map(|o| syntax::text(source, o))
                .collect();
            let [op] = ops.as_slice() else { return None };
            let negative = match *op {
                "is not" | "!=" => true,
                "is" | "==" => false,
                _ => return None,
            };
            let mut cursor = node.walk();
            let operands: Vec<_> = node.named_children(&mut cursor).collect();
            operands
                .iter()
                .any(|o| is_type_of(source, *o, other))
                .then_some(negative)?
        }
        _ => return None,
    };
    Some(negative != negated)
}

/// `type(other)` or `other.__class__`.
fn is_type_of(source: &str, node: Node, other: &str) -> bool {
    let node = syntax::unparenthesize(node);
    match node.kind() {
        "call" => {
            syntax::callee_name(source, node) == Some("type")
                && syntax::positional_args(node)
                    .first()
                    .is_some_and(|a| syntax::is_identifier(source, *a, other))
        }
        "attribute" => receiver_attr(source, node, other) == Some("__class__"),
        _ => false,
    }
}

/// The condition of the `if`/`elif` whose consequence block contains
/// `node` most closely within `function`, if any.
pub(super) fn guarding_condition<'a>(node: Node<'a>, function: &Function<'a>) -> Option<Node<'a>> {
    let at = node.start_byte();
    syntax::descendants(function.body, true)
        .filter(|n| matches!(n.kind(), "if_statement" | "elif_clause"))
        .filter_map(|n| {
            Some((
                n.child_by_field_name("consequence")?,
                n.child_by_field_name("condition")?,
            ))
        })
        .filter(|(block, _)| block.byte_range().contains(&at))
        .min_by_key(|(block, _)| block.byte_range().len())
        .map(|(_, condition)| condition)
}

/// Dataclass flags of a class decorated with `@dataclass(...)`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Dataclass {
    pub frozen: bool,
    pub unsafe_hash: bool,
}

pub(super) fn dataclass(cx: &Checker, class: &Class) -> Option<Dataclass> {
    let d = class.decorators.iter().find(|d| {
        let qualified = cx.module.qualified_name(d.name);
        matches!(
            qualified.as_str(),
            "dataclasses.dataclass" | "dataclass" | "pydantic.dataclasses.dataclass"
        )
    })?;
    let flag = |key: &str| {
        d.keywords
            .iter()
            .any(|k| k.name == key && cx.text(k.value) == "True")
    };
    Some(Dataclass {
        frozen: flag("frozen"),
        unsafe_hash: flag("unsafe_hash"),
    })
}

/// A dataclass field: an annotated class-level name that is not a
/// `ClassVar`/`InitVar`/`KW_ONLY` pseudo-field.
pub(super) fn dataclass_fields<'c, 'a>(
    cx: &Checker<'a>,
    class: &'c Class<'a>,
) -> impl Iterator<Item = &'c dunderls_python::ClassAttribute<'a>> {
    let source = cx.source;
    class.attributes.iter().filter(move |a| {
        a.annotation.is_some_and(|t| {
            let text = syntax::text(source, t).trim_matches(|c| c == '"' || c == '\'');
            !["ClassVar", "InitVar", "KW_ONLY"]
                .iter()
                .any(|p| text.starts_with(p) || text.contains(&format!(".{p}")))
        })
    })
}

/// A container-typed field of a non-frozen dataclass (the DUN405 case).
pub(super) fn mutable_dataclass_field(
    cx: &Checker,
    class: &Class,
    name: &str,
) -> Option<&'static str> {
    let dc = dataclass(cx, class)?;
    if dc.frozen {
        return None;
    }
    let field = dataclass_fields(cx, class).find(|a| a.name == name)?;
    field
        .annotation
        .and_then(|t| annotation_container(cx.source, t))
        .or_else(|| field.value.and_then(|v| value_container(cx.source, v)))
}

/// Fields whose values are hashed as such by `hash(...)` calls in the
/// given functions: `hash(self.x)`, `hash((self.a, self.x))`, and through a
/// helper's returned tuple, `hash(self._key())`. Returns (field, node).
pub(super) fn directly_hashed<'a>(
    cx: &Checker<'a>,
    class: &Class<'a>,
    functions: &[&'a Function<'a>],
) -> Vec<(&'a str, Node<'a>)> {
    let source = cx.source;
    let mut out = Vec::new();
    for f in functions {
        let Some(receiver) = f.receiver() else {
            continue;
        };
        for &call in &f.scope.calls {
            if syntax::callee_name(source, call) != Some("hash") {
                continue;
            }
            let mut work: Vec<(Node<'a>, &str, usize)> = syntax::positional_args(call)
                .into_iter()
                .map(|a| (a, receiver, 0))
                .collect();
            while let Some((expr, recv, depth)) = work.pop() {
                let expr = syntax::unparenthesize(expr);
                match expr.kind() {
                    "tuple" | "expression_list" => {
                        let mut cursor = expr.walk();
                        work.extend(expr.named_children(&mut cursor).map(|e| (e, recv, depth)));
                    }
                    "attribute" => {
                        if let Some(attr) = receiver_attr(source, expr, recv) {
                            if member(cx, class, attr).is_none() {
                                out.push((attr, expr));
                            }
                        }
                    }
                    "call" if depth == 0 => {
                        let helper = expr
                            .child_by_field_name("function")
                            .and_then(|c| receiver_attr(source, c, recv))
                            .and_then(|name| member(cx, class, name))
                            .filter(|h| instance_method(h));
                        let Some(helper) = helper else { continue };
                        let Some(helper_recv) = helper.receiver() else {
                            continue;
                        };
                        for &ret in &helper.scope.returns {
                            if let Some(value) = ret.named_child(0) {
                                work.push((value, helper_recv, depth + 1));
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    out
}

/// `hash` is rebound in this module (imported, defined or assigned at
/// module level), so `hash(...)` may not be the builtin.
pub(super) fn hash_is_shadowed(cx: &Checker) -> bool {
    let m = cx.module;
    m.imports.iter().any(|i| i.bound == "hash")
        || m.functions
            .iter()
            .any(|f| f.name == "hash" && f.class.is_none() && f.parent_function.is_none())
        || m.scope.assignments.iter().any(|a| {
            a.child_by_field_name("left")
                .is_some_and(|l| syntax::is_identifier(cx.source, l, "hash"))
        })
}
