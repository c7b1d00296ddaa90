//! Facts the special-method hygiene rules share. Candidates for the shared
//! model: `Decoration`/`decoration`, `received_arity`, `returned_types`
//! (`Ty`), `is_metaclass`, `is_builtin`, `plain_arguments`.

use std::collections::HashSet;

use dunderls_datamodel::{Arity, Binding, Protocol, SpecialMethod};

use crate::hierarchy::Ancestor;
use crate::rules::prelude::*;

/// What the decorators of a method do to the way Python calls it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Decoration {
    /// No decorator, or only ones that keep the function as it is.
    Plain,
    Static,
    Class,
    /// `@overload` stubs, properties, and decorators we do not know: the
    /// object in the class body may not be this function at all.
    Opaque,
}

/// Decorators that return the function unchanged (or a wrapper with the same
/// signature and return value).
const TRANSPARENT_DECORATORS: &[&str] = &[
    "abc.abstractmethod",
    "typing.override",
    "typing_extensions.override",
    "typing.final",
    "typing_extensions.final",
    "typing.no_type_check",
    "warnings.deprecated",
    "typing_extensions.deprecated",
    "functools.wraps",
];

pub(super) fn decoration(f: &Function) -> Decoration {
    let mut result = Decoration::Plain;
    for d in &f.decorators {
        if syntax::name_matches(d.name, "staticmethod") {
            result = Decoration::Static;
        } else if syntax::name_matches(d.name, "classmethod") {
            result = Decoration::Class;
        } else if !TRANSPARENT_DECORATORS
            .iter()
            .any(|t| syntax::name_matches(d.name, t))
        {
            return Decoration::Opaque;
        }
    }
    result
}

/// The special method a direct method of a class implements.
pub(super) fn special_method(f: &Function) -> Option<&'static SpecialMethod> {
    f.class?;
    dunderls_datamodel::lookup(f.name).filter(|sm| sm.binding != Binding::Attribute)
}

/// Positional arguments a method receives from Python's implicit call, as
/// the function itself sees them (after `self`/`cls` binding): the table's
/// arity shifted by the decorator. None when we cannot tell.
pub(super) fn received_arity(
    sm: &SpecialMethod,
    decoration: Decoration,
) -> Option<(Arity, Option<&'static str>)> {
    let shift = |a: Arity| Arity {
        min: a.min.saturating_sub(1),
        max: if a.is_variadic() {
            a.max
        } else {
            a.max.saturating_sub(1)
        },
    };
    match (sm.binding, decoration) {
        (_, Decoration::Opaque) | (Binding::Attribute, _) => None,
        // `@classmethod def __new__` and `@staticmethod def __init_subclass__`
        // are DUN604's findings.
        (Binding::ImplicitStatic, Decoration::Class)
        | (Binding::ImplicitClass, Decoration::Static) => None,
        (Binding::ImplicitStatic | Binding::ImplicitClass, _) => Some((sm.arity, None)),
        (Binding::ConventionalClass, Decoration::Class) => Some((sm.arity, None)),
        (Binding::ConventionalClass, Decoration::Static) => Some((
            shift(sm.arity),
            Some("a @staticmethod, so Python passes no `cls`"),
        )),
        (Binding::ConventionalClass, Decoration::Plain) => Some((
            shift(sm.arity),
            Some("not a @classmethod, so Python passes no `cls`"),
        )),
        (Binding::Instance, Decoration::Plain | Decoration::Class) => {
            // copy/pickle, dataclass and NumPy hooks are found by attribute
            // lookup on the class or the instance, each its own way: a
            // decorated one binds differently from the slot methods.
            if decoration == Decoration::Class && unusual_lookup(sm) {
                return None;
            }
            Some((sm.arity, None))
        }
        (Binding::Instance, Decoration::Static) => {
            if unusual_lookup(sm) {
                return None;
            }
            Some((
                shift(sm.arity),
                Some("a @staticmethod, so Python passes no `self`"),
            ))
        }
    }
}

