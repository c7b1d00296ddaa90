//! Facts shared by the container rules (DUN2xx) and the repr rules (DUN3xx):
//! the collections.abc table, a view of a class's bases tailored to
//! "is method X provided?", and what kind of value a `self` attribute holds.
//!
//! The ABC table below is a local copy until the data-model crate provides
//! every ABC through `dunderls_datamodel::abc(name)` (the stub in this tree
//! knows only MutableMapping). It uses the data model's own `AbcInfo` type so
//! that switching over is a one-line change in [`abc`].

use std::collections::HashMap;
use std::sync::Arc;

use dunderls_datamodel::AbcInfo;

use crate::hierarchy::{self, Ancestor, ClassSummary};
use crate::rules::prelude::*;

/// A collections.abc ABC by its bare name (`MutableMapping`).
pub(crate) fn abc(name: &str) -> Option<&'static AbcInfo> {
    dunderls_datamodel::abc(name)
}

/// The ABC a fully qualified name denotes: `collections.abc.Mapping`,
/// `_collections_abc.Mapping`, `typing.Mapping`, `typing.AbstractSet`
/// (`typing.Set` is the builtin `set`, not an ABC).
pub(crate) fn abc_for_qualified(qualified: &str) -> Option<&'static AbcInfo> {
    if typing_concrete(qualified).is_some() || !qualified.contains('.') {
        return None;
    }
    match qualified.strip_prefix("_collections_abc.") {
        Some(bare) => dunderls_datamodel::abc(&format!("collections.abc.{bare}")),
        None => dunderls_datamodel::abc(qualified),
    }
}

/// Classes whose `__getitem__` consults `__missing__`: dict and its
/// standard subclasses, `collections.UserDict` (its `__getitem__` calls
/// `self.__missing__`) and `collections.ChainMap` (likewise).
const MISSING_AWARE: &[&str] = &[
    "dict",
    "builtins.dict",
    "collections.UserDict",
    "collections.defaultdict",
    "collections.OrderedDict",
    "collections.Counter",
    "collections.ChainMap",
    "typing.Dict",
    "typing.DefaultDict",
    "typing.OrderedDict",
    "typing.Counter",
    "typing.ChainMap",
    "typing_extensions.OrderedDict",
    "typing_extensions.DefaultDict",
    "typing_extensions.Counter",
    "typing_extensions.ChainMap",
];

pub(crate) fn is_missing_aware(qualified: &str) -> bool {
    MISSING_AWARE.contains(&qualified)
}

/// Typing aliases of builtin and `collections` classes: `typing.List` is
/// `list`, `typing.Set` is `set`, ...
fn typing_concrete(qualified: &str) -> Option<&'static str> {
    qualified
        .strip_prefix("typing.")
        .or_else(|| qualified.strip_prefix("typing_extensions."))
        .and_then(hierarchy::typing_builtin_alias)
}

/// A class's resolved ancestors, sorted by what the container rules ask.
#[derive(Debug, Default)]
pub(crate) struct Lineage {
    /// User classes (same file or workspace), nearest first.
    pub user: Vec<Arc<ClassSummary>>,
    pub abcs: Vec<&'static AbcInfo>,
    /// Builtin and standard-library classes other than `object`, `abc.ABC`
    /// and typing's `Generic`/`Protocol`.
    pub builtins: Vec<String>,
    /// Bases nothing resolves: rules stay silent.
    pub unknown: Vec<String>,
    /// `abc.ABC` is among the ancestors.
    pub explicit_abc: bool,
    /// The class or a user base has a custom metaclass or a class decorator
    /// that may add methods we do not see.
    pub opaque: bool,
}

impl Lineage {
    pub fn of(cx: &Checker, class: &Class) -> Lineage {
        let mut out = Lineage::default();
        for ancestor in &cx.ancestry(class).ancestors {
            match ancestor {
                Ancestor::Class(c) => out.user.push(c.clone()),
                Ancestor::Abc(info) => match abc(info.name) {
                    Some(local) => out.abcs.push(local),
                    None => out.abcs.push(info),
                },
                Ancestor::Builtin(b) if b == "object" || b == "builtins.object" => {}
                Ancestor::Builtin(b) if b == "abc.ABC" => out.explicit_abc = true,
                Ancestor::Builtin(b) => out.builtins.push(b.clone()),
                Ancestor::Transparent(_) => {}
                Ancestor::Unknown(name) => {
                    if let Some(local) = abc_for_qualified(name) {
                        out.abcs.push(local);
                    } else if let Some(concrete) = typing_concrete(name) {
                        out.builtins.push(concrete.to_string());
                    } else {
                        out.unknown.push(name.clone());
                    }
                }
            }
        }
        out.opaque = class_is_opaque(cx, class) || out.user.iter().any(|c| summary_is_opaque(c));
        out
    }

