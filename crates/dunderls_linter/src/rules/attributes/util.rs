//! Facts shared by the attribute-access rules (DUN1xx): method parameters,
//! reads and writes of `self` attributes, "is this node reached for the
//! attribute name X?" inside `__getattr__`/`__getattribute__`/`__setattr__`,
//! the instance layout a class's `__slots__` and bases produce, and the
//! expensive-call matcher DUN101 uses.
//!
//! Nothing here recurses over the syntax tree: walks go up through
//! `Node::parent` or use `syntax::descendants`.

use std::collections::HashSet;

use dunderls_python::{syntax, Class, Function, Node, ParamKind, Slots};

use crate::checker::Checker;
use crate::diagnostic::Edit;
use crate::hierarchy::Ancestor;

// ---------------------------------------------------------------- methods

/// Methods Python binds to the class, not the instance, without a decorator.
const IMPLICIT_CLASS_METHODS: &[&str] = &["__new__", "__init_subclass__", "__class_getitem__"];

/// The instance receiver (`self`) of a regular method; None for static and
/// class methods (explicit or implicit) and functions without parameters.
pub(crate) fn instance_receiver<'a>(f: &Function<'a>) -> Option<&'a str> {
    if f.is_staticmethod() || f.is_classmethod() || IMPLICIT_CLASS_METHODS.contains(&f.name) {
        return None;
    }
    f.receiver()
}

/// The positional parameter at `index` (0 is the receiver).
pub(crate) fn positional_param<'a>(f: &Function<'a>, index: usize) -> Option<&'a str> {
    f.params
        .iter()
        .filter(|p| matches!(p.kind, ParamKind::Positional | ParamKind::PositionalOnly))
        .nth(index)
        .map(|p| p.name)
}

/// A direct, non-stub method of `class` named `name` that receives the
/// instance: the methods the DUN1xx rules inspect.
pub(crate) fn own_method<'m, 'a>(
    cx: &'m Checker<'a>,
    class: &'m Class<'a>,
    name: &str,
) -> Option<&'m Function<'a>> {
    cx.module
        .unconditional_method(class, name)
        .filter(|f| instance_receiver(f).is_some() && !f.is_stub() && !f.is_overload())
}

/// `__x` written in class `Cls` is stored as `_Cls__x` (private name
/// mangling); dunder names and names in a class made only of underscores
/// are left alone.
pub(crate) fn mangle(class_name: &str, attr: &str) -> String {
    let stripped = class_name.trim_start_matches('_');
    if attr.starts_with("__") && !attr.ends_with("__") && !stripped.is_empty() {
        format!("_{stripped}{attr}")
    } else {
        attr.to_string()
    }
}

pub(crate) fn is_dunder(name: &str) -> bool {
    name.len() > 4 && name.starts_with("__") && name.ends_with("__")
}

/// `decorator` names `target` (a qualified name like `functools.lru_cache`)
/// through this module's imports.
pub(crate) fn decorator_is(cx: &Checker, decorator_name: &str, targets: &[&str]) -> bool {
    let qualified = cx.module.qualified_name(decorator_name);
    targets.contains(&qualified.as_str())
}

// ------------------------------------------------------- self attributes

/// How an attribute node is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    Read,
    Write,
    /// `self.x += 1`: read, then written.
    ReadWrite,
    Delete,
}

/// Whether `node` (an expression) is read, assigned, augmented or deleted.
pub(crate) fn access_of(node: Node) -> Access {
    let mut child = node;
    loop {
        let Some(parent) = child.parent() else {
            return Access::Read;
        };
        match parent.kind() {
            "pattern_list"
            | "tuple_pattern"
            | "list_pattern"
            | "list_splat_pattern"
            | "parenthesized_expression"
            | "expression_list"
            | "tuple"
            | "list" => child = parent,
            "assignment" | "for_statement" | "for_in_clause"
                if parent.child_by_field_name("left") == Some(child) =>
            {
                return Access::Write
            }
            "augmented_assignment" if parent.child_by_field_name("left") == Some(child) => {
                return Access::ReadWrite
            }
            "as_pattern_target" => return Access::Write,
            "delete_statement" => return Access::Delete,
            _ => return Access::Read,
        }
    }
}

/// `receiver.<attr>` attribute nodes of a function's own scope, outside
/// lambdas, with the attribute name and how it is used.
pub(crate) fn receiver_attributes<'a>(
    source: &'a str,
    f: &Function<'a>,
    receiver: &'a str,
) -> Vec<(Node<'a>, &'a str, Access)> {
    f.scope
        .attributes
        .iter()
        .filter_map(|&node| {
            let object = node.child_by_field_name("object")?;
            let attr = node.child_by_field_name("attribute")?;
            (syntax::is_identifier(source, object, receiver) && !f.in_lambda(node))
                .then(|| (node, syntax::text(source, attr), access_of(node)))
        })
        .collect()
}

/// Some ancestor of `node` below `stop` is of one of these kinds.
pub(crate) fn inside(node: Node, stop: Node, kinds: &[&str]) -> bool {
    let mut cur = node.parent();
    while let Some(n) = cur {
        if n == stop {
            return false;
        }
        if kinds.contains(&n.kind()) {
            return true;
        }
        cur = n.parent();
    }
    false
}

