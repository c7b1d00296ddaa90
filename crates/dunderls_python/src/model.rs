//! The facts a rule reads, computed once per module by `walk`.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use tree_sitter::{Node, Tree};

use crate::syntax;

pub type FunctionId = usize;

#[derive(Debug)]
pub struct Module<'a> {
    pub source: &'a str,
    pub root: Node<'a>,
    pub classes: Vec<Class<'a>>,
    /// Every function and method, in source order.
    pub functions: Vec<Function<'a>>,
    /// Nodes of module-level code (outside any function).
    pub scope: Scope<'a>,
    pub imports: Vec<Import>,
    /// Byte ranges tree-sitter could not parse (ERROR and MISSING nodes).
    pub error_ranges: Vec<Range<usize>>,
    /// Every comment, in source order.
    pub comments: Vec<Node<'a>>,
    /// Name lookups, so that per-class questions stay linear in file size.
    pub(crate) names: NameIndex<'a>,
}

/// Indices into `Module::classes` / `Module::functions` by name, each list
/// in source order.
#[derive(Debug, Default)]
pub(crate) struct NameIndex<'a> {
    pub classes: HashMap<&'a str, Vec<usize>>,
    pub functions: HashMap<&'a str, Vec<FunctionId>>,
    /// By the last component of each base's name (`Base` for `mod.Base`).
    pub subclasses: HashMap<&'a str, Vec<usize>>,
    /// The last import binding each name (index into `Module::imports`).
    pub imports: HashMap<String, usize>,
    /// Names a top-level `name = value` statement assigns.
    pub top_level_assignments: HashSet<&'a str>,
}

/// A class statement and what its body declares.
#[derive(Debug)]
pub struct Class<'a> {
    pub node: Node<'a>,
    pub name: &'a str,
    pub name_node: Node<'a>,
    pub bases: Vec<Base<'a>>,
    /// `class C(Base, metaclass=M, key=value)` keywords.
    pub keywords: Vec<Keyword<'a>>,
    pub decorators: Vec<Decorator<'a>>,
    /// Direct methods, in source order (indices into `Module::functions`).
    pub methods: Vec<FunctionId>,
    /// Class-level assignments `name = value` / `name: T = value` / `name: T`.
    pub attributes: Vec<ClassAttribute<'a>>,
    pub slots: Option<Slots<'a>>,
    /// The class body contains a syntax error: facts may be incomplete.
    pub has_errors: bool,
    /// Index of the enclosing class for nested classes.
    pub parent: Option<usize>,
    /// Defined inside a function, directly or through enclosing classes
    /// (not importable by name).
    pub in_function: bool,
    /// The innermost function it is defined in, through enclosing classes
    /// (`Some` exactly when `in_function`).
    pub function: Option<FunctionId>,
    /// Nodes of class-body code outside methods.
    pub scope: Scope<'a>,
}

#[derive(Debug, Clone)]
pub struct Base<'a> {
    pub node: Node<'a>,
    /// Dotted name text (`abc.MutableMapping`), or the subscripted value's
    /// name for `Generic[T]`-style bases; None for other expressions.
    pub name: Option<&'a str>,
}

#[derive(Debug, Clone)]
pub struct Keyword<'a> {
    pub name: &'a str,
    pub node: Node<'a>,
    pub value: Node<'a>,
}

#[derive(Debug, Clone)]
pub struct Decorator<'a> {
    pub node: Node<'a>,
    /// The decorator expression without arguments: `functools.total_ordering`.
    pub name: &'a str,
    /// `dataclass(frozen=True)`: the call's keyword arguments.
    pub keywords: Vec<Keyword<'a>>,
}

#[derive(Debug, Clone)]
pub struct ClassAttribute<'a> {
    pub name: &'a str,
    /// The statement (assignment node).
    pub node: Node<'a>,
    pub target: Node<'a>,
    pub value: Option<Node<'a>>,
    pub annotation: Option<Node<'a>>,
}

#[derive(Debug, Clone)]
pub struct Slots<'a> {
    /// The assigned value (`('a', 'b')`, `['a']`, `'a'`, ...).
    pub value: Node<'a>,
    pub statement: Node<'a>,
    /// The slot names when they are all string literals; None when dynamic.
    pub names: Option<Vec<(String, Node<'a>)>>,
}

impl Slots<'_> {
    pub fn contains(&self, name: &str) -> bool {
        self.names
            .as_ref()
            .is_some_and(|ns| ns.iter().any(|(n, _)| n == name))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    PositionalOnly,
    Positional,
    VarPositional,
    KeywordOnly,
    VarKeyword,
}

#[derive(Debug, Clone)]
pub struct Param<'a> {
    pub name: &'a str,
    pub node: Node<'a>,
    pub kind: ParamKind,
    pub has_default: bool,
    pub annotation: Option<Node<'a>>,
}