    /// Every ancestor resolved, and no metaclass or decorator that may add
    /// methods.
    pub fn complete(&self) -> bool {
        self.unknown.is_empty() && !self.opaque
    }

    /// Only user classes (and object / abc.ABC / Generic): every method the
    /// class has is visible in the source.
    pub fn only_user_classes(&self) -> bool {
        self.complete() && self.builtins.is_empty() && self.abcs.is_empty()
    }

    /// A user-class ancestor defines `name` (method or class attribute).
    pub fn user_defines(&self, name: &str) -> bool {
        self.user.iter().any(|c| c.defines(name))
    }

    /// An ABC ancestor provides `name` as a concrete (mixin) method.
    pub fn abc_provides(&self, name: &str) -> bool {
        self.abcs.iter().any(|a| a.mixin_methods.contains(&name))
    }

    pub fn inherits_missing_aware(&self) -> bool {
        self.builtins.iter().any(|b| is_missing_aware(b))
    }
}

/// "`a`, `b` and `c`".
pub(crate) fn and_list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// Class decorators that add no special methods the rules ask about (or only
/// ones the class can already see, like dataclass's `__eq__`).
const NEUTRAL_DECORATORS: &[&str] = &[
    "dataclass",
    "total_ordering",
    "final",
    "runtime_checkable",
    "unique",
];

fn neutral_decorator(name: &str) -> bool {
    NEUTRAL_DECORATORS.contains(&name.rsplit('.').next().unwrap_or(name))
}

fn class_is_opaque(cx: &Checker, class: &Class) -> bool {
    class.keywords.iter().any(|k| {
        k.name == "metaclass"
            && !hierarchy::is_plain_metaclass(&cx.module.qualified_name(cx.text(k.value)))
    }) || class.decorators.iter().any(|d| !neutral_decorator(d.name))
}

fn summary_is_opaque(summary: &ClassSummary) -> bool {
    summary
        .metaclass
        .as_deref()
        .is_some_and(|m| !hierarchy::is_plain_metaclass(m))
        || summary.decorators.iter().any(|d| !neutral_decorator(d))
}

/// The class body itself defines `name` (a method or a class attribute).
pub(crate) fn class_defines(cx: &Checker, class: &Class, name: &str) -> bool {
    cx.module.method(class, name).is_some()
        || class.attributes.iter().any(|a| a.name == name)
        || unpacked_class_names(cx, class).contains(&name)
}