/// The subtree of `node` uses the variable `ident` (the attribute part of
/// `x.ident` and keyword names `f(ident=...)` are not uses).
pub(crate) fn mentions(source: &str, node: Node, ident: &str) -> bool {
    syntax::descendants(node, false).any(|n| {
        syntax::is_identifier(source, n, ident)
            && !n.parent().is_some_and(|p| {
                (p.kind() == "attribute" && p.child_by_field_name("attribute") == Some(n))
                    || (p.kind() == "keyword_argument" && p.child_by_field_name("name") == Some(n))
            })
    })
}

/// Names assigned as `<receiver>.<name> = ...` (or augmented, or in tuple
/// targets) in any instance method of `class`, with the methods' names.
pub(crate) fn instance_assignments<'a>(
    cx: &Checker<'a>,
    class: &Class<'a>,
) -> Vec<(&'a str, &'a str)> {
    let mut out = Vec::new();
    for f in cx.module.unconditional_methods(class) {
        let Some(receiver) = instance_receiver(f) else {
            continue;
        };
        for (_, attr, access) in receiver_attributes(cx.source, f, receiver) {
            if matches!(access, Access::Write | Access::ReadWrite) {
                out.push((attr, f.name));
            }
        }
    }
    out
}

/// Attribute names a `__new__` of `class` assigns on any object (the
/// instance it builds): they exist even on instances `__init__` never saw.
pub(crate) fn assigned_in_new<'a>(cx: &Checker<'a>, class: &Class<'a>) -> HashSet<&'a str> {
    let mut out = HashSet::new();
    if let Some(new) = cx.module.unconditional_method(class, "__new__") {
        for &node in &new.scope.attributes {
            if access_of(node) == Access::Write {
                if let Some(attr) = node.child_by_field_name("attribute") {
                    out.insert(cx.text(attr));
                }
            }
        }
    }
    out
}

/// Some method assigns `self.__class__`: after that, reads and writes no
/// longer go through this class's methods (the lazy-module trick of
/// `importlib.util._LazyModule`).
pub(crate) fn reassigns_class(cx: &Checker, class: &Class) -> bool {
    cx.module.unconditional_methods(class).any(|f| {
        // `receiver_attributes`, asking `access_of` only about `__class__`.
        f.self_attributes(cx.source).any(|(node, attr)| {
            attr == "__class__" && !f.in_lambda(node) && access_of(node) == Access::Write
        })
    })
}

// ------------------------------------------------- class-level names

/// Names the class (or a resolvable user-class ancestor) defines at class
/// level: methods (properties included), class attributes, slots. Reading
/// such a name on an instance is answered by the class.
pub(crate) fn class_level_names(cx: &Checker, class: &Class) -> HashSet<String> {
    let mut names: HashSet<String> = HashSet::new();
    names.extend(
        cx.module
            .unconditional_methods(class)
            .map(|f| f.name.to_string()),
    );
    names.extend(class.attributes.iter().map(|a| a.name.to_string()));
    // Names bound anywhere in the class body, also under `if`/`try`.
    if let Some(body) = class.node.child_by_field_name("body") {
        for node in syntax::descendants(body, true) {
            let bound = match node.kind() {
                "function_definition" | "class_definition" => node.child_by_field_name("name"),
                "identifier" if access_of(node) == Access::Write => Some(node),
                _ => None,
            };
            if let Some(bound) = bound {
                names.insert(syntax::text(cx.source, bound).to_string());
            }
        }
    }
    if let Some(slots) = class.slots.as_ref().and_then(|s| s.names.as_ref()) {
        names.extend(slots.iter().map(|(n, _)| mangle(class.name, n)));
    }
    for ancestor in cx.ancestry(class).user_classes() {
        names.extend(ancestor.methods.iter().cloned());
        names.extend(ancestor.attributes.iter().map(|(n, _)| n.clone()));
        if let Some(Some(slots)) = &ancestor.slots {
            names.extend(slots.iter().map(|n| mangle(&ancestor.name, n)));
        }
    }
    names
}

// ---------------------------------------------- reachability for a name

/// The attribute name an access inside `__getattr__`/`__getattribute__`/
/// `__setattr__`/`__delattr__` would pass to the same method again.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Target<'s> {
    /// A known name (`self._data` -> `_data`).
    Literal(&'s str),
    /// The method's own name parameter (`setattr(self, name, value)`).
    SameAsName,
    /// Computed (`setattr(self, "_" + name, value)`).
    Dynamic,
}

/// Whether the code at a node runs when the method is called with the
/// target name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reach {
    /// A condition on the name, or an earlier exit, keeps it from running.
    Never,
    /// A condition on the name we cannot evaluate, an exception handler, a
    /// `try` that may return first: stay silent.
    Unknown,
    /// It runs (unless conditions that do not involve the name decide
    /// otherwise).
    Runs,
}

