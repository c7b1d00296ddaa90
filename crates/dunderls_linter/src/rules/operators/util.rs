//! Facts shared by the arithmetic and ordering rules.
//!
//! The operator tables below are a small local copy of what the data-model
//! crate will provide (reflected/in-place twins of each binary operator).

use std::collections::HashSet;

use crate::rules::prelude::*;
use dunderls_python::{Decorator, ParamKind};

/// One binary operator: `__add__`, its reflected `__radd__` and in-place
/// `__iadd__` twins, and how it is written.
#[derive(Debug)]
pub(crate) struct BinOp {
    pub forward: &'static str,
    pub reflected: &'static str,
    /// None for `divmod`, which has no in-place form.
    pub inplace: Option<&'static str>,
    /// The expression for `a <op> b` (used in messages).
    pub expr: &'static str,
    /// The tree-sitter operator token of `binary_operator`, when it is one.
    pub token: Option<&'static str>,
    /// `a op b == b op a` for the usual numeric meaning.
    pub commutative: bool,
}

const fn op(
    forward: &'static str,
    reflected: &'static str,
    inplace: Option<&'static str>,
    expr: &'static str,
    token: Option<&'static str>,
    commutative: bool,
) -> BinOp {
    BinOp {
        forward,
        reflected,
        inplace,
        expr,
        token,
        commutative,
    }
}

pub(crate) static BINOPS: &[BinOp] = &[
    op(
        "__add__",
        "__radd__",
        Some("__iadd__"),
        "a + b",
        Some("+"),
        true,
    ),
    op(
        "__sub__",
        "__rsub__",
        Some("__isub__"),
        "a - b",
        Some("-"),
        false,
    ),
    op(
        "__mul__",
        "__rmul__",
        Some("__imul__"),
        "a * b",
        Some("*"),
        true,
    ),
    op(
        "__matmul__",
        "__rmatmul__",
        Some("__imatmul__"),
        "a @ b",
        Some("@"),
        false,
    ),
    op(
        "__truediv__",
        "__rtruediv__",
        Some("__itruediv__"),
        "a / b",
        Some("/"),
        false,
    ),
    op(
        "__floordiv__",
        "__rfloordiv__",
        Some("__ifloordiv__"),
        "a // b",
        Some("//"),
        false,
    ),
    op(
        "__mod__",
        "__rmod__",
        Some("__imod__"),
        "a % b",
        Some("%"),
        false,
    ),
    op(
        "__divmod__",
        "__rdivmod__",
        None,
        "divmod(a, b)",
        None,
        false,
    ),
    op(
        "__pow__",
        "__rpow__",
        Some("__ipow__"),
        "a ** b",
        Some("**"),
        false,
    ),
    op(
        "__lshift__",
        "__rlshift__",
        Some("__ilshift__"),
        "a << b",
        Some("<<"),
        false,
    ),
    op(
        "__rshift__",
        "__rrshift__",
        Some("__irshift__"),
        "a >> b",
        Some(">>"),
        false,
    ),
    op(
        "__and__",
        "__rand__",
        Some("__iand__"),
        "a & b",
        Some("&"),
        true,
    ),
    op(
        "__xor__",
        "__rxor__",
        Some("__ixor__"),
        "a ^ b",
        Some("^"),
        true,
    ),
    op(
        "__or__",
        "__ror__",
        Some("__ior__"),
        "a | b",
        Some("|"),
        true,
    ),
];

/// A rich comparison and the method Python tries on the other operand.
#[derive(Debug)]
pub(crate) struct Comparison {
    pub name: &'static str,
    pub reflected: &'static str,
    pub expr: &'static str,
}

pub(crate) static COMPARISONS: &[Comparison] = &[
    Comparison {
        name: "__lt__",
        reflected: "__gt__",
        expr: "a < b",
    },
    Comparison {
        name: "__le__",
        reflected: "__ge__",
        expr: "a <= b",
    },
    Comparison {
        name: "__gt__",
        reflected: "__lt__",
        expr: "a > b",
    },
    Comparison {
        name: "__ge__",
        reflected: "__le__",
        expr: "a >= b",
    },
    Comparison {
        name: "__eq__",
        reflected: "__eq__",
        expr: "a == b",
    },
    Comparison {
        name: "__ne__",
        reflected: "__ne__",
        expr: "a != b",
    },
];