/// Names bound in the class body by unpacking:
/// `__len__, __iter__ = _make_sequence_methods("_items")`.
fn unpacked_class_names<'a>(cx: &Checker<'a>, class: &Class<'a>) -> Vec<&'a str> {
    let Some(body) = class.node.child_by_field_name("body") else {
        return Vec::new();
    };
    syntax::statements(body)
        .into_iter()
        .filter(|s| s.kind() == "expression_statement")
        .filter_map(|s| s.named_child(0).filter(|a| a.kind() == "assignment"))
        .filter_map(|a| a.child_by_field_name("left"))
        .filter(|left| {
            matches!(
                left.kind(),
                "pattern_list" | "tuple_pattern" | "list_pattern"
            )
        })
        .flat_map(|left| {
            let mut cursor = left.walk();
            left.named_children(&mut cursor)
                .filter(|n| n.kind() == "identifier")
                .map(|n| cx.text(n))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The class or a user-class ancestor defines `name`.
pub(crate) fn defines_or_inherits(
    cx: &Checker,
    class: &Class,
    lineage: &Lineage,
    name: &str,
) -> bool {
    class_defines(cx, class, name) || lineage.user_defines(name)
}

/// `class P(Protocol)` / `class P(typing.Protocol[T])`: an interface.
pub(crate) fn is_protocol(cx: &Checker, class: &Class) -> bool {
    class.bases.iter().filter_map(|b| b.name).any(|n| {
        matches!(
            cx.module.qualified_name(n).as_str(),
            "typing.Protocol" | "typing_extensions.Protocol"
        )
    })
}

/// An abstract, overload or stub method (`...`, `pass`, docstring,
/// `raise NotImplementedError`): a declaration, not an implementation.
pub(crate) fn is_placeholder(function: &Function) -> bool {
    function.is_overload() || function.is_stub()
}

/// The name an exception expression raises: `KeyError` for `KeyError(k)`,
/// `builtins.KeyError` reduced to `KeyError`.
pub(crate) fn raised_name<'a>(cx: &Checker<'a>, raise: Node<'a>) -> Option<&'a str> {
    let exc = syntax::unparenthesize(raise.named_child(0)?);
    let target = if exc.kind() == "call" {
        exc.child_by_field_name("function")?
    } else {
        exc
    };
    let name = syntax::dotted_name(cx.source, target)?;
    Some(name.strip_prefix("builtins.").unwrap_or(name))
}

/// A `raise` statement without an exception (re-raise).
pub(crate) fn is_bare_raise(raise: Node) -> bool {
    raise.named_child(0).is_none()
}

/// The expression of a `return` statement, unparenthesized.
pub(crate) fn returned_value(ret: Node) -> Option<Node> {
    ret.named_child(0).map(syntax::unparenthesize)
}

/// `return`, `return None`.
pub(crate) fn returns_nothing(cx: &Checker, ret: Node) -> bool {
    returned_value(ret).is_none_or(|v| cx.text(v) == "None")
}

/// `self.<attr>` for the given receiver name: the attribute name.
pub(crate) fn self_attribute<'a>(
    cx: &Checker<'a>,
    node: Node<'a>,
    receiver: &str,
) -> Option<&'a str> {
    let node = syntax::unparenthesize(node);
    if node.kind() != "attribute" {
        return None;
    }
    let object = node.child_by_field_name("object")?;
    if !syntax::is_identifier(cx.source, object, receiver) {
        return None;
    }
    Some(cx.text(node.child_by_field_name("attribute")?))
}

/// What a value is, as far as the source shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    List,
    /// A tuple built from an iterable (`tuple(xs)`): any length.
    Tuple,
    /// A tuple display (`(a, b)`): a fixed, small length.
    TupleDisplay,
    Dict,
    DefaultDict,
    Counter,
    OrderedDict,
    Set,
    FrozenSet,
    Deque,
    Str,
    Bytes,
    Range,
    /// `d.keys()` / `d.values()` / `d.items()` of a dict.
    DictView,
    /// Anything else (or conflicting assignments).
    Unknown,
}

impl Kind {
    /// The runtime type name CPython prints for it.
    pub fn type_name(self) -> &'static str {
        match self {
            Kind::List => "list",
            Kind::Tuple | Kind::TupleDisplay => "tuple",
            Kind::Dict => "dict",
            Kind::DefaultDict => "collections.defaultdict",
            Kind::Counter => "Counter",
            Kind::OrderedDict => "collections.OrderedDict",
            Kind::Set => "set",
            Kind::FrozenSet => "frozenset",
            Kind::Deque => "collections.deque",
            Kind::Str => "str",
            Kind::Bytes => "bytes",
            Kind::Range => "range",
            Kind::DictView => "dict view",
            Kind::Unknown => "object",
        }
    }

    /// A mapping whose `[]` raises KeyError for a missing key.
    pub fn is_strict_mapping(self) -> bool {
        matches!(self, Kind::Dict | Kind::OrderedDict)
    }

    /// A mapping whose `[]` never raises (creates or defaults the entry).
    pub fn is_defaulting_mapping(self) -> bool {
        matches!(self, Kind::DefaultDict | Kind::Counter)
    }

    /// A sequence whose `[]` raises IndexError past the end.
    pub fn is_sequence(self) -> bool {
        matches!(
            self,
            Kind::List
                | Kind::Tuple
                | Kind::TupleDisplay
                | Kind::Str
                | Kind::Bytes
                | Kind::Range
                | Kind::Deque
        )
    }

    /// Iterable but not an iterator: `iter()` refuses it as `__iter__`'s result.
    pub fn is_non_iterator(self) -> bool {
        self != Kind::Unknown
    }

    /// A collection whose size follows the data (not a fixed tuple display).
    pub fn is_growing_collection(self) -> bool {
        matches!(
            self,
            Kind::List
                | Kind::Tuple
                | Kind::Dict
                | Kind::DefaultDict
                | Kind::Counter
                | Kind::OrderedDict
                | Kind::Set
                | Kind::FrozenSet
                | Kind::Deque
        )
    }
}