fn unusual_lookup(sm: &SpecialMethod) -> bool {
    matches!(
        sm.protocol,
        Protocol::CopyPickle | Protocol::Dataclass | Protocol::NumPy
    )
}

/// Methods Python (or the library that calls them) passes keyword arguments
/// to: a required keyword-only parameter is fine there.
const TAKES_KEYWORDS: &[&str] = &[
    "__init_subclass__",
    "__prepare__",
    "__replace__",
    "__array__",
    "__array_ufunc__",
];

/// Why Python's implicit call of `f` (implementing `sm`) cannot succeed.
pub(super) enum SignatureProblem<'a> {
    /// No positional count Python passes fits the definition.
    Arity {
        passes: Arity,
        required: usize,
        accepted: Option<usize>,
        note: Option<&'static str>,
    },
    /// A keyword-only parameter without a default that Python never passes.
    KeywordOnly { name: &'a str },
}

pub(super) fn signature_problem<'a>(
    f: &Function<'a>,
    sm: &SpecialMethod,
) -> Option<SignatureProblem<'a>> {
    let (passes, note) = received_arity(sm, decoration(f))?;
    let (required, accepted) = f.positional_arity();
    let as_u8 = |n: usize| u8::try_from(n).unwrap_or(u8::MAX - 1);
    if !passes.admits(as_u8(required), accepted.map(as_u8)) {
        return Some(SignatureProblem::Arity {
            passes,
            required,
            accepted,
            note,
        });
    }
    if !passes.is_variadic() && !TAKES_KEYWORDS.contains(&sm.name) {
        if let Some(p) = f.required_keyword_only().next() {
            return Some(SignatureProblem::KeywordOnly { name: p.name });
        }
    }
    None
}

/// `1 positional argument`, `2 positional arguments`.
pub(super) fn arguments(n: usize) -> String {
    format!("{n} positional argument{}", if n == 1 { "" } else { "s" })
}

/// `2`, `1 or 2`, `2 to 4`, `at least 1`.
pub(super) fn count_range(a: Arity) -> String {
    if a.is_variadic() {
        format!("at least {}", a.min)
    } else if a.min == a.max {
        a.min.to_string()
    } else if a.max == a.min + 1 {
        format!("{} or {}", a.min, a.max)
    } else {
        format!("{} to {}", a.min, a.max)
    }
}

/// A class whose instances are classes: it derives from `type` (or a
/// well-known metaclass), directly or through classes we can resolve.
pub(super) fn is_metaclass(cx: &Checker, class: &Class) -> bool {
    let is_meta_name = |n: &str| {
        let last = n.rsplit('.').next().unwrap_or(n);
        last == "type"
            || last.ends_with("Meta")
            || last.ends_with("Metaclass")
            || last == "EnumType"
    };
    if class.bases.iter().filter_map(|b| b.name).any(is_meta_name) {
        return true;
    }
    cx.ancestry(class).ancestors.iter().any(|a| match a {
        Ancestor::Builtin(n) | Ancestor::Unknown(n) => is_meta_name(n),
        Ancestor::Class(c) => c.bases.iter().any(|b| is_meta_name(b)),
        _ => false,
    })
}

/// The class or one of its resolvable ancestors defines `name`.
pub(super) fn class_defines(cx: &Checker, class: &Class, name: &str) -> bool {
    cx.module.method(class, name).is_some()
        || class.attributes.iter().any(|a| a.name == name)
        || cx.ancestry(class).user_class_defines(name)
}

/// The nodes of one scope's own code below `root`: nested `def` and `class`
/// statements are not entered (lambdas are, unlike `syntax::descendants`).
fn own_nodes<'a>(root: Node<'a>) -> impl Iterator<Item = Node<'a>> {
    let mut stack = vec![root];
    std::iter::from_fn(move || loop {
        let current = stack.pop()?;
        if current != root && matches!(current.kind(), "function_definition" | "class_definition") {
            continue;
        }
        let mut cursor = current.walk();
        let children: Vec<_> = current.named_children(&mut cursor).collect();
        stack.extend(children.into_iter().rev());
        return Some(current);
    })
}

