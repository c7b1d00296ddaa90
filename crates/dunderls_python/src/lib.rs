//! Parsing and the semantic model.
//!
//! `parse` turns text into a tree-sitter tree; `Module::build` walks that tree
//! once, without recursion, and records the facts every rule reads: classes,
//! functions with their parameters and the interesting nodes of their bodies,
//! imports, and the regions tree-sitter could not parse.

mod flow;
mod line_index;
mod model;
pub mod syntax;
mod walk;

pub use line_index::{LineCol, LineIndex, PositionEncoding};
pub use model::{
    absolute_module, Base, Class, ClassAttribute, Decorator, Function, FunctionId, Import, Keyword,
    Module, Param, ParamKind, Scope, Slots, WithAs,
};
pub use tree_sitter::{InputEdit, Node, Point, Tree};

/// Parse Python source. Passing the previous tree (already `edit`ed) makes
/// tree-sitter reuse its unchanged parts.
pub fn parse(source: &str, old_tree: Option<&Tree>) -> Tree {
    let mut parser = tree_sitter::Parser::new();
    parser
        .set_language(&tree_sitter_python::LANGUAGE.into())
        .expect("the bundled tree-sitter-python grammar matches the tree-sitter version");
    parser
        .parse(source, old_tree)
        .expect("parsing without a timeout or cancellation flag always yields a tree")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_definitions_belong_to_their_own_scope_once() {
        let src = "class A:\n    def m(self):\n        def helper():\n            return 1\n        class Inner:\n            def x(self):\n                raise E\n        return helper\n\ndef f():\n    yield 1\n";
        let tree = parse(src, None);
        let module = Module::build(src, &tree);
        let names: Vec<_> = module.functions.iter().map(|f| f.name).collect();
        assert_eq!(names, ["m", "helper", "x", "f"]);
        let a = &module.classes[0];
        assert_eq!(module.methods(a).map(|f| f.name).collect::<Vec<_>>(), ["m"]);
        let m = &module.functions[0];
        assert_eq!(m.scope.returns.len(), 1, "helper's return is not m's");
        assert!(m.scope.raises.is_empty());
        assert!(module.scope.yields.is_empty());
        assert_eq!(module.classes.len(), 2);
        assert!(module.classes[1].in_function);
    }

    #[test]
    fn definition_facts_and_name_lookups() {
        let src = "import os.path as p\nimport sys\nX = 1\nif sys:\n    Y = 2\n\ndef f():\n    class Local:\n        class Inner:\n            def m(self):\n                return lambda: self.x\n    return Local\n\nclass A:\n    def a(self): ...\n    if X:\n        def a(self): return 1\n\nclass B(mod.A):\n    pass\n";
        let tree = parse(src, None);
        let module = Module::build(src, &tree);
        let names: Vec<_> = module.functions.iter().map(|f| f.name).collect();
        assert_eq!(names, ["f", "m", "a", "a"]);
        let (local, inner) = (&module.classes[0], &module.classes[1]);
        assert!(local.in_function && inner.in_function, "through Local");
        assert_eq!((local.function, inner.function), (Some(0), Some(0)));
        let m = &module.functions[1];
        assert_eq!(m.parent_function, None);
        assert_eq!(module.enclosing_function(m).map(|f| f.name), Some("f"));
        assert_eq!(m.scope.lambdas.len(), 1);
        assert!(m.in_lambda(m.scope.attributes[0]));
        let a = module.class_named("A").unwrap();
        assert_eq!(module.methods(a).count(), 2);
        assert_eq!(module.unconditional_methods(a).count(), 1);
        assert!(module.method(a, "a").is_some_and(|f| !f.unconditional));
        assert!(module
            .unconditional_method(a, "a")
            .is_some_and(|f| f.unconditional));
        assert!(module.functions[0].is_module_level() && module.functions[0].unconditional);
        assert!(module.class_named("Local").is_none());
        assert_eq!(module.classes_named("Local").count(), 1);
        assert_eq!(module.functions_named("a").count(), 2);
        let subclasses: Vec<_> = module.classes_with_base("A").map(|c| c.name).collect();
        assert_eq!(subclasses, ["B"]);
        assert_eq!(
            module.import_of("p").map(|i| i.module.as_str()),
            Some("os.path")
        );
        assert!(module.import_of("os").is_none());
        assert!(module.assigned_at_top_level("X") && !module.assigned_at_top_level("Y"));
        assert!(module
            .functions
            .iter()
            .all(|f| f.is_stub() == (f.name == "a" && f.unconditional)));
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let depth = 50_000;
        let src = format!("x = {}1{}\n", "(".repeat(depth), ")".repeat(depth));
        let tree = parse(&src, None);
        let module = Module::build(&src, &tree);
        assert!(module.classes.is_empty());
        let chain = format!("y = a{}\n", ".b".repeat(depth));
        let tree = parse(&chain, None);
        let module = Module::build(&chain, &tree);
        assert_eq!(module.scope.attributes.len(), depth);
    }
}