/// The kind of an expression from its syntax alone: displays,
/// comprehensions and constructor calls of builtin containers.
pub(crate) fn value_kind(cx: &Checker, node: Node) -> Kind {
    let node = syntax::unparenthesize(node);
    match node.kind() {
        "list" | "list_comprehension" => Kind::List,
        "tuple" | "expression_list" => Kind::TupleDisplay,
        "dictionary" | "dictionary_comprehension" => Kind::Dict,
        "set" | "set_comprehension" => Kind::Set,
        "string" | "concatenated_string" => {
            let t = cx.text(node).trim_start_matches(['r', 'R', 'f', 'F']);
            if t.starts_with(['b', 'B']) {
                Kind::Bytes
            } else {
                Kind::Str
            }
        }
        "binary_operator" => {
            // `[None] * n`, `[] + xs`: still a list.
            let op = node.child_by_field_name("operator").map(|o| cx.text(o));
            let left = node.child_by_field_name("left").map(syntax::unparenthesize);
            let right = node
                .child_by_field_name("right")
                .map(syntax::unparenthesize);
            let is_list = |n: Option<Node>| {
                n.is_some_and(|n| matches!(n.kind(), "list" | "list_comprehension"))
            };
            if matches!(op, Some("+") | Some("*")) && (is_list(left) || is_list(right)) {
                Kind::List
            } else {
                Kind::Unknown
            }
        }
        "call" => constructor_kind(cx, node),
        _ => Kind::Unknown,
    }
}

fn constructor_kind(cx: &Checker, call: Node) -> Kind {
    let Some(callee) = syntax::callee_name(cx.source, call) else {
        return Kind::Unknown;
    };
    // A local class or function shadowing the builtin name.
    if !callee.contains('.') && cx.module.class_named(callee).is_some() {
        return Kind::Unknown;
    }
    match cx.module.qualified_name(callee).as_str() {
        "list" | "sorted" => Kind::List,
        "tuple" => Kind::Tuple,
        "dict" => Kind::Dict,
        "set" => Kind::Set,
        "frozenset" => Kind::FrozenSet,
        "range" => Kind::Range,
        "collections.defaultdict" => Kind::DefaultDict,
        "collections.Counter" => Kind::Counter,
        "collections.OrderedDict" => Kind::OrderedDict,
        "collections.deque" => Kind::Deque,
        _ => Kind::Unknown,
    }
}

/// What each `self.<attr>` of a class holds, from every assignment in the
/// class body and its methods, and in those of its user-class bases defined
/// in the same file. An attribute assigned values of different kinds, or
/// anything we cannot classify, is `Unknown`; `None` does not count (the
/// usual "not loaded yet" placeholder).
pub(crate) fn attribute_kinds<'a>(cx: &Checker<'a>, class: &Class<'a>) -> HashMap<&'a str, Kind> {
    let mut classes = vec![class];
    let lineage = Lineage::of(cx, class);
    for base in &lineage.user {
        if base.module == cx.module_name {
            if let Some(c) = cx.module.class_named(&base.name) {
                classes.push(c);
            }
        }
    }
    let mut kinds: HashMap<&'a str, Kind> = HashMap::new();
    let mut none_only: Vec<&'a str> = Vec::new();
    for c in classes {
        collect_attribute_kinds(cx, c, &mut kinds, &mut none_only);
    }
    for name in none_only {
        kinds.entry(name).or_insert(Kind::Unknown);
    }
    kinds
}

fn collect_attribute_kinds<'a>(
    cx: &Checker<'a>,
    class: &Class<'a>,
    kinds: &mut HashMap<&'a str, Kind>,
    none_only: &mut Vec<&'a str>,
) {
    let mut record = |name: &'a str, kind: Kind| {
        kinds
            .entry(name)
            .and_modify(|k| {
                if *k != kind {
                    *k = Kind::Unknown;
                }
            })
            .or_insert(kind);
    };
    for attr in &class.attributes {
        match attr.value {
            Some(v) if cx.text(v) == "None" => none_only.push(attr.name),
            Some(v) => record(attr.name, value_kind(cx, v)),
            None => {}
        }
    }
    for method in cx.module.methods(class) {
        if method.is_staticmethod() || method.is_classmethod() {
            continue;
        }
        let Some(receiver) = method.receiver() else {
            continue;
        };
        for &assignment in &method.scope.assignments {
            let augmented = assignment.kind() == "augmented_assignment";
            let mut current = assignment;
            // `self.a = self.b = value`: every target gets the final value.
            let mut targets = Vec::new();
            let value = loop {
                if let Some(left) = current.child_by_field_name("left") {
                    targets.push(left);
                }
                match current.child_by_field_name("right") {
                    Some(right) if right.kind() == "assignment" => current = right,
                    other => break other,
                }
            };
            for target in targets {
                if let Some(name) = self_attribute(cx, target, receiver) {
                    if augmented {
                        continue;
                    }
                    match value {
                        Some(v) if cx.text(v) == "None" => none_only.push(name),
                        Some(v) => record(name, value_kind(cx, v)),
                        None => {}
                    }
                } else if matches!(
                    target.kind(),
                    "pattern_list" | "tuple_pattern" | "list_pattern"
                ) {
                    for part in syntax::descendants(target, true) {
                        if let Some(name) = self_attribute(cx, part, receiver) {
                            record(name, Kind::Unknown);
                        }
                    }
                }
            }
        }
    }
}