/// Names the module refers to explicitly: `x.name` attributes, string
/// literals (`getattr(x, "name")`), and class-body aliases (`a = name`).
pub(super) fn referenced_names<'a>(cx: &Checker<'a>) -> HashSet<&'a str> {
    let source = cx.source;
    let mut names = HashSet::new();
    for node in syntax::descendants(cx.module.root, false) {
        match node.kind() {
            "attribute" => {
                if let Some(a) = node.child_by_field_name("attribute") {
                    names.insert(syntax::text(source, a));
                }
            }
            "string" => {
                if let Some(v) = syntax::string_value(source, node) {
                    names.insert(v);
                }
            }
            _ => {}
        }
    }
    // Names read in class bodies (`__str__ = __unicode__`, also inside
    // `if` blocks), not the targets being defined.
    for class in &cx.module.classes {
        let Some(body) = class.node.child_by_field_name("body") else {
            continue;
        };
        // Pre-order: an assignment comes before its target.
        let mut targets = HashSet::new();
        for node in own_nodes(body) {
            match node.kind() {
                "assignment" | "augmented_assignment" => {
                    targets.extend(node.child_by_field_name("left").map(|l| l.id()));
                }
                "identifier" if !targets.contains(&node.id()) => {
                    names.insert(syntax::text(source, node));
                }
                _ => {}
            }
        }
    }
    names
}

/// An identifier `name` occurs in `node`'s subtree (same scope only).
pub(super) fn mentions_identifier(source: &str, node: Node, name: &str) -> bool {
    syntax::descendants(node, true).any(|n| syntax::is_identifier(source, n, name))
}

/// A builtin name (`len`, `str`) that this module does not rebind at
/// module level.
pub(super) fn is_builtin(cx: &Checker, name: &str) -> bool {
    let m = cx.module;
    m.import_of(name).is_none()
        && m.class_named(name).is_none()
        && !m.functions_named(name).any(|f| f.is_module_level())
        && !m.assigned_at_top_level(name)
}

/// A Python type a returned expression certainly has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Ty {
    None,
    Bool,
    /// An int; `negative` when it is a negative literal.
    Int {
        negative: bool,
    },
    Float,
    Complex,
    Str,
    Bytes,
    ByteArray,
    /// A tuple display with its elements (None when not a display).
    Tuple(Option<usize>),
    List,
    Dict,
    Set,
    FrozenSet,
    Function,
    Generator,
    NotImplemented,
    Ellipsis,
    /// An instance of the named class (`return self` in `__init__`).
    Instance(String),
}

impl Ty {
    /// The name `type(value).__name__` gives.
    pub(super) fn name(&self) -> &str {
        match self {
            Ty::None => "NoneType",
            Ty::Bool => "bool",
            Ty::Int { .. } => "int",
            Ty::Float => "float",
            Ty::Complex => "complex",
            Ty::Str => "str",
            Ty::Bytes => "bytes",
            Ty::ByteArray => "bytearray",
            Ty::Tuple(_) => "tuple",
            Ty::List => "list",
            Ty::Dict => "dict",
            Ty::Set => "set",
            Ty::FrozenSet => "frozenset",
            Ty::Function => "function",
            Ty::Generator => "generator",
            Ty::NotImplemented => "NotImplementedType",
            Ty::Ellipsis => "ellipsis",
            Ty::Instance(name) => name,
        }
    }