/// The four ordering methods, in `functools.total_ordering`'s terms.
pub(crate) const ORDERING: [&str; 4] = ["__lt__", "__le__", "__gt__", "__ge__"];

/// What an operator dunder is.
#[derive(Debug, Clone, Copy)]
pub(crate) enum OpKind {
    Forward(&'static BinOp),
    Reflected(&'static BinOp),
    InPlace(&'static BinOp),
    Compare(&'static Comparison),
}

pub(crate) fn classify(name: &str) -> Option<OpKind> {
    if let Some(c) = COMPARISONS.iter().find(|c| c.name == name) {
        return Some(OpKind::Compare(c));
    }
    BINOPS.iter().find_map(|b| {
        if b.forward == name {
            Some(OpKind::Forward(b))
        } else if b.reflected == name {
            Some(OpKind::Reflected(b))
        } else if b.inplace == Some(name) {
            Some(OpKind::InPlace(b))
        } else {
            None
        }
    })
}

/// The operator dunders defined in classes of the module, with their class.
pub(crate) fn operator_methods<'m, 'a>(
    cx: &'m Checker<'a>,
) -> impl Iterator<Item = (&'m Class<'a>, &'m Function<'a>, OpKind)> + 'm {
    cx.module.classes.iter().flat_map(move |class| {
        cx.module
            .unconditional_methods(class)
            .filter_map(move |f| classify(f.name).map(|k| (class, f, k)))
    })
}

/// Decorators that leave a method's return value alone.
fn is_transparent_decorator(d: &Decorator) -> bool {
    ["override", "final"]
        .iter()
        .any(|n| d.name == *n || d.name.ends_with(&format!(".{n}")))
}

/// A method whose return paths we can judge: a plain (not async, not
/// generator) method with a real body, no unknown decorator, and no syntax
/// error. Abstract methods, overloads and stubs (`...`, `pass`,
/// `raise NotImplementedError`) are declarations, not implementations.
pub(crate) fn has_judgeable_body(f: &Function) -> bool {
    !f.is_async
        && !f.is_generator()
        && !f.has_errors
        && !f.is_overload()
        && !f.is_stub()
        && f.decorators.iter().all(is_transparent_decorator)
        && f.receiver().is_some()
        && !f.is_staticmethod()
        && !f.is_classmethod()
}

/// `return` / `return None` (the statement gives None).
pub(crate) fn returns_none(cx: &Checker, ret: Node) -> bool {
    match value_of(ret) {
        None => true,
        Some(v) => {
            let v = syntax::unparenthesize(v);
            v.kind() == "none" || syntax::is_identifier(cx.source, v, "None")
        }
    }
}

/// The value of a `return`/`raise` statement (not the `from` cause, not a
/// trailing comment).
pub(crate) fn value_of(stmt: Node) -> Option<Node> {
    let cause = stmt.child_by_field_name("cause");
    let mut cursor = stmt.walk();
    let found = stmt
        .named_children(&mut cursor)
        .find(|c| c.kind() != "comment" && Some(*c) != cause);
    found
}

/// The paths of `f` that give None: its `return`/`return None` statements,
/// and whether it can fall off the end of its body.
pub(crate) struct NonePaths<'a> {
    pub returns: Vec<Node<'a>>,
    pub falls_off_end: bool,
}

pub(crate) fn none_paths<'a>(cx: &Checker<'a>, f: &Function<'a>) -> NonePaths<'a> {
    NonePaths {
        returns: f
            .scope
            .returns
            .iter()
            .copied()
            .filter(|r| returns_none(cx, *r))
            .collect(),
        falls_off_end: f.can_fall_off_end && falls_through(cx, f) && !exhaustive_narrowing(cx, f),
    }
}

/// The end of the body is unreachable by type narrowing: a guard
/// `if not isinstance(other, (A, B)): return NotImplemented` and, at the
/// end, `if isinstance(other, A): return ...` / `if isinstance(other, B):
/// return ...` covering every type the guard let through.
fn exhaustive_narrowing(cx: &Checker, f: &Function) -> bool {
    let Some(other) = other_param(f) else {
        return false;
    };
    let statements = syntax::statements(f.body);
    fn simple_if<'t>(s: &Node<'t>) -> Option<Vec<(Node<'t>, Node<'t>)>> {
        let (branches, else_block) = if_chain(*s);
        (s.kind() == "if_statement"
            && else_block.is_none()
            && branches.iter().all(|(_, b)| ends_in_jump(*b)))
        .then_some(branches)
    }
    let mut guard: Vec<&str> = Vec::new();
    let mut guard_at = None;
    for (i, s) in statements.iter().enumerate() {
        let Some(branches) = simple_if(s) else {
            continue;
        };
        if let [(cond, _)] = branches.as_slice() {
            if let [(Test::Negative, types)] = isinstance_tests(cx, *cond, other).as_slice() {
                guard = types.clone();
                guard_at = Some(i);
                break;
            }
        }
    }
    let Some(guard_at) = guard_at else {
        return false;
    };
    let mut covered: Vec<&str> = Vec::new();
    for s in statements[guard_at + 1..].iter().rev() {
        let Some(branches) = simple_if(s) else { break };
        let mut all_positive = true;
        for (cond, _) in &branches {
            let tests = isinstance_tests(cx, *cond, other);
            all_positive &= !tests.is_empty() && tests.iter().all(|(t, _)| *t == Test::Positive);
            // `isinstance(a, X) and ...` narrows only partly; only a bare
            // test counts.
            if let [(Test::Positive, types)] = tests.as_slice() {
                if syntax::unparenthesize(*cond).kind() == "call" {
                    covered.extend(types);
                }
            }
        }
        if !all_positive {
            break;
        }
    }
    !guard.is_empty() && guard.iter().all(|g| covered.contains(g))
}

/// `f.can_fall_off_end`, refined: a statement calling a helper that never
/// returns (`_cmperror(self, other)`, `self._unsupported(other)`) ends its
/// path. Helpers are recognised when defined in this module and every path
/// of theirs raises, when annotated `NoReturn`/`Never`, or by a name that
/// says so (`..._error`, `raise_...`, `fail...`). Statement flow is
/// evaluated bottom-up with an explicit stack.
pub(crate) fn falls_through(cx: &Checker, f: &Function) -> bool {
    let mut results: std::collections::HashMap<usize, bool> = std::collections::HashMap::new();
    let mut stack = vec![(f.body, false)];
    while let Some((node, expanded)) = stack.pop() {
        let children = flow_children(cx.source, node);
        if !expanded && !children.is_empty() {
            stack.push((node, true));
            stack.extend(children.into_iter().map(|c| (c, false)));
            continue;
        }
        let ends =
            |n: Option<Node>| n.is_some_and(|n| results.get(&n.id()).copied().unwrap_or(false));
        let value = match node.kind() {
            "block" => syntax::statements(node).iter().any(|s| ends(Some(*s))),
            "return_statement" | "raise_statement" => true,
            "expression_statement" => node
                .named_child(0)
                .is_some_and(|e| e.kind() == "call" && never_returns(cx, f, e)),
            "assert_statement" => node.named_child(0).is_some_and(|c| cx.text(c) == "False"),
            "if_statement" => {
                let (branches, else_block) = if_chain(node);
                else_block.is_some()
                    && ends(else_block)
                    && branches.iter().all(|(_, b)| ends(Some(*b)))
            }
            "with_statement" => ends(node.child_by_field_name("body")),
            "while_statement" => {
                let infinite = node
                    .child_by_field_name("condition")
                    .is_some_and(|c| matches!(cx.text(c), "True" | "1"));
                infinite && !node.child_by_field_name("body").is_some_and(has_break)
            }
            "try_statement" => {
                let parts = try_parts(node);
                parts.finally.is_some_and(|b| ends(Some(b)))
                    || (ends(parts.body) || parts.orelse.is_some_and(|b| ends(Some(b))))
                        && parts.handlers.iter().all(|h| ends(Some(*h)))
            }
            "match_statement" => {
                let cases = match_cases(cx.source, node);
                cases.last().is_some_and(|(irrefutable, _)| *irrefutable)
                    && cases.iter().all(|(_, b)| ends(*b))
            }
            _ => false,
        };
        results.insert(node.id(), value);
    }
    !results.get(&f.body.id()).copied().unwrap_or(false)
}

/// The blocks and statements whose results a node's result is built from.
fn flow_children<'a>(source: &str, node: Node<'a>) -> Vec<Node<'a>> {
    match node.kind() {
        "block" => syntax::statements(node),
        "if_statement" => {
            let (branches, else_block) = if_chain(node);
            branches
                .into_iter()
                .map(|(_, b)| b)
                .chain(else_block)
                .collect()
        }
        "with_statement" => node.child_by_field_name("body").into_iter().collect(),
        "try_statement" => {
            let p = try_parts(node);
            p.body
                .into_iter()
                .chain(p.orelse)
                .chain(p.finally)
                .chain(p.handlers)
                .collect()
        }
        "match_statement" => match_cases(source, node)
            .into_iter()
            .filter_map(|(_, b)| b)
            .collect(),
        _ => Vec::new(),
    }
}