/// Does the code at `node` run when `f` (with name parameter `name`) is
/// called for `target`? Conditions that mention `name` are evaluated for
/// the target where they are simple enough (`name == "x"`,
/// `name in ("a", "b")`, `name.startswith("_")`, `name[0] == "_"`, `not`,
/// `and`, `or`); earlier statements that return or raise on such a
/// condition count as guards.
pub(crate) fn reach(source: &str, f: &Function, node: Node, name: &str, target: Target) -> Reach {
    let mut unknown = false;
    let mut child = node;
    while let Some(parent) = child.parent() {
        if child == f.body {
            break;
        }
        match step(source, parent, child, name, target) {
            Step::Excluded => return Reach::Never,
            Step::Unknown => unknown = true,
            Step::Maybe | Step::Certain => {}
        }
        if parent.kind() == "block" {
            match earlier_exits(source, parent, child, name, target) {
                Step::Excluded => return Reach::Never,
                Step::Unknown => unknown = true,
                _ => {}
            }
        }
        child = parent;
    }
    if unknown {
        Reach::Unknown
    } else {
        Reach::Runs
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// This construct keeps the child from running for the target.
    Excluded,
    Unknown,
    /// Runs for the target only when a condition not about the name holds.
    Maybe,
    /// Runs for the target.
    Certain,
}

/// What the construct `parent` says about reaching its `child`.
fn step(source: &str, parent: Node, child: Node, name: &str, target: Target) -> Step {
    let field_is = |field: &str| parent.child_by_field_name(field) == Some(child);
    match parent.kind() {
        "lambda" | "function_definition" | "class_definition" => Step::Excluded,
        "except_clause" | "except_group_clause" => Step::Unknown,
        "if_statement" => {
            if field_is("condition") {
                return Step::Certain;
            }
            let Some(cond) = parent.child_by_field_name("condition") else {
                return Step::Unknown;
            };
            // The consequence needs the condition true; elif/else need it false.
            let want = field_is("consequence");
            let mut result = guard(source, cond, want, name, target);
            if child.kind() == "else_clause" {
                // An else also needs every elif condition false.
                let mut cursor = parent.walk();
                for alt in parent.children_by_field_name("alternative", &mut cursor) {
                    if alt.kind() == "elif_clause" {
                        if let Some(c) = alt.child_by_field_name("condition") {
                            result = combine(result, guard(source, c, false, name, target));
                        }
                    }
                }
            } else if child.kind() == "elif_clause" {
                // ... and every earlier elif condition false.
                let mut cursor = parent.walk();
                for alt in parent.children_by_field_name("alternative", &mut cursor) {
                    if alt == child {
                        break;
                    }
                    if let Some(c) = alt.child_by_field_name("condition") {
                        result = combine(result, guard(source, c, false, name, target));
                    }
                }
            }
            result
        }
        "elif_clause" | "while_statement" if !field_is("condition") => {
            let Some(cond) = parent.child_by_field_name("condition") else {
                return Step::Unknown;
            };
            let s = guard(source, cond, true, name, target);
            if parent.kind() == "while_statement" && s == Step::Certain {
                Step::Maybe
            } else {
                s
            }
        }
        "conditional_expression" => {
            // `a if cond else b`: named children a, cond, b.
            let (Some(a), Some(cond)) = (parent.named_child(0), parent.named_child(1)) else {
                return Step::Unknown;
            };
            if child == cond {
                return Step::Certain;
            }
            guard(source, cond, child == a, name, target)
        }
        "boolean_operator" if field_is("right") => {
            let Some(left) = parent.child_by_field_name("left") else {
                return Step::Unknown;
            };
            let is_and = parent
                .child_by_field_name("operator")
                .is_some_and(|op| syntax::text(source, op) == "and");
            guard(source, left, is_and, name, target)
        }
        "for_statement" if !field_is("right") => Step::Maybe,
        "list_comprehension"
        | "set_comprehension"
        | "dictionary_comprehension"
        | "generator_expression"
        | "for_in_clause"
        | "if_clause" => {
            if mentions(source, parent, name) {
                Step::Unknown
            } else {
                Step::Maybe
            }
        }
        "match_statement" | "case_clause" => {
            if mentions(source, parent, name) {
                Step::Unknown
            } else {
                Step::Maybe
            }
        }
        "try_statement" if child.kind() == "else_clause" => Step::Maybe,
        _ => Step::Certain,
    }
}

fn combine(a: Step, b: Step) -> Step {
    use Step::*;
    match (a, b) {
        (Excluded, _) | (_, Excluded) => Excluded,
        (Unknown, _) | (_, Unknown) => Unknown,
        (Maybe, _) | (_, Maybe) => Maybe,
        _ => Certain,
    }
}

/// A condition that must evaluate to `want` for the guarded code to run.
fn guard(source: &str, cond: Node, want: bool, name: &str, target: Target) -> Step {
    if !mentions(source, cond, name) {
        return Step::Maybe;
    }
    match target {
        // Re-entered with the same name and the same state: the same branch
        // is taken again.
        Target::SameAsName => Step::Maybe,
        Target::Dynamic => Step::Unknown,
        Target::Literal(value) => match eval_name_condition(source, cond, name, value) {
            Some(v) if v == want => Step::Certain,
            Some(_) => Step::Excluded,
            None => Step::Unknown,
        },
    }
}

/// Earlier statements of `block` (before `child`) that return or raise:
/// an exit that certainly runs for the target keeps `child` from running.
fn earlier_exits(source: &str, block: Node, child: Node, name: &str, target: Target) -> Step {
    let mut result = Step::Certain;
    for stmt in syntax::statements(block) {
        if stmt == child || stmt.start_byte() >= child.start_byte() {
            break;
        }
        if matches!(stmt.kind(), "return_statement" | "raise_statement") {
            return Step::Excluded;
        }
        for exit in syntax::descendants(stmt, true)
            .filter(|n| matches!(n.kind(), "return_statement" | "raise_statement"))
        {
            match exit_taken(source, stmt, exit, name, target) {
                Step::Certain => return Step::Excluded,
                Step::Unknown => result = Step::Unknown,
                _ => {}
            }
        }
    }
    result
}

/// Whether `exit`, nested in the statement `stmt`, is taken for the target:
/// Certain only when every construct between them is a condition on the
/// name that holds for the target.
fn exit_taken(source: &str, stmt: Node, exit: Node, name: &str, target: Target) -> Step {
    let mut result = Step::Certain;
    let mut child = exit;
    while let Some(parent) = child.parent() {
        let s = match parent.kind() {
            // An exit inside `try` may be skipped by an exception; one in a
            // handler runs only on an exception.
            "try_statement" | "except_clause" | "except_group_clause" => {
                if result == Step::Certain {
                    Step::Unknown
                } else {
                    Step::Maybe
                }
            }
            "with_statement" | "block" | "else_clause" => Step::Certain,
            "if_statement" | "elif_clause" | "conditional_expression" | "boolean_operator" => {
                step(source, parent, child, name, target)
            }
            _ => Step::Maybe,
        };
        result = combine(result, s);
        if result == Step::Excluded || parent == stmt {
            break;
        }
        child = parent;
    }
    result
}

/// Evaluate a condition on the name parameter for `value`, when it is made
/// only of comparisons with string literals, `startswith`/`endswith`,
/// indexing/slicing of the name, `not`, `and`, `or`.
pub(crate) fn eval_name_condition(
    source: &str,
    cond: Node,
    name: &str,
    value: &str,
) -> Option<bool> {
    // Evaluate without recursion: post-order over an explicit stack.
    enum Work<'t> {
        Visit(Node<'t>),
        Not,
        Bool { is_and: bool },
    }
    let mut work = vec![Work::Visit(cond)];
    let mut values: Vec<Option<bool>> = Vec::new();
    while let Some(item) = work.pop() {
        match item {
            Work::Not => {
                let v = values.pop()?;
                values.push(v.map(|b| !b));
            }
            Work::Bool { is_and } => {
                let (b, a) = (values.pop()?, values.pop()?);
                values.push(match (a, b, is_and) {
                    (Some(false), _, true) | (_, Some(false), true) => Some(false),
                    (Some(true), Some(true), true) => Some(true),
                    (Some(true), _, false) | (_, Some(true), false) => Some(true),
                    (Some(false), Some(false), false) => Some(false),
                    _ => None,
                });
            }
            Work::Visit(node) => {
                let node = syntax::unparenthesize(node);
                match node.kind() {
                    "not_operator" => {
                        work.push(Work::Not);
                        work.push(Work::Visit(node.child_by_field_name("argument")?));
                    }
                    "boolean_operator" => {
                        let is_and =
                            syntax::text(source, node.child_by_field_name("operator")?) == "and";
                        work.push(Work::Bool { is_and });
                        work.push(Work::Visit(node.child_by_field_name("right")?));
                        work.push(Work::Visit(node.child_by_field_name("left")?));
                    }
                    _ => values.push(eval_atom(source, node, name, value)),
                }
            }
        }
    }
    values.pop().flatten()
}

/// One comparison or call on the name.
fn eval_atom(source: &str, node: Node, name: &str, value: &str) -> Option<bool> {
    match node.kind() {
        "identifier" if syntax::text(source, node) == name => Some(!value.is_empty()),
        "call" => {
            let function = node.child_by_field_name("function")?;
            if function.kind() != "attribute" {
                return None;
            }
            let object = function.child_by_field_name("object")?;
            let method = syntax::text(source, function.child_by_field_name("attribute")?);
            let subject = name_expr(source, object, name, value)?;
            let args = syntax::positional_args(node);
            let [arg] = args.as_slice() else { return None };
            let options = string_options(source, *arg)?;
            match method {
                "startswith" => Some(options.iter().any(|o| subject.starts_with(o.as_str()))),
                "endswith" => Some(options.iter().any(|o| subject.ends_with(o.as_str()))),
                _ => None,
            }
        }
        "comparison_operator" => {
            let mut cursor = node.walk();
            let operands: Vec<Node> = node.named_children(&mut cursor).collect();
            let [left, right] = operands.as_slice() else {
                return None;
            };
            let mut cursor = node.walk();
            let ops: Vec<Node> = node
                .children_by_field_name("operators", &mut cursor)
                .collect();
            let [op] = ops.as_slice() else { return None };
            let op = syntax::text(source, *op)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            match op.as_str() {
                "==" | "!=" => {
                    let (l, r) = (
                        name_expr(source, *left, name, value).or_else(|| literal(source, *left)),
                        name_expr(source, *right, name, value).or_else(|| literal(source, *right)),
                    );
                    let involves = mentions(source, *left, name) || mentions(source, *right, name);
                    let equal = l? == r?;
                    involves.then_some(if op == "==" { equal } else { !equal })
                }
                "in" | "not in" => {
                    let found = if let Some(subject) = name_expr(source, *left, name, value) {
                        string_options(source, *right)?.contains(&subject)
                    } else {
                        // `"_" in name`
                        let needle = literal(source, *left)?;
                        let hay = name_expr(source, *right, name, value)?;
                        hay.contains(needle.as_str())
                    };
                    Some(if op == "in" { found } else { !found })
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// The value of `name`, `name[i]` or `name[:k]` / `name[a:b]` for `value`.
fn name_expr(source: &str, node: Node, name: &str, value: &str) -> Option<String> {
    let node = syntax::unparenthesize(node);
    if syntax::is_identifier(source, node, name) {
        return Some(value.to_string());
    }
    if node.kind() != "subscript"
        || !syntax::is_identifier(source, node.child_by_field_name("value")?, name)
    {
        return None;
    }
    let index = node.child_by_field_name("subscript")?;
    let chars: Vec<char> = value.chars().collect();
    let len = chars.len() as i64;
    let norm = |i: i64| if i < 0 { (len + i).max(0) } else { i.min(len) };
    match index.kind() {
        "integer" => {
            let i: i64 = syntax::text(source, index).parse().ok()?;
            let i = if i < 0 { len + i } else { i };
            // Out of range raises IndexError: not a value we can compare.
            chars.get(usize::try_from(i).ok()?).map(|c| c.to_string())
        }
        "unary_operator" => {
            let i: i64 = syntax::text(source, index).replace(' ', "").parse().ok()?;
            let i = len + i;
            chars.get(usize::try_from(i).ok()?).map(|c| c.to_string())
        }
        "slice" => {
            let text = syntax::text(source, index).replace(' ', "");
            let (a, b) = text.split_once(':')?;
            if b.contains(':') {
                return None;
            }
            let a = if a.is_empty() {
                0
            } else {
                norm(a.parse().ok()?)
            };
            let b = if b.is_empty() {
                len
            } else {
                norm(b.parse().ok()?)
            };
            let (a, b) = (usize::try_from(a).ok()?, usize::try_from(b).ok()?);
            Some(if a < b {
                chars[a..b].iter().collect()
            } else {
                String::new()
            })
        }
        _ => None,
    }
}

/// A plain string literal's value.
fn literal(source: &str, node: Node) -> Option<String> {
    syntax::string_value(source, syntax::unparenthesize(node)).map(str::to_string)
}

/// A string literal or a tuple/list/set/frozenset literal of them.
fn string_options(source: &str, node: Node) -> Option<Vec<String>> {
    let node = syntax::unparenthesize(node);
    if let Some(s) = literal(source, node) {
        return Some(vec![s]);
    }
    let node = if node.kind() == "call"
        && syntax::callee_name(source, node).is_some_and(|n| n == "frozenset" || n == "set")
    {
        *syntax::positional_args(node).first()?
    } else {
        node
    };
    if !matches!(node.kind(), "tuple" | "list" | "set") {
        return None;
    }
    let mut cursor = node.walk();
    let items: Vec<Node> = node
        .named_children(&mut cursor)
        .filter(|n| n.kind() != "comment")
        .collect();
    items.into_iter().map(|n| literal(source, n)).collect()
}

// ------------------------------------------------------ instance layout

/// Whether instances have a `__dict__` (or a `__weakref__` slot).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Has {
    Yes,
    No,
    /// Some base (or a class decorator, or dynamic `__slots__`) we cannot see.
    Unknown,
}

impl Has {
    fn or(self, other: Has) -> Has {
        match (self, other) {
            (Has::Yes, _) | (_, Has::Yes) => Has::Yes,
            (Has::Unknown, _) | (_, Has::Unknown) => Has::Unknown,
            _ => Has::No,
        }
    }
}

/// What a class's instances carry, from its own `__slots__` and its bases.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    pub dict: Has,
    pub weakref: Has,
    /// The nearest ancestor that gives instances a `__dict__`.
    pub dict_from: Option<String>,
    /// Slot names of the class and its ancestors (as stored, mangled).
    pub slots: HashSet<String>,
    /// A base is `int`, `bytes` or `tuple`: no non-empty `__slots__`, no
    /// `__weakref__` slot possible.
    pub variable_size: bool,
    /// A base is `type`: a metaclass.
    pub metaclass: bool,
}

/// Decorators that can replace the class with a slotted copy (dataclasses
/// with `slots=True`, attrs' `define`/`frozen`/`mutable`, which slot by
/// default, `attr.s(slots=True)`).
fn layout_decorator(
    name: &str,
    keywords: Option<&[dunderls_python::Keyword]>,
    source: &str,
) -> bool {
    let last = name.rsplit('.').next().unwrap_or(name);
    match last {
        "dataclass" => match keywords {
            Some(kws) => kws
                .iter()
                .any(|k| k.name == "slots" && syntax::text(source, k.value) != "False"),
            None => true,
        },
        "define" | "frozen" | "mutable" | "attrs" | "s" => {
            name.starts_with("attr") || matches!(last, "define" | "frozen" | "mutable")
        }
        _ => false,
    }
}

/// The class's own `__slots__`: Ok(None) without one, Ok(Some(names)) when
/// it is a literal, Err(()) when dynamic or re-assigned in ways we do not
/// follow (or a decorator may rewrite the layout).
pub(crate) fn own_slots<'c, 'a>(
    cx: &Checker<'a>,
    class: &'c Class<'a>,
) -> Result<Option<&'c Slots<'a>>, ()> {
    if class
        .decorators
        .iter()
        .any(|d| layout_decorator(d.name, Some(&d.keywords), cx.source))
    {
        return Err(());
    }
    // `__slots__` used anywhere else in the class body (assigned again,
    // augmented, assigned inside an `if`, `__slots__.append(...)`): the
    // final value is not the literal we see.
    let uses = class.node.child_by_field_name("body").map_or(0, |body| {
        syntax::descendants(body, true)
            .filter(|n| syntax::is_identifier(cx.source, *n, "__slots__"))
            .count()
    });
    match &class.slots {
        None if uses == 0 => Ok(None),
        Some(s) if uses == 1 && s.names.is_some() => Ok(Some(s)),
        _ => Err(()),
    }
}

/// The instance layout of `class`, which must have a literal `__slots__`
/// (None otherwise, or when the class is a metaclass).
pub(crate) fn slotted_layout(cx: &Checker, class: &Class) -> Option<Layout> {
    let own = own_slots(cx, class).ok()??;
    let names = own.names.as_ref()?;
    let mut layout = Layout {
        dict: if names.iter().any(|(n, _)| n == "__dict__") {
            Has::Yes
        } else {
            Has::No
        },
        weakref: if names.iter().any(|(n, _)| n == "__weakref__") {
            Has::Yes
        } else {
            Has::No
        },
        dict_from: None,
        slots: names.iter().map(|(n, _)| mangle(class.name, n)).collect(),
        variable_size: false,
        metaclass: false,
    };
    let ancestry = cx.ancestry(class);
    for ancestor in &ancestry.ancestors {
        let (dict, weakref, label) = match ancestor {
            Ancestor::Class(summary) => {
                // A decorator, a metaclass, or NamedTuple/TypedDict machinery
                // may build the class with slots it does not spell out.
                let decorated = summary_layout_decorated(cx, summary)
                    || summary.metaclass.is_some()
                    || summary.bases.iter().any(|b| {
                        b.ends_with("NamedTuple")
                            || b.ends_with("TypedDict")
                            || b.ends_with("namedtuple")
                    });
                match (&summary.slots, decorated) {
                    (_, true) | (Some(None), _) => (Has::Unknown, Has::Unknown, None),
                    (None, false) => (Has::Yes, Has::Yes, Some(summary.name.clone())),
                    (Some(Some(names)), false) => {
                        layout
                            .slots
                            .extend(names.iter().map(|n| mangle(&summary.name, n)));
                        let has = |n: &str| {
                            if names.iter().any(|s| s == n) {
                                Has::Yes
                            } else {
                                Has::No
                            }
                        };
                        (
                            has("__dict__"),
                            has("__weakref__"),
                            Some(summary.name.clone()),
                        )
                    }
                }
            }
            Ancestor::Builtin(name) => {
                let bare = name.strip_prefix("builtins.").unwrap_or(name);
                if matches!(bare, "int" | "bytes" | "tuple" | "bool") {
                    layout.variable_size = true;
                }
                if bare == "type" {
                    layout.metaclass = true;
                }
                let (d, w) = builtin_layout(bare);
                (d, w, Some(bare.to_string()))
            }
            Ancestor::Abc(_) | Ancestor::Transparent(_) => (Has::No, Has::No, None),
            Ancestor::Unknown(_) => (Has::Unknown, Has::Unknown, None),
        };
        if dict == Has::Yes && layout.dict != Has::Yes {
            layout.dict_from = label;
        }
        layout.dict = layout.dict.or(dict);
        layout.weakref = layout.weakref.or(weakref);
    }
    if layout.metaclass {
        return None;
    }
    Some(layout)
}

/// A user-class ancestor whose decorators may give it slots we cannot see.
fn summary_layout_decorated(cx: &Checker, summary: &crate::hierarchy::ClassSummary) -> bool {
    if summary.module == cx.module_name {
        if let Some(class) = cx.module.class_named(&summary.name) {
            return class
                .decorators
                .iter()
                .any(|d| layout_decorator(d.name, Some(&d.keywords), cx.source));
        }
    }
    summary
        .decorators
        .iter()
        .any(|d| layout_decorator(d, None, cx.source))
}

/// Instances of a subclass with `__slots__ = ()` of this builtin: does it
/// have a `__dict__` / accept weak references? (Observed on CPython
/// 3.11-3.13 through `__dictoffset__` / `__weakrefoffset__`.)
fn builtin_layout(name: &str) -> (Has, Has) {
    use Has::*;
    match name {
        "object"
        | "int"
        | "str"
        | "bytes"
        | "tuple"
        | "list"
        | "dict"
        | "float"
        | "complex"
        | "bytearray"
        | "bool"
        | "property"
        | "collections.defaultdict"
        | "abc.ABC" => (No, No),
        "set" | "frozenset" | "collections.deque" => (No, Yes),
        "BaseException" | "Exception" | "staticmethod" | "classmethod" => (Yes, No),
        "type"
        | "collections.OrderedDict"
        | "collections.Counter"
        | "collections.UserDict"
        | "collections.UserList"
        | "collections.UserString"
        | "collections.ChainMap" => (Yes, Yes),
        n if n.starts_with("enum.") => (Yes, Yes),
        n if n.ends_with("Error") && !n.contains('.') => (Yes, No),
        _ => (Unknown, Unknown),
    }
}

/// The `__slots__` name node of the class's `__slots__` assignment.
pub(crate) fn slots_target<'a>(slots: &Slots<'a>) -> Node<'a> {
    slots
        .statement
        .named_child(0)
        .and_then(|a| a.child_by_field_name("left"))
        .unwrap_or(slots.value)
}

/// An edit adding `name` to a literal `__slots__` (string, tuple, list or
/// set); None for dict or other forms.
pub(crate) fn add_slot_edit(source: &str, slots: &Slots, name: &str) -> Option<Edit> {
    let value = syntax::unparenthesize(slots.value);
    let quote = slots
        .names
        .as_ref()
        .and_then(|ns| ns.first())
        .and_then(|(_, node)| {
            syntax::text(source, *node)
                .chars()
                .find(|c| *c == '\'' || *c == '"')
        })
        .unwrap_or('"');
    let new = format!("{quote}{name}{quote}");
    match value.kind() {
        "string" => Some(Edit::replace(
            value.byte_range(),
            format!("({}, {new})", syntax::text(source, value)),
        )),
        "tuple" | "list" | "set" => {
            let mut cursor = value.walk();
            let last = value
                .named_children(&mut cursor)
                .filter(|n| n.kind() != "comment")
                .last();
            match last {
                Some(last) => {
                    // `("a",)` becomes `("a", "b")`; a multi-line literal keeps
                    // its trailing comma.
                    let after = &source[last.end_byte()..value.end_byte()];
                    let single_line = !syntax::text(source, value).contains('\n');
                    match after.find(',') {
                        Some(comma) if single_line && after[..comma].trim().is_empty() => {
                            Some(Edit::replace(
                                last.end_byte()..last.end_byte() + comma + 1,
                                format!(", {new}"),
                            ))
                        }
                        _ => Some(Edit::insert(last.end_byte(), format!(", {new}"))),
                    }
                }
                // `()` / `[]`: the closing bracket is the last byte.
                None if value.kind() == "tuple" => {
                    Some(Edit::replace(value.byte_range(), format!("({new},)")))
                }
                None => Some(Edit::insert(value.end_byte().checked_sub(1)?, new)),
            }
        }
        _ => None,
    }
}

// -------------------------------------------------------- DUN101 calls

/// Python builtins that never do I/O: a bare call to one is never
/// "expensive", even when its name is configured (`all` is in the defaults
/// for SQLAlchemy's `query.all()`, not for the builtin).
const CHEAP_BUILTINS: &[&str] = &[
    "abs",
    "all",
    "any",
    "ascii",
    "bin",
    "bool",
    "callable",
    "chr",
    "dict",
    "dir",
    "divmod",
    "enumerate",
    "filter",
    "float",
    "format",
    "frozenset",
    "getattr",
    "hasattr",
    "hash",
    "hex",
    "id",
    "int",
    "isinstance",
    "issubclass",
    "iter",
    "len",
    "list",
    "map",
    "max",
    "min",
    "next",
    "oct",
    "ord",
    "pow",
    "range",
    "repr",
    "reversed",
    "round",
    "set",
    "setattr",
    "slice",
    "sorted",
    "str",
    "sum",
    "tuple",
    "type",
    "vars",
    "zip",
];

/// Calls that read a mapping by key (`d.get(k)`), not a query.
const MAPPING_READS: &[&str] = &["get", "pop", "setdefault", "__getitem__"];

/// The identifiers of a callee's attribute chain, left to right, stopping
/// at anything else (`self.session().query` -> `["query"]`).
fn callee_chain<'a>(source: &'a str, call: Node<'a>) -> (Vec<&'a str>, Option<Node<'a>>) {
    let mut parts = Vec::new();
    let mut cur = call.child_by_field_name("function");
    let mut root = None;
    while let Some(node) = cur {
        match node.kind() {
            "identifier" => {
                parts.push(syntax::text(source, node));
                root = Some(node);
                break;
            }
            "attribute" => {
                if let Some(attr) = node.child_by_field_name("attribute") {
                    parts.push(syntax::text(source, attr));
                }
                cur = node.child_by_field_name("object");
                root = cur;
            }
            _ => break,
        }
    }
    parts.reverse();
    (parts, root)
}

/// `call` names configured expensive work: its last component (leading
/// underscores ignored) equals an entry, or its dotted chain ends with a
/// dotted entry.
pub(crate) fn matches_expensive(source: &str, call: Node, entries: &[String]) -> bool {
    let (parts, _) = callee_chain(source, call);
    let Some(last) = parts.last() else {
        return false;
    };
    let last = last.trim_start_matches('_');
    entries.iter().any(|entry| {
        let want: Vec<&str> = entry.split('.').filter(|p| !p.is_empty()).collect();
        let Some((want_last, want_rest)) = want.split_last() else {
            return false;
        };
        if *want_last != last || want_rest.len() > parts.len() - 1 {
            return false;
        }
        let before = &parts[..parts.len() - 1];
        before.ends_with(want_rest)
    })
}

/// Why a call that matches an expensive name is still not expensive
/// inside `__getattr__(self, name)`: a bare cheap builtin, a method of the
/// name string itself, or a mapping read keyed by the name.
pub(crate) fn cheap_despite_name(cx: &Checker, call: Node, name_param: Option<&str>) -> bool {
    let source = cx.source;
    let (parts, root) = callee_chain(source, call);
    let Some(function) = call.child_by_field_name("function") else {
        return true;
    };
    if function.kind() == "identifier" {
        return CHEAP_BUILTINS.contains(&syntax::text(source, function));
    }
    let Some(object) = function.child_by_field_name("object") else {
        return true;
    };
    let object = syntax::unparenthesize(object);
    // `name.count(".")`, `"".join(...)`.
    if object.kind() == "string"
        || name_param.is_some_and(|n| root.is_some_and(|r| syntax::is_identifier(source, r, n)))
    {
        return true;
    }
    let last = parts
        .last()
        .map(|l| l.trim_start_matches('_'))
        .unwrap_or("");
    if !MAPPING_READS.contains(&last) {
        return false;
    }
    // `self.__dict__.get(...)`, `vars(self).get(...)`, `{...}.get(...)`.
    let dict_object = match object.kind() {
        "attribute" => object
            .child_by_field_name("attribute")
            .is_some_and(|a| syntax::text(source, a) == "__dict__"),
        "call" => syntax::callee_name(source, object).is_some_and(|n| n == "vars"),
        "dictionary" => true,
        _ => false,
    };
    if dict_object {
        return true;
    }
    // `requests.get(url)`: the receiver is an imported module.
    let module_receiver = root.filter(|r| r.kind() == "identifier").is_some_and(|r| {
        let head = syntax::text(source, r);
        cx.module.import_of(head).is_some()
    });
    if module_receiver {
        return false;
    }
    // `self._fields.get(name)`, `self._state.get({})`: a mapping (or
    // context variable) read, unless the first argument is a class, as in
    // SQLAlchemy's `session.get(User, key)`.
    let model_key = syntax::positional_args(call).first().is_some_and(|key| {
        syntax::dotted_name(source, *key)
            .and_then(|d| d.rsplit('.').next())
            .is_some_and(|last| last.chars().next().is_some_and(char::is_uppercase))
    });
    !model_key
}

/// Store calls: the result is put somewhere that outlives the call.
const STORE_CALLS: &[&str] = &[
    "setattr",
    "__setattr__",
    "setdefault",
    "update",
    "__setitem__",
];

/// The function stores something beyond its locals: an assignment to an
/// attribute or subscript target (`self.x = v`, `self.__dict__[n] = v`,
/// `self._cache[n] = v`), a store call (`setattr(self, n, v)`,
/// `object.__setattr__`, `d.setdefault`, `d.update`), or a
/// `global`/`nonlocal` rebinding.
pub(crate) fn stores_state(source: &str, f: &Function) -> bool {
    let assigns = f.scope.assignments.iter().any(|a| {
        a.child_by_field_name("left").is_some_and(|left| {
            syntax::descendants(left, true).any(|n| matches!(n.kind(), "attribute" | "subscript"))
        })
    });
    let calls = f.scope.calls.iter().any(|c| {
        let (parts, _) = callee_chain(source, *c);
        parts.last().is_some_and(|l| STORE_CALLS.contains(l))
    });
    let global = syntax::descendants(f.body, true)
        .any(|n| matches!(n.kind(), "global_statement" | "nonlocal_statement"));
    assigns || calls || global
}

/// `self.<method>(...)`: the method name when the callee is a method of the
/// receiver.
pub(crate) fn self_method_call<'a>(
    source: &'a str,
    call: Node<'a>,
    receiver: &str,
) -> Option<&'a str> {
    let function = call.child_by_field_name("function")?;
    if function.kind() != "attribute" {
        return None;
    }
    let object = function.child_by_field_name("object")?;
    syntax::is_identifier(source, object, receiver).then(|| {
        syntax::text(
            source,
            function
                .child_by_field_name("attribute")
                .unwrap_or(function),
        )
    })
}

