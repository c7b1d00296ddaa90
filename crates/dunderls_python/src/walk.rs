//! The single pass that builds a `Module`: an explicit-stack pre-order walk
//! (deeply nested expressions must not overflow the stack) that files each
//! node under the scope it belongs to.

use tree_sitter::{Node, Tree};

use crate::flow;
use crate::model::*;
use crate::syntax::{self, text};

#[derive(Clone, Copy)]
struct Context<'a> {
    /// The function whose scope this node belongs to.
    function: Option<FunctionId>,
    /// The class whose body (outside methods) this node is in.
    class_body: Option<usize>,
    /// The body of that scope (the root at module level).
    body: Node<'a>,
}

struct Builder<'a> {
    source: &'a str,
    classes: Vec<Class<'a>>,
    functions: Vec<Function<'a>>,
    scope: Scope<'a>,
    imports: Vec<Import>,
    error_ranges: Vec<std::ops::Range<usize>>,
    comments: Vec<Node<'a>>,
}

pub fn build<'a>(source: &'a str, tree: &'a Tree) -> Module<'a> {
    let root = tree.root_node();
    let mut b = Builder {
        source,
        classes: Vec::new(),
        functions: Vec::new(),
        scope: Scope::default(),
        imports: Vec::new(),
        error_ranges: Vec::new(),
        comments: Vec::new(),
    };
    b.walk_subtree(
        root,
        None,
        Context {
            function: None,
            class_body: None,
            body: root,
        },
    );
    if root.has_error() {
        b.error_ranges = error_ranges(root);
    }
    for f in &mut b.functions {
        f.can_fall_off_end = !f.has_errors && flow::block_falls_through(source, f.body);
        f.stub = syntax::is_stub_body(source, f.body);
    }
    let names = name_index(source, root, &b);
    Module {
        source,
        root,
        classes: b.classes,
        functions: b.functions,
        scope: b.scope,
        imports: b.imports,
        error_ranges: b.error_ranges,
        comments: b.comments,
        names,
    }
}

fn name_index<'a>(source: &'a str, root: Node<'a>, b: &Builder<'a>) -> NameIndex<'a> {
    let mut index = NameIndex::default();
    for (i, c) in b.classes.iter().enumerate() {
        index.classes.entry(c.name).or_insert_with(Vec::new).push(i);
        for base in c.bases.iter().filter_map(|b| b.name) {
            let last = base.rsplit('.').next().unwrap_or(base);
            let subclasses = index.subclasses.entry(last).or_insert_with(Vec::new);
            // `class C(a.Base, b.Base)` is listed once.
            if subclasses.last() != Some(&i) {
                subclasses.push(i);
            }
        }
    }
    for (i, f) in b.functions.iter().enumerate() {
        index
            .functions
            .entry(f.name)
            .or_insert_with(Vec::new)
            .push(i);
    }
    for (i, import) in b.imports.iter().enumerate() {
        index.imports.insert(import.bound.clone(), i);
    }
    index.top_level_assignments = syntax::statements(root)
        .into_iter()
        .filter_map(|stmt| {
            let left = stmt
                .named_child(0)
                .filter(|a| a.kind() == "assignment")?
                .child_by_field_name("left")?;
            (left.kind() == "identifier").then(|| text(source, left))
        })
        .collect();
    index
}

impl<'a> Builder<'a> {
    fn scope_mut(&mut self, ctx: Context<'a>) -> &mut Scope<'a> {
        match (ctx.function, ctx.class_body) {
            (Some(f), _) => &mut self.functions[f].scope,
            (None, Some(c)) => &mut self.classes[c].scope,
            (None, None) => &mut self.scope,
        }
    }

    /// Record `node` (a child of `parent`); return the context for its
    /// children, or None when the children were already walked (definitions
    /// walk their own parts).
    fn visit(
        &mut self,
        node: Node<'a>,
        parent: Option<Node<'a>>,
        ctx: Context<'a>,
    ) -> Option<Context<'a>> {
        let scope = self.scope_mut(ctx);
        match node.kind() {
            "return_statement" => scope.returns.push(node),
            "raise_statement" => scope.raises.push(node),
            "yield" => scope.yields.push(node),
            "await" => scope.awaits.push(node),
            "call" => scope.calls.push(node),
            "attribute" => scope.attributes.push(node),
            "assignment" | "augmented_assignment" => scope.assignments.push(node),
            "delete_statement" => scope.deletes.push(node),
            "subscript" => scope.subscripts.push(node),
            "with_statement" => scope.withs.push(node),
            "binary_operator" => scope.binary_operators.push(node),
            "string" => scope.strings.push(node),
            "if_statement" => scope.ifs.push(node),
            "boolean_operator" => scope.boolean_operators.push(node),
            "not_operator" => scope.not_operators.push(node),
            "lambda" => scope.lambdas.push(node),
            "import_statement" | "import_from_statement" => self.record_import(node),
            "comment" => self.comments.push(node),
            "function_definition" => return self.enter_function(node, node, parent, ctx),
            "class_definition" => return self.enter_class(node, node, ctx),
            "decorated_definition" => {
                let def = node.child_by_field_name("definition")?;
                return match def.kind() {
                    "function_definition" => self.enter_function(def, node, parent, ctx),
                    "class_definition" => self.enter_class(def, node, ctx),
                    _ => Some(ctx),
                };
            }
            _ => {}
        }
        Some(ctx)
    }