struct TryParts<'a> {
    body: Option<Node<'a>>,
    orelse: Option<Node<'a>>,
    finally: Option<Node<'a>>,
    handlers: Vec<Node<'a>>,
}

fn last_block(c: Node) -> Option<Node> {
    let mut cursor = c.walk();
    let found = c
        .named_children(&mut cursor)
        .filter(|b| b.kind() == "block")
        .last();
    found
}

fn try_parts(node: Node) -> TryParts {
    let mut parts = TryParts {
        body: node.child_by_field_name("body"),
        orelse: None,
        finally: None,
        handlers: Vec::new(),
    };
    let mut cursor = node.walk();
    for c in node.named_children(&mut cursor) {
        match c.kind() {
            "else_clause" => parts.orelse = c.child_by_field_name("body"),
            "finally_clause" => parts.finally = last_block(c),
            "except_clause" | "except_group_clause" => match last_block(c) {
                Some(b) => parts.handlers.push(b),
                // A handler we cannot read: assume it falls through.
                None => parts.handlers.push(c),
            },
            _ => {}
        }
    }
    parts
}

/// `case` clauses: (irrefutable pattern without guard, consequence).
fn match_cases<'a>(source: &str, node: Node<'a>) -> Vec<(bool, Option<Node<'a>>)> {
    let Some(body) = node.child_by_field_name("body") else {
        return Vec::new();
    };
    let mut cursor = body.walk();
    let cases: Vec<Node> = body
        .named_children(&mut cursor)
        .filter(|c| c.kind() == "case_clause")
        .collect();
    cases
        .into_iter()
        .map(|c| {
            let irrefutable = c.child_by_field_name("guard").is_none()
                && c.named_child(0).is_some_and(|p| {
                    let t = syntax::text(source, p);
                    p.kind() == "case_pattern"
                        && t.chars().next().is_some_and(|ch| !ch.is_ascii_digit())
                        && t.chars().all(|ch| ch.is_alphanumeric() || ch == '_')
                });
            (irrefutable, c.child_by_field_name("consequence"))
        })
        .collect()
}