/// The kind of the value a `return` (or any) expression produces inside
/// `function` of `class`: displays and constructors, `self.<attr>` with a
/// known kind, and `self.<dict attr>.keys()/values()/items()`.
pub(crate) fn expression_kind(
    cx: &Checker,
    node: Node,
    receiver: Option<&str>,
    attrs: &HashMap<&str, Kind>,
) -> Kind {
    let node = syntax::unparenthesize(node);
    let direct = value_kind(cx, node);
    if direct != Kind::Unknown {
        return direct;
    }
    let Some(receiver) = receiver else {
        return Kind::Unknown;
    };
    if let Some(attr) = self_attribute(cx, node, receiver) {
        return attrs.get(attr).copied().unwrap_or(Kind::Unknown);
    }
    if node.kind() == "call" && syntax::positional_args(node).is_empty() {
        let function = node.child_by_field_name("function");
        if let Some(function) = function.filter(|f| f.kind() == "attribute") {
            let method = function
                .child_by_field_name("attribute")
                .map(|a| cx.text(a));
            let object = function.child_by_field_name("object");
            if matches!(method, Some("keys" | "values" | "items")) {
                let object_kind = object
                    .and_then(|o| self_attribute(cx, o, receiver))
                    .and_then(|a| attrs.get(a).copied())
                    .unwrap_or(Kind::Unknown);
                if matches!(
                    object_kind,
                    Kind::Dict | Kind::DefaultDict | Kind::Counter | Kind::OrderedDict
                ) {
                    return Kind::DictView;
                }
            }
        }
    }
    Kind::Unknown
}

/// `isinstance(<param>, ...)` or `operator.index(...)` in a function: it
/// dispatches on the key's type, so int keys may take their own path.
pub(crate) fn dispatches_on_key_type(cx: &Checker, function: &Function, key: &str) -> bool {
    function.scope.calls.iter().any(|&call| {
        if let Some((subject, _)) = syntax::isinstance_types(cx.source, call) {
            return syntax::is_identifier(cx.source, syntax::unparenthesize(subject), key);
        }
        matches!(
            syntax::callee_name(cx.source, call),
            Some("operator.index" | "index" | "type" | "hasattr" | "int" | "range")
        ) || syntax::callee_last(cx.source, call)
            .is_some_and(|n| matches!(n, "__index__" | "indices"))
    })
}

/// The non-receiver parameter names of a method.
pub(crate) fn argument_names<'a>(function: &Function<'a>) -> Vec<&'a str> {
    let skip = usize::from(!function.is_staticmethod());
    function.params.iter().skip(skip).map(|p| p.name).collect()
}

/// Names an `except` clause catches (empty for a bare `except:`).
pub(crate) fn caught_names<'a>(cx: &Checker<'a>, clause: Node<'a>) -> Option<Vec<&'a str>> {
    let mut cursor = clause.walk();
    let value = clause
        .named_children(&mut cursor)
        .find(|c| !matches!(c.kind(), "block" | "comment"));
    let Some(mut value) = value else {
        return Some(Vec::new());
    };
    if value.kind() == "as_pattern" {
        value = value.named_child(0)?;
    }
    let value = syntax::unparenthesize(value);
    if value.kind() == "tuple" {
        let mut cursor = value.walk();
        return Some(
            value
                .named_children(&mut cursor)
                .filter_map(|n| syntax::dotted_name(cx.source, n))
                .map(|n| n.strip_prefix("builtins.").unwrap_or(n))
                .collect(),
        );
    }
    syntax::dotted_name(cx.source, value).map(|n| vec![n.strip_prefix("builtins.").unwrap_or(n)])
}