    fn decorators(&self, outer: Node<'a>) -> Vec<Decorator<'a>> {
        if outer.kind() != "decorated_definition" {
            return Vec::new();
        }
        let mut cursor = outer.walk();
        outer
            .named_children(&mut cursor)
            .filter(|n| n.kind() == "decorator")
            .filter_map(|d| {
                let expr = d.named_child(0)?;
                let (callee, keywords) = if expr.kind() == "call" {
                    let keywords = syntax::keyword_args(self.source, expr)
                        .into_iter()
                        .map(|(name, value)| Keyword {
                            name,
                            node: value,
                            value,
                        })
                        .collect();
                    (expr.child_by_field_name("function")?, keywords)
                } else {
                    (expr, Vec::new())
                };
                Some(Decorator {
                    node: d,
                    name: text(self.source, callee),
                    keywords,
                })
            })
            .collect()
    }

    /// Schedule walking of the parts of a definition that belong to the
    /// enclosing scope (decorators, defaults, bases) is done by returning the
    /// outer context for the outer node's children, except the body, which
    /// `visit` of the body pushes with the inner context.
    fn enter_function(
        &mut self,
        def: Node<'a>,
        outer: Node<'a>,
        parent: Option<Node<'a>>,
        ctx: Context<'a>,
    ) -> Option<Context<'a>> {
        let name_node = def.child_by_field_name("name")?;
        let body = def.child_by_field_name("body")?;
        let id = self.functions.len();
        let class = ctx.function.is_none().then_some(ctx.class_body).flatten();
        let is_async = {
            let mut cursor = def.walk();
            let found = def.children(&mut cursor).any(|c| c.kind() == "async");
            found
        };
        self.functions.push(Function {
            node: def,
            outer,
            name: text(self.source, name_node),
            name_node,
            params: def
                .child_by_field_name("parameters")
                .map(|p| params(self.source, p))
                .unwrap_or_default(),
            decorators: self.decorators(outer),
            is_async,
            return_annotation: def.child_by_field_name("return_type"),
            body,
            class,
            parent_function: ctx.function,
            unconditional: parent == Some(ctx.body),
            scope: Scope::default(),
            can_fall_off_end: false,
            stub: false,
            has_errors: def.has_error(),
        });
        if let Some(c) = class {
            self.classes[c].methods.push(id);
        }
        self.walk_outer_parts(outer, def, body, ctx);
        self.walk_subtree(
            body,
            Some(def),
            Context {
                function: Some(id),
                class_body: None,
                body,
            },
        );
        None
    }