/// A `break` that belongs to this loop (not to a nested one).
fn has_break(body: Node) -> bool {
    let mut stack = vec![body];
    while let Some(node) = stack.pop() {
        if node.kind() == "break_statement" {
            return true;
        }
        let mut cursor = node.walk();
        stack.extend(node.named_children(&mut cursor).filter(|c| {
            !matches!(
                c.kind(),
                "for_statement" | "while_statement" | "function_definition" | "class_definition"
            )
        }));
    }
    false
}

/// A call that does not return: `sys.exit(...)`, or a helper that always
/// raises (see `falls_through`).
fn never_returns(cx: &Checker, f: &Function, call: Node) -> bool {
    let Some(callee) = call.child_by_field_name("function") else {
        return false;
    };
    if let Some(name) = syntax::callee_name(cx.source, call) {
        if matches!(name, "sys.exit" | "os._exit" | "exit" | "quit" | "os.abort") {
            return true;
        }
    }
    let helper = match callee.kind() {
        "identifier" => cx
            .module
            .functions_named(cx.text(callee))
            .rev()
            .find(|g| g.is_module_level() && g.unconditional),
        "attribute" => {
            let object = callee.child_by_field_name("object");
            let on_self = object
                .is_some_and(|o| Some(cx.text(o)) == f.receiver() || cx.text(o) == "type(self)");
            let name = callee.child_by_field_name("attribute").map(|a| cx.text(a));
            let class = cx.module.class_of(f).filter(|_| f.unconditional);
            match (on_self, name, class) {
                (true, Some(name), Some(class)) => cx.module.unconditional_method(class, name),
                _ => None,
            }
        }
        _ => None,
    };
    if let Some(g) = helper {
        let annotated = g
            .return_annotation
            .is_some_and(|a| matches!(cx.text(a).rsplit('.').next(), Some("NoReturn" | "Never")));
        return annotated || !g.can_fall_off_end && g.scope.returns.is_empty() && !g.is_generator();
    }
    // A helper defined elsewhere: trust a name that says it raises.
    let last = syntax::callee_last(cx.source, call)
        .unwrap_or("")
        .to_ascii_lowercase();
    [
        "error",
        "raise",
        "fail",
        "unsupported",
        "notimplemented",
        "not_implemented",
        "abort",
    ]
    .iter()
    .any(|w| last.contains(w))
}