/// The nodes of one scope that rules ask about, collected in one walk. Nested
/// functions and classes are their own scopes; lambdas and comprehensions
/// belong to the enclosing one.
#[derive(Debug, Default, Clone)]
pub struct Scope<'a> {
    pub returns: Vec<Node<'a>>,
    pub raises: Vec<Node<'a>>,
    pub yields: Vec<Node<'a>>,
    pub awaits: Vec<Node<'a>>,
    pub calls: Vec<Node<'a>>,
    pub attributes: Vec<Node<'a>>,
    /// `assignment` and `augmented_assignment` nodes.
    pub assignments: Vec<Node<'a>>,
    pub deletes: Vec<Node<'a>>,
    pub subscripts: Vec<Node<'a>>,
    pub withs: Vec<Node<'a>>,
    pub binary_operators: Vec<Node<'a>>,
    pub strings: Vec<Node<'a>>,
    pub ifs: Vec<Node<'a>>,
    pub boolean_operators: Vec<Node<'a>>,
    pub not_operators: Vec<Node<'a>>,
    pub lambdas: Vec<Node<'a>>,
}

#[derive(Debug)]
pub struct Function<'a> {
    /// The `function_definition` node.
    pub node: Node<'a>,
    /// The `decorated_definition` when decorated, else `node`.
    pub outer: Node<'a>,
    pub name: &'a str,
    pub name_node: Node<'a>,
    pub params: Vec<Param<'a>>,
    pub decorators: Vec<Decorator<'a>>,
    pub is_async: bool,
    pub return_annotation: Option<Node<'a>>,
    pub body: Node<'a>,
    /// The class this is a direct method of.
    pub class: Option<usize>,
    /// The function this one is nested in.
    pub parent_function: Option<FunctionId>,
    /// The definition is a statement of its scope's body itself (module,
    /// class or function body), not under `if`/`try`/`with`/a loop.
    pub unconditional: bool,
    pub scope: Scope<'a>,
    /// The end of the body can be reached without `return`/`raise`.
    pub can_fall_off_end: bool,
    /// See `is_stub`.
    pub(crate) stub: bool,
    pub has_errors: bool,
}

/// `with Call(...) as alias:`.
#[derive(Debug, Clone, Copy)]
pub struct WithAs<'a> {
    pub with: Node<'a>,
    pub call: Node<'a>,
    pub alias: Node<'a>,
    pub target_used: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Import {
    /// The module, without leading dots (`a.b` for `from ..a.b import c`).
    pub module: String,
    /// Number of leading dots of a relative import.
    pub level: usize,
    /// The imported name for `from m import name`; None for `import m`.
    pub name: Option<String>,
    /// The name bound in this module.
    pub bound: String,
    pub range: Range<usize>,
}