/// `node` sits in the body of a `try` (within `function`'s body) one of
/// whose handlers catches any of `names` (or everything).
pub(crate) fn caught_within(cx: &Checker, node: Node, stop: Node, names: &[&str]) -> bool {
    let mut child = node;
    let mut current = node.parent();
    while let Some(parent) = current {
        if parent == stop {
            break;
        }
        if parent.kind() == "try_statement" && parent.child_by_field_name("body") == Some(child) {
            let mut cursor = parent.walk();
            let catches = parent
                .named_children(&mut cursor)
                .filter(|c| matches!(c.kind(), "except_clause" | "except_group_clause"))
                .any(|c| {
                    caught_names(cx, c).is_some_and(|caught| {
                        caught.is_empty()
                            || caught.iter().any(|n| {
                                names.contains(n) || matches!(*n, "Exception" | "BaseException")
                            })
                    })
                });
            if catches {
                return true;
            }
        }
        child = parent;
        current = parent.parent();
    }
    false
}

/// Resolve a class named in an annotation (as written in this module) and
/// tell whether it defines `__len__` and `__bool__`, through its user-class
/// ancestors. None when any part of its hierarchy is unknown, or when it is
/// not a user class.
pub(crate) fn len_and_bool(cx: &Checker, name: &str) -> Option<(bool, bool)> {
    let head = name.split('.').next().unwrap_or(name);
    let imported = cx.module.import_of(head).is_some();
    if !imported && !name.contains('.') {
        let class = cx.module.class_named(name)?;
        if class.has_errors {
            return None;
        }
        let lineage = Lineage::of(cx, class);
        if !lineage.complete() {
            return None;
        }
        let mut has_len = defines_or_inherits(cx, class, &lineage, "__len__");
        let mut has_bool = defines_or_inherits(cx, class, &lineage, "__bool__");
        for builtin in &lineage.builtins {
            match builtin_truthiness(builtin)? {
                Truthiness::Len => has_len = true,
                Truthiness::Bool => has_bool = true,
            }
        }
        return Some((has_len, has_bool));
    }
    let Ancestor::Class(summary) =
        hierarchy::resolve_base(cx.module, cx.module_name, name, cx.index)
    else {
        return None;
    };
    // A class of another module: walk its bases through the index.
    let (mut has_len, mut has_bool) = (false, false);
    let mut queue = vec![summary];
    let mut seen = 0;
    while let Some(c) = queue.pop() {
        seen += 1;
        if seen > 64 {
            return None;
        }
        has_len |= c.defines("__len__");
        has_bool |= c.defines("__bool__");
        for base in &c.bases {
            match hierarchy::resolve_qualified(base, cx.index) {
                Ancestor::Class(next) => queue.push(next),
                Ancestor::Builtin(b) if b == "object" || b == "abc.ABC" => {}
                Ancestor::Transparent(_) | Ancestor::Abc(_) => {}
                Ancestor::Builtin(b) => match builtin_truthiness(&b)? {
                    Truthiness::Len => has_len = true,
                    Truthiness::Bool => has_bool = true,
                },
                Ancestor::Unknown(u) => {
                    abc_for_qualified(&u)?;
                }
            }
        }
    }
    Some((has_len, has_bool))
}

enum Truthiness {
    Len,
    Bool,
}

/// How a builtin base decides truthiness; None when we do not know.
fn builtin_truthiness(name: &str) -> Option<Truthiness> {
    let bare = name.strip_prefix("builtins.").unwrap_or(name);
    match bare {
        "dict"
        | "list"
        | "set"
        | "frozenset"
        | "tuple"
        | "str"
        | "bytes"
        | "bytearray"
        | "range"
        | "collections.UserDict"
        | "collections.UserList"
        | "collections.UserString"
        | "collections.OrderedDict"
        | "collections.defaultdict"
        | "collections.Counter"
        | "collections.deque"
        | "collections.ChainMap" => Some(Truthiness::Len),
        "int" | "float" | "complex" | "bool" => Some(Truthiness::Bool),
        _ => None,
    }
}

/// The class-level view of a container class that DUN201 and DUN205 share:
/// which of the protocol's methods are missing.
pub(crate) struct PartialProtocol {
    pub missing_len: bool,
    pub missing_iter: bool,
}