/// An edit that appends `line` as the last statement of `f`'s body, on its
/// own line after the body's last line. None when the body shares the
/// `def` line (`def f(self): x`), where a new indented line would not parse.
pub(crate) fn append_to_body(cx: &Checker, f: &Function, line: &str) -> Option<Edit> {
    let statements = syntax::statements(f.body);
    let first = statements.first()?;
    if first.start_position().row == f.node.start_position().row {
        return None;
    }
    let indent = indent_of(cx.source, *first);
    let nl = cx.newline;
    let end = f.body.end_byte();
    // After the rest of the last line (a trailing comment stays there).
    match cx.source[end..].find('\n') {
        Some(i) => Some(Edit::insert(end + i + 1, format!("{indent}{line}{nl}"))),
        None => Some(Edit::insert(
            cx.source.len(),
            format!("{nl}{indent}{line}{nl}"),
        )),
    }
}

/// The name of the operand parameter (`other`): the second positional one.
pub(crate) fn other_param<'a>(f: &Function<'a>) -> Option<&'a str> {
    f.params
        .iter()
        .filter(|p| matches!(p.kind, ParamKind::Positional | ParamKind::PositionalOnly))
        .nth(1)
        .map(|p| p.name)
}

/// Polarity of an `isinstance(other, ...)` test found in a condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Test {
    /// `isinstance(other, T)`: the branch runs for T.
    Positive,
    /// `not isinstance(other, T)`: the branch runs for everything but T.
    Negative,
}

/// The `isinstance(other, ...)` tests in a condition, looking through
/// parentheses, `and`/`or` and `not` (no recursion: explicit stack).
/// `type(other) is T` / `==` counts as positive, `is not` / `!=` as negative.
pub(crate) fn isinstance_tests<'a>(
    cx: &Checker<'a>,
    cond: Node<'a>,
    other: &str,
) -> Vec<(Test, Vec<&'a str>)> {
    let mut out = Vec::new();
    let mut stack = vec![(cond, false)];
    while let Some((node, negated)) = stack.pop() {
        let node = syntax::unparenthesize(node);
        match node.kind() {
            "boolean_operator" => {
                for side in ["left", "right"] {
                    if let Some(n) = node.child_by_field_name(side) {
                        stack.push((n, negated));
                    }
                }
            }
            "not_operator" => {
                if let Some(n) = node.child_by_field_name("argument") {
                    stack.push((n, !negated));
                }
            }
            "call" => {
                if let Some((subject, types)) = syntax::isinstance_types(cx.source, node) {
                    if syntax::is_identifier(cx.source, syntax::unparenthesize(subject), other) {
                        out.push((
                            if negated {
                                Test::Negative
                            } else {
                                Test::Positive
                            },
                            types,
                        ));
                    }
                }
            }
            "comparison_operator" => {
                if let Some((positive, ty)) = type_comparison(cx, node, other) {
                    out.push((
                        if positive != negated {
                            Test::Positive
                        } else {
                            Test::Negative
                        },
                        vec![ty],
                    ));
                }
            }
            _ => {}
        }
    }
    out
}

/// `type(other) is T`, `type(other) == T` (true) or `is not` / `!=` (false).
fn type_comparison<'a>(cx: &Checker<'a>, node: Node<'a>, other: &str) -> Option<(bool, &'a str)> {
    let mut cursor = node.walk();
    let operands: Vec<Node> = node
        .named_children(&mut cursor)
        .filter(|c| c.kind() != "comment")
        .collect();
    if operands.len() != 2 {
        return None;
    }
    let op_text = cx
        .source
        .get(operands[0].end_byte()..operands[1].start_byte())?
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let positive = match op_text.as_str() {
        "is" | "==" => true,
        "is not" | "!=" => false,
        _ => return None,
    };
    let is_type_of_other = |n: Node| {
        let n = syntax::unparenthesize(n);
        n.kind() == "call"
            && syntax::callee_name(cx.source, n) == Some("type")
            && matches!(syntax::positional_args(n).as_slice(), [a] if syntax::is_identifier(cx.source, *a, other))
    };
    let ty = if is_type_of_other(operands[0]) {
        operands[1]
    } else if is_type_of_other(operands[1]) {
        operands[0]
    } else {
        return None;
    };
    Some((positive, syntax::dotted_name(cx.source, ty)?))
}