impl<'a> Module<'a> {
    pub fn build(source: &'a str, tree: &'a Tree) -> Module<'a> {
        crate::walk::build(source, tree)
    }

    pub fn text(&self, node: Node) -> &'a str {
        syntax::text(self.source, node)
    }

    pub fn method(&self, class: &Class, name: &str) -> Option<&Function<'a>> {
        class
            .methods
            .iter()
            .rev()
            .map(|&id| &self.functions[id])
            .find(|f| f.name == name)
    }

    pub fn methods<'m, 'c>(
        &'m self,
        class: &'c Class<'a>,
    ) -> impl DoubleEndedIterator<Item = &'m Function<'a>> + use<'m, 'c, 'a> {
        class.methods.iter().map(move |&id| &self.functions[id])
    }

    /// The methods whose `def` is a statement of the class body itself, not
    /// under `if`/`try`/... (see `Function::unconditional`), in source order.
    pub fn unconditional_methods<'m, 'c>(
        &'m self,
        class: &'c Class<'a>,
    ) -> impl DoubleEndedIterator<Item = &'m Function<'a>> + use<'m, 'c, 'a> {
        self.methods(class).filter(|f| f.unconditional)
    }

    /// The last of `unconditional_methods` named `name`.
    pub fn unconditional_method(&self, class: &Class<'a>, name: &str) -> Option<&Function<'a>> {
        self.unconditional_methods(class)
            .rev()
            .find(|f| f.name == name)
    }

    /// A top-level (or nested-in-class) class by name, the last definition
    /// winning as at runtime. Classes defined inside functions are skipped.
    pub fn class_named(&self, name: &str) -> Option<&Class<'a>> {
        self.classes_named(name)
            .rev()
            .find(|c| !c.in_function && c.parent.is_none())
    }

    /// Every class with this name, wherever defined, in source order.
    pub fn classes_named<'m>(
        &'m self,
        name: &str,
    ) -> impl DoubleEndedIterator<Item = &'m Class<'a>> + use<'m, 'a> {
        let ids = self.names.classes.get(name).map_or(&[][..], Vec::as_slice);
        ids.iter().map(move |&i| &self.classes[i])
    }

    /// Every function and method with this name, in source order.
    pub fn functions_named<'m>(
        &'m self,
        name: &str,
    ) -> impl DoubleEndedIterator<Item = &'m Function<'a>> + use<'m, 'a> {
        let ids = self
            .names
            .functions
            .get(name)
            .map_or(&[][..], Vec::as_slice);
        ids.iter().map(move |&i| &self.functions[i])
    }

    /// The classes with a base spelled `name` or `<anything>.name`.
    pub fn classes_with_base<'m>(
        &'m self,
        name: &str,
    ) -> impl Iterator<Item = &'m Class<'a>> + use<'m, 'a> {
        let ids = self
            .names
            .subclasses
            .get(name)
            .map_or(&[][..], Vec::as_slice);
        ids.iter().map(move |&i| &self.classes[i])
    }

    /// Resolve a dotted name through this module's imports:
    /// `abc.Mapping` with `import collections.abc as abc` gives
    /// `collections.abc.Mapping`; a name defined locally stays as is.
    /// Relative imports keep only their module part; use
    /// `qualified_name_in` when the module's own name is known.
    pub fn qualified_name(&self, dotted: &str) -> String {
        self.qualified_name_in(dotted, "")
    }

    /// Like `qualified_name`, resolving relative imports against the dotted
    /// name of this module (`pkg.sub.mod`; a package's `__init__.py` is
    /// `pkg.sub.__init__`).
    pub fn qualified_name_in(&self, dotted: &str, module_name: &str) -> String {
        let (head, rest) = match dotted.split_once('.') {
            Some((h, r)) => (h, Some(r)),
            None => (dotted, None),
        };
        let Some(import) = self.import_of(head) else {
            return dotted.to_string();
        };
        let module = absolute_module(import, module_name);
        let mut target = match &import.name {
            Some(name) if module.is_empty() => name.clone(),
            Some(name) => format!("{module}.{name}"),
            None if import.module == import.bound
                || import.module.starts_with(&format!("{}.", import.bound)) =>
            {
                head.to_string()
            }
            None => module,
        };
        if let Some(rest) = rest {
            target.push('.');
            target.push_str(rest);
        }
        target
    }

    /// The import that binds `name` (the last one when several do).
    pub fn import_of(&self, name: &str) -> Option<&Import> {
        self.names.imports.get(name).map(|&i| &self.imports[i])
    }

    /// A statement `name = value` directly at module level assigns `name`.
    pub fn assigned_at_top_level(&self, name: &str) -> bool {
        self.names.top_level_assignments.contains(name)
    }

    pub fn imports_module(&self, module: &str) -> bool {
        self.imports.iter().any(|i| {
            i.level == 0 && (i.module == module || i.module.starts_with(&format!("{module}.")))
        })
    }

    /// True when `range` overlaps a region tree-sitter could not parse.
    pub fn in_error_region(&self, range: &Range<usize>) -> bool {
        self.error_ranges.iter().any(|e| {
            e.start < range.end.max(range.start + 1) && range.start < e.end.max(e.start + 1)
        })
    }

    /// Every `with Name(...) as target` item (sync `with` only), in source
    /// order, with whether the target is read in the with-body.
    pub fn with_as_bindings(&self) -> Vec<WithAs<'a>> {
        let withs = self
            .scope
            .withs
            .iter()
            .chain(self.functions.iter().flat_map(|f| f.scope.withs.iter()))
            .chain(self.classes.iter().flat_map(|c| c.scope.withs.iter()));
        let mut out = Vec::new();
        for &with in withs {
            if with.child(0).is_some_and(|c| c.kind() == "async") {
                continue;
            }
            let Some(clause) = with.named_child(0).filter(|c| c.kind() == "with_clause") else {
                continue;
            };
            let mut cursor = clause.walk();
            for item in clause.named_children(&mut cursor) {
                let Some(value) = item
                    .child_by_field_name("value")
                    .map(syntax::unparenthesize)
                else {
                    continue;
                };
                let (Some(call), Some(alias)) = (
                    value
                        .named_child(0)
                        .filter(|_| value.kind() == "as_pattern"),
                    value.child_by_field_name("alias"),
                ) else {
                    continue;
                };
                let call = syntax::unparenthesize(call);
                if call.kind() != "call" {
                    continue;
                }
                // A simple name is "used" when read in the body; other
                // patterns are not followed and count as used.
                let target_used = match alias.named_child(0).filter(|n| n.kind() == "identifier") {
                    None => true,
                    Some(name) => {
                        let name = self.text(name);
                        with.child_by_field_name("body").is_some_and(|body| {
                            syntax::descendants(body, false)
                                .any(|n| syntax::is_identifier(self.source, n, name))
                        })
                    }
                };
                out.push(WithAs {
                    with,
                    call,
                    alias,
                    target_used,
                });
            }
        }
        out.sort_by_key(|w| w.call.start_byte());
        out
    }

    pub fn class_of(&self, function: &Function) -> Option<&Class<'a>> {
        function.class.map(|c| &self.classes[c])
    }

    /// The innermost function `function` is defined in, looking through
    /// enclosing classes (`Function::parent_function` stops at a class).
    pub fn enclosing_function(&self, function: &Function) -> Option<&Function<'a>> {
        function
            .parent_function
            .or_else(|| self.class_of(function)?.function)
            .map(|id| &self.functions[id])
    }
}