/// Short text of a call for messages: the callee with every argument list
/// collapsed (`self.session.query(...).filter_by(...).all(...)`).
pub(crate) fn call_label(source: &str, call: Node) -> String {
    let callee = call
        .child_by_field_name("function")
        .map(|f| syntax::text(source, f))
        .unwrap_or("");
    let mut out = String::new();
    let mut depth = 0usize;
    for ch in callee.chars().filter(|c| !c.is_whitespace()) {
        match ch {
            '(' | '[' => {
                if depth == 0 {
                    out.push(ch);
                    out.push_str("...");
                }
                depth += 1;
            }
            ')' | ']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    out.push(ch);
                }
            }
            _ if depth == 0 => out.push(ch),
            _ => {}
        }
    }
    if out.chars().count() > 60 {
        let tail: String = out
            .chars()
            .rev()
            .take(50)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        out = format!("...{tail}");
    }
    format!("{out}(...)")
}

/// The range of a decorator without its trailing comment: `@` up to the
/// end of the expression.
pub(crate) fn decorator_range(decorator: &dunderls_python::Decorator) -> std::ops::Range<usize> {
    let end = decorator
        .node
        .named_child(0)
        .map_or(decorator.node.end_byte(), |e| e.end_byte());
    decorator.node.start_byte()..end
}