/// The `if`/`elif` conditions of an `if_statement`, and its `else` block.
pub(crate) fn if_chain<'a>(stmt: Node<'a>) -> (Vec<(Node<'a>, Node<'a>)>, Option<Node<'a>>) {
    let mut branches = Vec::new();
    if let (Some(c), Some(b)) = (
        stmt.child_by_field_name("condition"),
        stmt.child_by_field_name("consequence"),
    ) {
        branches.push((c, b));
    }
    let mut else_block = None;
    let mut cursor = stmt.walk();
    for alt in stmt.children_by_field_name("alternative", &mut cursor) {
        if alt.kind() == "else_clause" {
            else_block = alt.child_by_field_name("body");
        } else if let (Some(c), Some(b)) = (
            alt.child_by_field_name("condition"),
            alt.child_by_field_name("consequence"),
        ) {
            branches.push((c, b));
        }
    }
    (branches, else_block)
}

/// The block's last statement is a `return` or `raise`.
pub(crate) fn ends_in_jump(block: Node) -> bool {
    syntax::statements(block)
        .last()
        .is_some_and(|s| matches!(s.kind(), "return_statement" | "raise_statement"))
}

/// `return NotImplemented` or `raise ...` as a block's first statement: the
/// branch rejects the operand.
pub(crate) fn rejects(cx: &Checker, block: Node) -> bool {
    syntax::statements(block)
        .first()
        .is_some_and(|s| match s.kind() {
            "raise_statement" => true,
            "return_statement" => {
                value_of(*s).is_some_and(|v| syntax::is_identifier(cx.source, v, "NotImplemented"))
            }
            _ => false,
        })
}

/// Whether `class` (its body or a resolvable ancestor) defines `name`:
/// Some(true) / Some(false), or None when an ancestor we cannot see into
/// (unknown, builtin other than object, ABC) might define it.
pub(crate) fn class_defines(cx: &Checker, class: &Class, name: &str) -> Option<bool> {
    if defines_locally(cx, class, name) {
        return Some(true);
    }
    let ancestry = cx.ancestry(class);
    if ancestry.user_class_defines(name) {
        return Some(true);
    }
    if ancestry.has_non_object_base() {
        return None;
    }
    Some(false)
}

/// A method or class-level assignment of `name` in the class body.
pub(crate) fn defines_locally(cx: &Checker, class: &Class, name: &str) -> bool {
    cx.module.unconditional_method(class, name).is_some()
        || class.attributes.iter().any(|a| a.name == name)
}

/// The classes module-level code may add methods to: `Class.__x__ = ...`
/// and `setattr(Class, ...)`, by class name (collected once per file).
pub(crate) struct Patched<'a>(HashSet<&'a str>);

