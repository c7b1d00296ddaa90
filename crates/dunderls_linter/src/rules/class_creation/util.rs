//! Helpers of the class-creation rules, plus the small edit helpers that the
//! context-builder and NumPy rules share (candidates for `rules/prelude.rs`:
//! they only build text edits and know nothing about any one rule).

use dunderls_python::ParamKind;

use crate::hierarchy::Ancestor;
use crate::rules::prelude::*;

// ---------------------------------------------------------------------------
// Facts about methods and classes
// ---------------------------------------------------------------------------

/// `cx.ancestry(class)` can be trusted: no `*bases`/`**options` in the class
/// statement, and no base is spelled like a class defined inside a function
/// of this module (those may shadow or be confused with module-level classes
/// of the same name).
pub(crate) fn ancestry_reliable(cx: &Checker, class: &Class) -> bool {
    // `class C(*bases, **options)`: bases (or a metaclass) we cannot see.
    if let Some(args) = class.node.child_by_field_name("superclasses") {
        let mut cursor = args.walk();
        let splat = args
            .named_children(&mut cursor)
            .any(|a| matches!(a.kind(), "list_splat" | "dictionary_splat"));
        if splat {
            return false;
        }
    }
    let mut pending: Vec<&str> = class.bases.iter().filter_map(|b| b.name).collect();
    let mut seen = std::collections::HashSet::new();
    while let Some(name) = pending.pop() {
        if !seen.insert(name) {
            continue;
        }
        if cx.module.classes_named(name).any(|c| c.in_function) {
            return false;
        }
        if let Some(base) = cx.module.class_named(name) {
            pending.extend(base.bases.iter().filter_map(|b| b.name));
        }
    }
    true
}

/// `{}`, `[]`, `set()`, `dict()`, `list()`, `weakref.WeakValueDictionary()`:
/// a fresh container (a registry), not a descriptor or trait.
pub(crate) fn is_container_value(cx: &Checker, node: Node) -> bool {
    match node.kind() {
        "dictionary" | "list" | "set" => true,
        "call" => syntax::callee_name(cx.source, node).is_some_and(|c| {
            matches!(
                c.rsplit('.').next(),
                Some(
                    "dict"
                        | "list"
                        | "set"
                        | "defaultdict"
                        | "OrderedDict"
                        | "WeakValueDictionary"
                        | "WeakSet"
                        | "WeakKeyDictionary"
                )
            )
        }),
        _ => false,
    }
}

/// Every method named `name`, in every class of the module.
pub(crate) fn methods_named<'a>(
    cx: &Checker<'a>,
    name: &str,
) -> impl Iterator<Item = &'a Function<'a>> + use<'a> {
    cx.module
        .functions_named(name)
        .filter(|f| f.class.is_some())
}

/// `Class.method` for messages.
pub(crate) fn qualified_method(cx: &Checker, f: &Function) -> String {
    match cx.module.class_of(f) {
        Some(class) => format!("{}.{}", class.name, f.name),
        None => f.name.to_string(),
    }
}

/// The `**kwargs` parameter, if any.
pub(crate) fn var_keyword<'a>(f: &Function<'a>) -> Option<&'a str> {
    f.params
        .iter()
        .find(|p| p.kind == ParamKind::VarKeyword)
        .map(|p| p.name)
}

/// Every path raises (no `return`, and the end cannot be reached): e.g. an
/// `__init_subclass__` that forbids subclassing.
pub(crate) fn always_raises(f: &Function) -> bool {
    f.scope.returns.is_empty() && !f.can_fall_off_end && !f.has_errors
}

/// A body we should not judge: abstract, a stub, an overload, or unparsable.
pub(crate) fn is_placeholder(f: &Function) -> bool {
    f.has_errors || f.is_stub() || f.is_overload()
}

/// Calls in `f` that chain to a parent's `method`: `super().m(...)`,
/// `super(C, cls).m(...)`, `Base.m(...)`, `object.m(...)` (but not the
/// receiver's own `cls.m(...)`).
pub(crate) fn parent_calls<'a>(cx: &Checker<'a>, f: &Function<'a>, method: &str) -> Vec<Node<'a>> {
    f.scope
        .calls
        .iter()
        .copied()
        .filter(|&call| is_parent_call(cx, f.receiver(), call, &[method]))
        .collect()
}