    /// `None`, `a float`, `an int`, ... for messages.
    pub(super) fn describe(&self) -> String {
        match self {
            Ty::None => "None".into(),
            Ty::NotImplemented => "NotImplemented".into(),
            Ty::Ellipsis => "Ellipsis".into(),
            Ty::Int { negative: true } => "a negative int".into(),
            Ty::Instance(name) => format!("a `{name}` instance"),
            other => {
                let n = other.name();
                let article = if n.starts_with(['a', 'e', 'i', 'o', 'u']) {
                    "an"
                } else {
                    "a"
                };
                format!("{article} {n}")
            }
        }
    }
}

/// The possible types of a returned expression that are certain, one per
/// branch of `x if c else y` / `a or b`; branches of unknown type are left
/// out.
pub(super) fn returned_types<'a>(cx: &Checker<'a>, expr: Node<'a>) -> Vec<(Ty, Node<'a>)> {
    let mut out = Vec::new();
    let mut stack = vec![expr];
    while let Some(node) = stack.pop() {
        let node = syntax::unparenthesize(node);
        match node.kind() {
            "conditional_expression" => {
                // children: body, condition, alternative
                let mut cursor = node.walk();
                let parts: Vec<_> = node.named_children(&mut cursor).collect();
                if let (Some(a), Some(b)) = (parts.first(), parts.get(2)) {
                    stack.push(*b);
                    stack.push(*a);
                }
            }
            "boolean_operator" => {
                if let (Some(l), Some(r)) = (
                    node.child_by_field_name("left"),
                    node.child_by_field_name("right"),
                ) {
                    stack.push(r);
                    stack.push(l);
                }
            }
            _ => {
                if let Some(t) = type_of(cx, node) {
                    out.push((t, node));
                }
            }
        }
    }
    out
}

fn type_of(cx: &Checker, node: Node) -> Option<Ty> {
    let source = cx.source;
    let text = syntax::text(source, node);
    Some(match node.kind() {
        "integer" | "float" if text.ends_with(['j', 'J']) => Ty::Complex,
        "integer" => Ty::Int { negative: false },
        "float" => Ty::Float,
        "true" | "false" => Ty::Bool,
        "none" => Ty::None,
        "ellipsis" => Ty::Ellipsis,
        "string" => string_type(source, node),
        "concatenated_string" => string_type(source, node.named_child(0)?),
        "list" | "list_comprehension" => Ty::List,
        "dictionary" | "dictionary_comprehension" => Ty::Dict,
        "set" | "set_comprehension" => Ty::Set,
        "tuple" | "expression_list" => {
            let mut cursor = node.walk();
            let items: Vec<_> = node
                .named_children(&mut cursor)
                .filter(|c| c.kind() != "comment")
                .collect();
            let starred = items
                .iter()
                .any(|c| matches!(c.kind(), "list_splat" | "parenthesized_list_splat"));
            Ty::Tuple((!starred).then_some(items.len()))
        }
        "generator_expression" => Ty::Generator,
        "lambda" => Ty::Function,
        "not_operator" => Ty::Bool,
        "identifier" if text == "NotImplemented" => Ty::NotImplemented,
        "identifier" if text == "Ellipsis" => Ty::Ellipsis,
        "unary_operator" => {
            let operand = syntax::unparenthesize(node.child_by_field_name("argument")?);
            let op = syntax::text(source, node.child_by_field_name("operator")?);
            match type_of(cx, operand)? {
                Ty::Int { .. } if op == "-" => Ty::Int {
                    negative: syntax::text(source, operand)
                        .chars()
                        .any(|c| !matches!(c, '0' | '_' | 'x' | 'X' | 'o' | 'O' | 'b' | 'B')),
                },
                Ty::Int { .. } | Ty::Bool => Ty::Int { negative: false },
                t @ (Ty::Float | Ty::Complex) if op != "~" => t,
                _ => return None,
            }
        }
        "comparison_operator" => {
            let mut cursor = node.walk();
            let all_identity = node
                .children_by_field_name("operators", &mut cursor)
                .all(|op| matches!(op.kind(), "is" | "is not" | "in" | "not in"));
            if !all_identity {
                return None;
            }
            Ty::Bool
        }
        "binary_operator" => {
            // `"%s" % x` and `"a" + x` are str (or raise).
            let left = syntax::unparenthesize(node.child_by_field_name("left")?);
            let op = syntax::text(source, node.child_by_field_name("operator")?);
            match (type_of(cx, left)?, op) {
                (t @ (Ty::Str | Ty::Bytes), "%" | "+") => t,
                _ => return None,
            }
        }
        "call" => return call_type(cx, node),
        _ => return None,
    })
}