/// DUN201's finding for a class, if any: it defines `__getitem__` with
/// `__setitem__` or `__delitem__` (itself or through user bases) over a
/// store (`self.<attr>[key]`), inherits no ABC or builtin, and lacks
/// `__len__` and/or `__iter__`. A missing `__iter__` counts only when the
/// legacy protocol would not end cleanly (see [`legacy_iteration_failure`]).
pub(crate) fn partial_protocol(cx: &Checker, class: &Class) -> Option<PartialProtocol> {
    if class.has_errors || is_protocol(cx, class) {
        return None;
    }
    let own = ["__getitem__", "__setitem__", "__delitem__"]
        .iter()
        .any(|m| class_defines(cx, class, m));
    if !own {
        return None;
    }
    let lineage = Lineage::of(cx, class);
    if !lineage.only_user_classes() {
        return None;
    }
    let has = |name: &str| defines_or_inherits(cx, class, &lineage, name);
    if !(has("__getitem__") && (has("__setitem__") || has("__delitem__"))) {
        return None;
    }
    if cx
        .module
        .method(class, "__getitem__")
        .is_some_and(|g| is_placeholder(g))
        || !indexes_a_store(cx, class)
    {
        return None;
    }
    let missing_len = !has("__len__");
    let missing_iter = !has("__iter__") && legacy_iteration_failure(cx, class).is_some();
    (missing_len || missing_iter).then_some(PartialProtocol {
        missing_len,
        missing_iter,
    })
}

/// One of the class's own item methods indexes a `self.<attr>` holding a
/// builtin container (a dict, list, ... assigned in the class) with its key
/// parameter: the class is a container over a store, not an object whose
/// `obj[key]` means something else (tkinter's `widget["text"]` options, a
/// ctypes pointer, a wrapper of an arbitrary value).
fn indexes_a_store(cx: &Checker, class: &Class) -> bool {
    let attrs = attribute_kinds(cx, class);
    ["__getitem__", "__setitem__", "__delitem__"]
        .iter()
        .any(|name| {
            let Some(f) = cx.module.method(class, name) else {
                return false;
            };
            let (Some(receiver), Some(&key)) = (f.receiver(), argument_names(f).first()) else {
                return false;
            };
            f.scope.subscripts.iter().any(|&s| {
                let store = s
                    .child_by_field_name("value")
                    .and_then(|v| self_attribute(cx, v, receiver));
                let known =
                    store.is_some_and(|a| attrs.get(a).is_some_and(|k| *k != Kind::Unknown));
                let index = s.child_by_field_name("subscript");
                known
                    && index.is_some_and(|i| {
                        syntax::descendants(i, true)
                            .any(|n| syntax::is_identifier(cx.source, n, key))
                    })
            })
        })
}