/// `call` is `super().m(...)`, `super(C, x).m(...)` or `Base.m(...)` for one
/// of `methods`, where `Base` is not `receiver`.
pub(crate) fn is_parent_call(
    cx: &Checker,
    receiver: Option<&str>,
    call: Node,
    methods: &[&str],
) -> bool {
    let Some(func) = call
        .child_by_field_name("function")
        .filter(|n| n.kind() == "attribute")
    else {
        return false;
    };
    let (Some(object), Some(attr)) = (
        func.child_by_field_name("object"),
        func.child_by_field_name("attribute"),
    ) else {
        return false;
    };
    if !methods.contains(&cx.text(attr)) {
        return false;
    }
    let object = syntax::unparenthesize(object);
    match object.kind() {
        "call" => syntax::callee_name(cx.source, object) == Some("super"),
        "identifier" => Some(cx.text(object)) != receiver,
        "attribute" => true,
        _ => false,
    }
}

/// The call passes `**name` on.
pub(crate) fn forwards_var_keyword(cx: &Checker, call: Node, name: &str) -> bool {
    let Some(args) = call.child_by_field_name("arguments") else {
        return false;
    };
    let mut cursor = args.walk();
    let found = args.named_children(&mut cursor).any(|a| {
        a.kind() == "dictionary_splat"
            && a.named_child(0)
                .is_some_and(|v| syntax::is_identifier(cx.source, v, name))
    });
    found
}

/// The identifier `name` is used anywhere in `f`'s body (nested scopes
/// included).
pub(crate) fn body_mentions(cx: &Checker, f: &Function, name: &str) -> bool {
    syntax::descendants(f.body, false).any(|n| syntax::is_identifier(cx.source, n, name))
}

/// `class M(type)`, `class M(abc.ABCMeta)`, or a class deriving from one of
/// them through resolvable bases.
pub(crate) fn is_metaclass(cx: &Checker, class: &Class) -> bool {
    let direct = class.bases.iter().filter_map(|b| b.name).any(|n| {
        let q = cx.module.qualified_name(n);
        matches!(
            q.as_str(),
            "type" | "builtins.type" | "abc.ABCMeta" | "enum.EnumMeta" | "enum.EnumType"
        )
    });
    direct
        || cx.ancestry(class).ancestors.iter().any(|a| match a {
            Ancestor::Builtin(b) => b == "type" || b == "builtins.type",
            Ancestor::Unknown(u) => matches!(
                u.as_str(),
                "abc.ABCMeta" | "enum.EnumMeta" | "enum.EnumType"
            ),
            _ => false,
        })
}

