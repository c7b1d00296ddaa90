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
    Module, Param, ParamKind, Scope, Slots,
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