/// How the legacy iteration protocol goes wrong for a class.
pub(crate) enum LegacyFailure<'a> {
    /// `__getitem__` raises KeyError for an int index past the end (or at
    /// 0 for a dict store): the loop fails. The node: the raise or return.
    Raises(Node<'a>),
    /// `__getitem__` returns a default (`.get()`, a defaultdict or Counter
    /// store, a wrapped-around index, an except that returns): the loop
    /// never ends.
    Defaults(Node<'a>),
}

/// Whether iterating the class through the legacy protocol (`x[0]`,
/// `x[1]`, ... until IndexError) fails or never ends, judging from its own
/// `__getitem__`. None when it ends cleanly or we cannot tell (IndexError
/// or StopIteration raised, dispatch on the key's type, unknown store).
pub(crate) fn legacy_iteration_failure<'a>(
    cx: &Checker<'a>,
    class: &Class<'a>,
) -> Option<LegacyFailure<'a>> {
    let getitem = cx.module.method(class, "__getitem__")?;
    if getitem.is_generator()
        || getitem.is_async
        || getitem.is_staticmethod()
        || getitem.is_classmethod()
    {
        return None;
    }
    let receiver = getitem.receiver()?;
    let key = *argument_names(getitem).first()?;
    if dispatches_on_key_type(cx, getitem, key) {
        return None;
    }
    let mut key_error = None;
    for &raise in &getitem.scope.raises {
        if is_bare_raise(raise) {
            return None;
        }
        match raised_name(cx, raise) {
            Some("IndexError" | "StopIteration" | "LookupError") | None => return None,
            Some("KeyError") if key_error.is_none() => key_error = Some(raise),
            _ => {}
        }
    }
    if let Some(raise) = key_error {
        return Some(LegacyFailure::Raises(raise));
    }
    let attrs = attribute_kinds(cx, class);
    let returns = &getitem.scope.returns;
    let mut defaults = None;
    for &ret in returns {
        let Some(value) = returned_value(ret) else {
            continue;
        };
        match value.kind() {
            "subscript" => {
                let kind = value
                    .child_by_field_name("value")
                    .and_then(|s| self_attribute(cx, s, receiver))
                    .and_then(|a| attrs.get(a).copied())
                    .unwrap_or(Kind::Unknown);
                let index = value.child_by_field_name("subscript");
                if kind.is_strict_mapping()
                    && index.is_some_and(|i| syntax::is_identifier(cx.source, i, key))
                {
                    if !caught_within(cx, ret, getitem.body, &["KeyError", "LookupError"]) {
                        return Some(LegacyFailure::Raises(ret));
                    }
                } else if kind.is_defaulting_mapping() || index.is_some_and(|i| wraps_around(cx, i))
                {
                    defaults.get_or_insert(ret);
                }
            }
            "call" => {
                let function = value
                    .child_by_field_name("function")
                    .filter(|f| f.kind() == "attribute");
                let method_name = function
                    .and_then(|f| f.child_by_field_name("attribute"))
                    .map(|a| cx.text(a));
                let kind = function
                    .and_then(|f| f.child_by_field_name("object"))
                    .and_then(|o| self_attribute(cx, o, receiver))
                    .map(|a| attrs.get(a).copied().unwrap_or(Kind::Unknown));
                let first_arg = syntax::positional_args(value).first().copied();
                if method_name == Some("get")
                    && kind.is_some_and(|k| !k.is_sequence())
                    && first_arg.is_some_and(|a| syntax::is_identifier(cx.source, a, key))
                {
                    defaults.get_or_insert(ret);
                }
            }
            _ => {}
        }
    }
    defaults
        .or_else(|| returning_handler(cx, getitem, returns))
        .map(LegacyFailure::Defaults)
}

/// `items[i % len(items)]`: the index wraps around, it never runs past the end.
fn wraps_around(cx: &Checker, index: Node) -> bool {
    let index = syntax::unparenthesize(index);
    index.kind() == "binary_operator"
        && index
            .child_by_field_name("operator")
            .is_some_and(|o| cx.text(o) == "%")
}

/// `except (KeyError, IndexError): return default`: the miss becomes a value.
fn returning_handler<'a>(
    cx: &Checker<'a>,
    getitem: &Function<'a>,
    returns: &[Node<'a>],
) -> Option<Node<'a>> {
    returns.iter().copied().find(|&ret| {
        let mut current = ret.parent();
        while let Some(node) = current {
            if node == getitem.body {
                return false;
            }
            if node.kind() == "except_clause" {
                return caught_names(cx, node).is_some_and(|names| {
                    names
                        .iter()
                        .any(|n| matches!(*n, "KeyError" | "IndexError" | "LookupError"))
                });
            }
            current = node.parent();
        }
        false
    })
}

/// Another class of this file inherits it: an intermediate base whose
/// subclasses complete the protocol (they are checked themselves).
pub(crate) fn has_subclass_in_file(cx: &Checker, class: &Class) -> bool {
    cx.module
        .classes_with_base(class.name)
        .any(|other| other.node != class.node)
}

/// The class fills its instance `__dict__` from data (`self.__dict__.update
/// (kwargs)`, `setattr(self, name, value)` with a computed name): a namespace
/// object with no fixed set of fields.
pub(crate) fn sets_attributes_dynamically(cx: &Checker, class: &Class) -> bool {
    cx.module.methods(class).any(|method| {
        if matches!(method.name, "__getattr__" | "__setattr__") {
            return false;
        }
        let Some(receiver) = method.receiver() else {
            return false;
        };
        method.scope.calls.iter().any(|&call| {
            let function = call
                .child_by_field_name("function")
                .map(|f| cx.text(f))
                .unwrap_or_default();
            let args = syntax::positional_args(call);
            let first_is_self = args
                .first()
                .is_some_and(|a| syntax::is_identifier(cx.source, *a, receiver));
            let name_arg = match function {
                "setattr" | "object.__setattr__" if first_is_self => args.get(1),
                f if f.starts_with("super(") && f.ends_with(".__setattr__") => args.first(),
                _ => None,
            };
            name_arg.is_some_and(|n| syntax::string_value(cx.source, *n).is_none())
                || function == format!("{receiver}.__dict__.update")
                || function == format!("vars({receiver}).update")
        })
    })
}