    fn enter_class(
        &mut self,
        def: Node<'a>,
        outer: Node<'a>,
        ctx: Context<'a>,
    ) -> Option<Context<'a>> {
        let name_node = def.child_by_field_name("name")?;
        let body = def.child_by_field_name("body")?;
        let id = self.classes.len();
        let (bases, keywords) = def
            .child_by_field_name("superclasses")
            .map(|s| superclasses(self.source, s))
            .unwrap_or_default();
        let (attributes, slots) = class_attributes(self.source, body);
        let function = ctx
            .function
            .or_else(|| ctx.class_body.and_then(|c| self.classes[c].function));
        self.classes.push(Class {
            node: def,
            name: text(self.source, name_node),
            name_node,
            bases,
            keywords,
            decorators: self.decorators(outer),
            methods: Vec::new(),
            attributes,
            slots,
            has_errors: def.has_error(),
            parent: if ctx.function.is_none() {
                ctx.class_body
            } else {
                None
            },
            in_function: function.is_some(),
            function,
            scope: Scope::default(),
        });
        self.walk_outer_parts(outer, def, body, ctx);
        self.walk_subtree(
            body,
            Some(def),
            Context {
                function: None,
                class_body: Some(id),
                body,
            },
        );
        None
    }

    /// Decorators, default values and bases run in the enclosing scope.
    fn walk_outer_parts(
        &mut self,
        outer: Node<'a>,
        def: Node<'a>,
        body: Node<'a>,
        ctx: Context<'a>,
    ) {
        let mut parts = Vec::new();
        let mut inner = def.walk();
        parts.extend(
            def.named_children(&mut inner)
                .filter(|c| *c != body)
                .map(|c| (c, def)),
        );
        if outer != def {
            let mut cursor = outer.walk();
            parts.extend(
                outer
                    .named_children(&mut cursor)
                    .filter(|c| *c != def)
                    .map(|c| (c, outer)),
            );
        }
        for (part, parent) in parts {
            self.walk_subtree(part, Some(parent), ctx);
        }
    }

    /// Walk `root` (a child of `parent`) and what it contains.
    fn walk_subtree(&mut self, root: Node<'a>, parent: Option<Node<'a>>, ctx: Context<'a>) {
        let mut stack = vec![(root, parent, ctx)];
        let mut cursor = root.walk();
        while let Some((node, parent, ctx)) = stack.pop() {
            let Some(children_ctx) = self.visit(node, parent, ctx) else {
                continue;
            };
            let start = stack.len();
            for child in node.named_children(&mut cursor) {
                stack.push((child, Some(node), children_ctx));
            }
            stack[start..].reverse();
        }
    }

    fn record_import(&mut self, node: Node<'a>) {
        let src = self.source;
        let range = node.byte_range();
        let mut cursor = node.walk();
        if node.kind() == "import_statement" {
            for child in node.children_by_field_name("name", &mut cursor) {
                let (module, bound) = match child.kind() {
                    "aliased_import" => {
                        let name = child.child_by_field_name("name").map(|n| text(src, n));
                        let alias = child.child_by_field_name("alias").map(|n| text(src, n));
                        match (name, alias) {
                            (Some(n), Some(a)) => (n.to_string(), a.to_string()),
                            _ => continue,
                        }
                    }
                    _ => {
                        let n = text(src, child);
                        (n.to_string(), n.split('.').next().unwrap_or(n).to_string())
                    }
                };
                self.imports.push(Import {
                    module,
                    level: 0,
                    name: None,
                    bound,
                    range: range.clone(),
                });
            }
            return;
        }
        let Some(module_node) = node.child_by_field_name("module_name") else {
            return;
        };
        let (module, level) = if module_node.kind() == "relative_import" {
            let t = text(src, module_node);
            let level = t.chars().take_while(|c| *c == '.').count();
            (t[level..].trim().to_string(), level)
        } else {
            (text(src, module_node).to_string(), 0)
        };
        for child in node.children_by_field_name("name", &mut cursor) {
            let (name, bound) = match child.kind() {
                "aliased_import" => {
                    let name = child.child_by_field_name("name").map(|n| text(src, n));
                    let alias = child.child_by_field_name("alias").map(|n| text(src, n));
                    match (name, alias) {
                        (Some(n), Some(a)) => (n.to_string(), a.to_string()),
                        _ => continue,
                    }
                }
                _ => (text(src, child).to_string(), text(src, child).to_string()),
            };
            self.imports.push(Import {
                module: module.clone(),
                level,
                name: Some(name),
                bound,
                range: range.clone(),
            });
        }
    }
}

fn params<'a>(source: &'a str, parameters: Node<'a>) -> Vec<Param<'a>> {
    let mut out = Vec::new();
    let mut keyword_only = false;
    let mut cursor = parameters.walk();
    for p in parameters.named_children(&mut cursor) {
        let (kind, has_default) = match p.kind() {
            "positional_separator" => {
                for earlier in out.iter_mut() {
                    let earlier: &mut Param = earlier;
                    if earlier.kind == ParamKind::Positional {
                        earlier.kind = ParamKind::PositionalOnly;
                    }
                }
                continue;
            }
            "keyword_separator" => {
                keyword_only = true;
                continue;
            }
            "list_splat_pattern" => (ParamKind::VarPositional, false),
            "dictionary_splat_pattern" => (ParamKind::VarKeyword, false),
            "default_parameter" | "typed_default_parameter" => (ParamKind::Positional, true),
            "identifier" => (ParamKind::Positional, false),
            "typed_parameter" => {
                let inner = p.named_child(0);
                match inner.map(|i| i.kind()) {
                    Some("list_splat_pattern") => (ParamKind::VarPositional, false),
                    Some("dictionary_splat_pattern") => (ParamKind::VarKeyword, false),
                    _ => (ParamKind::Positional, false),
                }
            }
            _ => continue,
        };
        let kind = match kind {
            ParamKind::Positional if keyword_only => ParamKind::KeywordOnly,
            ParamKind::VarPositional => {
                keyword_only = true;
                kind
            }
            other => other,
        };
        let name_node = p
            .child_by_field_name("name")
            .or_else(|| {
                let mut c = p.walk();
                let found = p
                    .named_children(&mut c)
                    .find(|n| n.kind() == "identifier" || n.kind().ends_with("splat_pattern"));
                found
            })
            .map(|n| {
                if n.kind().ends_with("splat_pattern") {
                    n.named_child(0).unwrap_or(n)
                } else {
                    n
                }
            })
            .unwrap_or(p);
        let name_node = if p.kind() == "identifier" {
            p
        } else {
            name_node
        };
        out.push(Param {
            name: text(source, name_node),
            node: p,
            kind,
            has_default,
            annotation: p.child_by_field_name("type"),
        });
    }
    out
}