/// A container the statement stores `value` into: `reg[k] = value`,
/// `reg.append(value)`, `reg.add(value)`, `reg.setdefault(k, value)`,
/// `reg.register(value)`, `reg.insert(i, value)`. Returns the container
/// expression. `is_value` decides whether an expression is the stored class.
pub(crate) fn stored_into<'a>(
    cx: &Checker<'a>,
    node: Node<'a>,
    is_value: &dyn Fn(Node<'a>) -> bool,
) -> Option<Node<'a>> {
    match node.kind() {
        "assignment" => {
            let left = node.child_by_field_name("left")?;
            let right = syntax::unparenthesize(node.child_by_field_name("right")?);
            (left.kind() == "subscript"
                && node.child_by_field_name("type").is_none()
                && is_value(right))
            .then(|| left.child_by_field_name("value"))
            .flatten()
        }
        "call" => {
            let func = node
                .child_by_field_name("function")
                .filter(|f| f.kind() == "attribute")?;
            let method = cx.text(func.child_by_field_name("attribute")?);
            if !matches!(
                method,
                "append" | "add" | "setdefault" | "register" | "insert"
            ) {
                return None;
            }
            let args = syntax::positional_args(node);
            let stored = match method {
                "setdefault" | "insert" => args.get(1).copied(),
                _ => args.first().copied(),
            }?;
            is_value(syntax::unparenthesize(stored))
                .then(|| func.child_by_field_name("object"))
                .flatten()
        }
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// Edit helpers (shared with context_builders and numpy)
// ---------------------------------------------------------------------------

/// Byte offset of the start of the line containing `at`.
pub(crate) fn line_start(source: &str, at: usize) -> usize {
    source[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// Byte offset of the end of the line containing `at` (before `\r\n`/`\n`).
pub(crate) fn line_end(source: &str, at: usize) -> usize {
    let end = source[at..].find('\n').map_or(source.len(), |i| at + i);
    if end > at && source.as_bytes().get(end - 1) == Some(&b'\r') {
        end - 1
    } else {
        end
    }
}

/// The node is the first thing on its line.
pub(crate) fn starts_line(source: &str, node: Node) -> bool {
    source[line_start(source, node.start_byte())..node.start_byte()]
        .chars()
        .all(char::is_whitespace)
}

/// The value of a `return` statement (None for a bare `return`).
pub(crate) fn return_value(r: Node) -> Option<Node> {
    let mut cursor = r.walk();
    let value = r
        .named_children(&mut cursor)
        .find(|c| c.kind() != "comment");
    value
}

/// `return`, `return None`.
pub(crate) fn returns_none(r: Node) -> bool {
    return_value(r).is_none_or(|v| syntax::unparenthesize(v).kind() == "none")
}

/// A docstring statement.
fn is_docstring(stmt: Node) -> bool {
    stmt.kind() == "expression_statement"
        && stmt.named_child_count() == 1
        && stmt.named_child(0).is_some_and(|s| s.kind() == "string")
}

/// Insert the statement `stmt` as the first statement of `block` (after a
/// docstring). None when the block shares a line with its header.
pub(crate) fn insert_at_block_start(cx: &Checker, block: Node, stmt: &str) -> Option<Edit> {
    let nl = cx.newline;
    let statements = syntax::statements(block);
    let first = *statements.first()?;
    if !starts_line(cx.source, first) {
        return None;
    }
    let indent = indent_of(cx.source, first);
    if !is_docstring(first) {
        return Some(Edit::insert(
            line_start(cx.source, first.start_byte()),
            format!("{indent}{stmt}{nl}"),
        ));
    }
    match statements.get(1) {
        Some(next) if starts_line(cx.source, *next) => Some(Edit::insert(
            line_start(cx.source, next.start_byte()),
            format!("{indent}{stmt}{nl}"),
        )),
        Some(_) => None,
        None => Some(Edit::insert(
            line_end(cx.source, first.end_byte()),
            format!("{nl}{indent}{stmt}"),
        )),
    }
}

/// Insert the statement `stmt` as the last statement of `block`.
pub(crate) fn append_to_block(cx: &Checker, block: Node, stmt: &str) -> Option<Edit> {
    let statements = syntax::statements(block);
    let first = *statements.first()?;
    let last = *statements.last()?;
    if !starts_line(cx.source, first) {
        return None;
    }
    let indent = indent_of(cx.source, first);
    let nl = cx.newline;
    Some(Edit::insert(
        line_end(cx.source, last.end_byte()),
        format!("{nl}{indent}{stmt}"),
    ))
}

/// Make every path of `f` return `value`: rewrite each bare `return` and
/// `return None`, and append `return <value>` when the end is reachable.
pub(crate) fn return_value_edits(cx: &Checker, f: &Function, value: &str) -> Option<Vec<Edit>> {
    let mut edits: Vec<Edit> = f
        .scope
        .returns
        .iter()
        .filter(|r| returns_none(**r))
        .map(|r| Edit::replace(r.byte_range(), format!("return {value}")))
        .collect();
    if f.can_fall_off_end {
        edits.push(append_to_block(cx, f.body, &format!("return {value}"))?);
    }
    (!edits.is_empty()).then_some(edits)
}

/// Delete the line holding `range` (e.g. a decorator), when nothing but
/// whitespace and a comment shares the line.
pub(crate) fn delete_line(cx: &Checker, range: std::ops::Range<usize>) -> Option<Edit> {
    let start = line_start(cx.source, range.start);
    if !cx.source[start..range.start].trim().is_empty() {
        return None;
    }
    let end = line_end(cx.source, range.end);
    let rest = cx.source[range.end..end].trim();
    if !(rest.is_empty() || rest.starts_with('#')) {
        return None;
    }
    let after = cx.source[end..]
        .find('\n')
        .map_or(cx.source.len(), |i| end + i + 1);
    Some(Edit::replace(start..after, ""))
}

/// Insert `lines` (each indented like `node`) on new lines after the line
/// where `node` ends.
pub(crate) fn insert_after(
    cx: &Checker,
    node: Node,
    indent_like: Node,
    text: &str,
) -> Option<Edit> {
    if !starts_line(cx.source, indent_like) {
        return None;
    }
    let indent = indent_of(cx.source, indent_like);
    let nl = cx.newline;
    Some(Edit::insert(
        line_end(cx.source, node.end_byte()),
        format!("{nl}{indent}{text}"),
    ))
}
