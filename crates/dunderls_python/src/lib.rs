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