fn superclasses<'a>(source: &'a str, args: Node<'a>) -> (Vec<Base<'a>>, Vec<Keyword<'a>>) {
    let mut bases = Vec::new();
    let mut keywords = Vec::new();
    let mut cursor = args.walk();
    for child in args.named_children(&mut cursor) {
        match child.kind() {
            "keyword_argument" => {
                if let (Some(n), Some(v)) = (
                    child.child_by_field_name("name"),
                    child.child_by_field_name("value"),
                ) {
                    keywords.push(Keyword {
                        name: text(source, n),
                        node: child,
                        value: v,
                    });
                }
            }
            "comment" | "list_splat" | "dictionary_splat" => {}
            _ => {
                let named = if child.kind() == "subscript" {
                    child.child_by_field_name("value").unwrap_or(child)
                } else {
                    child
                };
                bases.push(Base {
                    node: child,
                    name: syntax::dotted_name(source, named),
                });
            }
        }
    }
    (bases, keywords)
}

fn class_attributes<'a>(
    source: &'a str,
    body: Node<'a>,
) -> (Vec<ClassAttribute<'a>>, Option<Slots<'a>>) {
    let mut attrs = Vec::new();
    let mut slots = None;
    for stmt in syntax::statements(body) {
        if stmt.kind() != "expression_statement" {
            continue;
        }
        let Some(mut assign) = stmt.named_child(0).filter(|n| n.kind() == "assignment") else {
            continue;
        };
        // `a = b = value`: every target gets the final value.
        loop {
            let target = assign.child_by_field_name("left");
            let right = assign.child_by_field_name("right");
            let chained = right.filter(|r| r.kind() == "assignment");
            let value = match chained {
                Some(mut inner) => {
                    while let Some(r) = inner
                        .child_by_field_name("right")
                        .filter(|r| r.kind() == "assignment")
                    {
                        inner = r;
                    }
                    inner.child_by_field_name("right")
                }
                None => right,
            };
            if let Some(target) = target.filter(|t| t.kind() == "identifier") {
                let name = text(source, target);
                if name == "__slots__" {
                    if let Some(value) = value {
                        slots = Some(Slots {
                            value,
                            statement: stmt,
                            names: slot_names(source, value),
                        });
                    }
                }
                attrs.push(ClassAttribute {
                    name,
                    node: stmt,
                    target,
                    value,
                    annotation: assign.child_by_field_name("type"),
                });
            }
            match chained {
                Some(next) => assign = next,
                None => break,
            }
        }
    }
    (attrs, slots)
}

fn slot_names<'a>(source: &'a str, value: Node<'a>) -> Option<Vec<(String, Node<'a>)>> {
    let value = syntax::unparenthesize(value);
    if value.kind() == "string" {
        return Some(vec![(
            syntax::string_value(source, value)?.to_string(),
            value,
        )]);
    }
    if !matches!(value.kind(), "tuple" | "list" | "set" | "dictionary") {
        return None;
    }
    let mut cursor = value.walk();
    let mut names = Vec::new();
    for item in value.named_children(&mut cursor) {
        let key = if item.kind() == "pair" {
            item.child_by_field_name("key")?
        } else {
            item
        };
        if key.kind() == "comment" {
            continue;
        }
        names.push((syntax::string_value(source, key)?.to_string(), key));
    }
    Some(names)
}

/// ERROR and MISSING nodes (MISSING tokens are anonymous, so the named walk
/// cannot see them): descend only into subtrees that contain an error.
fn error_ranges(root: Node) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if node.is_error() || node.is_missing() {
            out.push(node.byte_range());
            continue;
        }
        let mut cursor = node.walk();
        stack.extend(node.children(&mut cursor).filter(|c| c.has_error()));
    }
    out
}