fn string_type(source: &str, string: Node) -> Ty {
    let prefix = string
        .named_child(0)
        .filter(|c| c.kind() == "string_start")
        .map(|c| syntax::text(source, c))
        .unwrap_or("");
    if prefix.contains(['b', 'B']) {
        Ty::Bytes
    } else {
        Ty::Str
    }
}

fn call_type(cx: &Checker, call: Node) -> Option<Ty> {
    let function = call.child_by_field_name("function")?;
    match function.kind() {
        "identifier" => {
            let name = syntax::text(cx.source, function);
            let ty = match name {
                "int" | "len" | "hash" | "id" | "ord" => Ty::Int { negative: false },
                "float" => Ty::Float,
                "complex" => Ty::Complex,
                "bool" | "isinstance" | "issubclass" | "callable" | "hasattr" => Ty::Bool,
                "str" | "repr" | "ascii" | "format" | "chr" | "hex" | "oct" | "bin" => Ty::Str,
                "bytes" => Ty::Bytes,
                "bytearray" => Ty::ByteArray,
                "tuple" => Ty::Tuple(None),
                "list" | "sorted" => Ty::List,
                "dict" => Ty::Dict,
                "set" => Ty::Set,
                "frozenset" => Ty::FrozenSet,
                _ => return None,
            };
            is_builtin(cx, name).then_some(ty)
        }
        "attribute" => {
            // "".join(...), "{}".format(...), "x".encode(), b"".join(...)
            let object = syntax::unparenthesize(function.child_by_field_name("object")?);
            let method = syntax::text(cx.source, function.child_by_field_name("attribute")?);
            let receiver = match object.kind() {
                "string" | "concatenated_string" => type_of(cx, object)?,
                _ => return None,
            };
            match (receiver, method) {
                (Ty::Str, "join" | "format" | "lower" | "upper" | "strip" | "replace") => Ty::Str,
                (Ty::Str, "encode") => Ty::Bytes,
                (Ty::Bytes, "join" | "replace" | "strip") => Ty::Bytes,
                (Ty::Bytes, "decode") => Ty::Str,
                _ => return None,
            }
            .into()
        }
        _ => None,
    }
}

/// The function whose body must be judged: a method Python calls
/// implicitly, with a body we can read (not a stub, overload, property or
/// unknown decorator, no syntax errors).
pub(super) fn judged_body(f: &Function) -> bool {
    f.class.is_some()
        && !f.has_errors
        && decoration(f) != Decoration::Opaque
        && !f.is_stub()
        && !f.has_decorator(&["typing.overload"])
}

/// The positional arguments of a call, or None when it has keyword
/// arguments, `*`/`**` splats, or is not a plain argument list.
pub(super) fn plain_arguments(call: Node) -> Option<Vec<Node>> {
    let args = call.child_by_field_name("arguments")?;
    if args.kind() != "argument_list" {
        return None;
    }
    let mut cursor = args.walk();
    let children: Vec<_> = args
        .named_children(&mut cursor)
        .filter(|n| n.kind() != "comment")
        .collect();
    let plain = children.iter().all(|n| {
        !matches!(
            n.kind(),
            "keyword_argument" | "list_splat" | "dictionary_splat" | "parenthesized_list_splat"
        )
    });
    plain.then_some(children)
}

/// `name` is a parameter of `f`.
pub(super) fn is_parameter(f: &Function, name: &str) -> bool {
    f.params.iter().any(|p| p.name == name)
}