impl<'a> Patched<'a> {
    pub fn of(cx: &Checker<'a>) -> Patched<'a> {
        let assigned = cx.module.scope.assignments.iter().filter_map(|a| {
            let (class, attr) = cx.text(a.child_by_field_name("left")?).split_once('.')?;
            attr.starts_with("__").then_some(class)
        });
        let set = cx.module.scope.calls.iter().filter_map(|c| {
            let first = *syntax::positional_args(*c).first()?;
            (syntax::callee_name(cx.source, *c) == Some("setattr") && first.kind() == "identifier")
                .then(|| cx.text(first))
        });
        Patched(assigned.chain(set).collect())
    }
}

/// Something outside the class body may add methods to it: a metaclass, a
/// class decorator other than `dataclass`/`final`, or a module-level
/// `Class.__x__ = ...` / `setattr(Class, ...)`.
pub(crate) fn may_be_patched(class: &Class, patched: &Patched) -> bool {
    if class.keywords.iter().any(|k| k.name == "metaclass") {
        return true;
    }
    let known = [
        "dataclass",
        "dataclasses.dataclass",
        "final",
        "typing.final",
        "total_ordering",
        "functools.total_ordering",
    ];
    if class.decorators.iter().any(|d| !known.contains(&d.name)) {
        return true;
    }
    patched.0.contains(class.name)
}

/// The class has an `__eq__` of its own making: defined in its body or a
/// resolvable base, or generated by `@dataclass` (unless `eq=False`).
/// None when an unresolvable base might define it.
pub(crate) fn has_value_eq(cx: &Checker, class: &Class) -> Option<bool> {
    let generated = class.decorators.iter().any(|d| {
        matches!(d.name, "dataclass" | "dataclasses.dataclass")
            && !d
                .keywords
                .iter()
                .any(|k| k.name == "eq" && cx.text(k.value) == "False")
    });
    if generated {
        return Some(true);
    }
    class_defines(cx, class, "__eq__")
}

/// The class's `@total_ordering` decorator, by its qualified name (or any
/// decorator named `total_ordering` when `loose`).
pub(crate) fn total_ordering<'a, 'c>(
    cx: &Checker<'a>,
    class: &'c Class<'a>,
    loose: bool,
) -> Option<&'c Decorator<'a>> {
    class.decorators.iter().find(|d| {
        cx.module.qualified_name(d.name) == "functools.total_ordering"
            || loose && d.name.rsplit('.').next() == Some("total_ordering")
    })
}

/// How to spell `functools.total_ordering` here, and the import edit it
/// needs (None when already imported).
pub(crate) fn total_ordering_name(cx: &Checker) -> (String, Option<Edit>) {
    let imports = &cx.module.imports;
    if let Some(i) = imports.iter().rev().find(|i| {
        i.level == 0 && i.module == "functools" && i.name.as_deref() == Some("total_ordering")
    }) {
        return (i.bound.clone(), None);
    }
    if let Some(i) = imports
        .iter()
        .rev()
        .find(|i| i.level == 0 && i.module == "functools" && i.name.is_none())
    {
        return (format!("{}.total_ordering", i.bound), None);
    }
    let nl = cx.newline;
    (
        "functools.total_ordering".into(),
        Some(Edit::insert(
            import_position(cx),
            format!("import functools{nl}"),
        )),
    )
}

/// Where a new top-level import goes: before the first statement that is
/// not the module docstring or a `from __future__` import.
fn import_position(cx: &Checker) -> usize {
    let mut cursor = cx.module.root.walk();
    let statements = cx
        .module
        .root
        .named_children(&mut cursor)
        .filter(|n| n.kind() != "comment");
    for (i, stmt) in statements.enumerate() {
        let docstring = i == 0
            && stmt.kind() == "expression_statement"
            && stmt.named_child(0).is_some_and(|e| e.kind() == "string");
        let future = stmt.kind() == "future_import_statement";
        if !docstring && !future {
            return stmt.start_byte();
        }
    }
    cx.source.len()
}

/// An operator expression template (`a + b`) with its operands named.
pub(crate) fn spell(expr: &str, a: &str, b: &str) -> String {
    let mut out = String::new();
    for ch in expr.chars() {
        match ch {
            'a' if !out.ends_with(|c: char| c.is_alphanumeric()) => out.push_str(a),
            'b' if !out.ends_with(|c: char| c.is_alphanumeric()) => out.push_str(b),
            _ => out.push(ch),
        }
    }
    out
}

/// The expression an operator method implements, for messages: `a + b`,
/// `other + self` (reflected), `a += b`, `a < b`.
pub(crate) fn op_expr(kind: OpKind) -> String {
    match kind {
        OpKind::Forward(b) => b.expr.to_string(),
        OpKind::Reflected(b) => spell(b.expr, "other", "self"),
        OpKind::InPlace(b) => format!("a {}= b", b.token.unwrap_or("?")),
        OpKind::Compare(c) => c.expr.to_string(),
    }
}

/// The `if`/`elif` condition that guards the block a statement sits in
/// directly (None for `else:` and for statements outside any `if`).
pub(crate) fn guarding_condition(stmt: Node) -> Option<Node> {
    let block = stmt.parent().filter(|b| b.kind() == "block")?;
    let owner = block.parent()?;
    match owner.kind() {
        "if_statement" | "elif_clause"
            if owner.child_by_field_name("consequence") == Some(block) =>
        {
            owner.child_by_field_name("condition")
        }
        _ => None,
    }
}

/// `Class.method` for messages.
pub(crate) fn qualified(class: &Class, f: &Function) -> String {
    format!("{}.{}", class.name, f.name)
}