impl<'a> Function<'a> {
    /// Defined at module level (possibly under `if`/`try`), not in a class
    /// or function.
    pub fn is_module_level(&self) -> bool {
        self.class.is_none() && self.parent_function.is_none()
    }

    /// The first positional parameter (`self`/`cls`) if any.
    pub fn receiver(&self) -> Option<&'a str> {
        self.params
            .first()
            .filter(|p| matches!(p.kind, ParamKind::Positional | ParamKind::PositionalOnly))
            .map(|p| p.name)
    }

    pub fn is_generator(&self) -> bool {
        !self.scope.yields.is_empty()
    }

    /// `node`, of this function's own scope, sits inside one of its lambdas
    /// (it does not run when the function runs).
    pub fn in_lambda(&self, node: Node) -> bool {
        self.scope.lambdas.iter().any(|l| {
            *l != node && l.start_byte() <= node.start_byte() && node.end_byte() <= l.end_byte()
        })
    }

    pub fn has_decorator(&self, names: &[&str]) -> bool {
        self.decorators
            .iter()
            .any(|d| names.iter().any(|n| syntax::name_matches(d.name, n)))
    }

    pub fn is_staticmethod(&self) -> bool {
        self.has_decorator(&["staticmethod"])
    }

    pub fn is_classmethod(&self) -> bool {
        self.has_decorator(&["classmethod"])
    }

    pub fn is_property(&self) -> bool {
        self.has_decorator(&["property", "functools.cached_property", "cached_property"])
            || self
                .decorators
                .iter()
                .any(|d| d.name.ends_with(".setter") || d.name.ends_with(".getter"))
    }

    pub fn is_overload(&self) -> bool {
        self.has_decorator(&[
            "overload",
            "typing.overload",
            "abstractmethod",
            "abc.abstractmethod",
        ])
    }

    /// The body is only `...`, `pass`, a docstring and/or
    /// `raise NotImplementedError`: an abstract or stub method.
    pub fn is_stub(&self) -> bool {
        self.stub
    }

    /// Attribute nodes `self.<attr>` in this scope (reads and writes).
    pub fn self_attributes(
        &self,
        source: &'a str,
    ) -> impl Iterator<Item = (Node<'a>, &'a str)> + '_ {
        let receiver = self.receiver();
        self.scope.attributes.iter().filter_map(move |&node| {
            let object = node.child_by_field_name("object")?;
            let attr = node.child_by_field_name("attribute")?;
            (object.kind() == "identifier" && Some(syntax::text(source, object)) == receiver)
                .then(|| (node, syntax::text(source, attr)))
        })
    }

    /// Positional parameters Python can pass (min required, max accepted),
    /// counting `self`; max is None with `*args`.
    pub fn positional_arity(&self) -> (usize, Option<usize>) {
        let mut min = 0;
        let mut max = Some(0usize);
        for p in &self.params {
            match p.kind {
                ParamKind::PositionalOnly | ParamKind::Positional => {
                    if !p.has_default {
                        min += 1;
                    }
                    max = max.map(|m| m + 1);
                }
                ParamKind::VarPositional => max = None,
                _ => {}
            }
        }
        (min, max)
    }

    /// Keyword-only parameters without a default: Python never passes them.
    pub fn required_keyword_only(&self) -> impl Iterator<Item = &Param<'a>> {
        self.params
            .iter()
            .filter(|p| p.kind == ParamKind::KeywordOnly && !p.has_default)
    }
}

/// The absolute module an import refers to, given the importing module.
pub fn absolute_module(import: &Import, module_name: &str) -> String {
    if import.level == 0 || module_name.is_empty() {
        return import.module.clone();
    }
    let mut parts: Vec<&str> = module_name.split('.').collect();
    // `from . import x` in pkg.mod means pkg: drop the module itself, then
    // one more package per extra dot.
    for _ in 0..import.level {
        parts.pop();
    }
    let mut base = parts.join(".");
    if !import.module.is_empty() {
        if !base.is_empty() {
            base.push('.');
        }
        base.push_str(&import.module);
    }
    base
}
