//! What every rule file imports.

pub(crate) use crate::checker::Checker;
pub(crate) use crate::diagnostic::{Edit, Fix, Severity};
pub(crate) use crate::rule::{FixAvailability, Group, Rule};
#[allow(unused_imports)]
pub(crate) use dunderls_python::{syntax, Class, Function, Node};

/// The whitespace before `node` on its line.
pub(crate) fn indent_of<'a>(source: &'a str, node: Node) -> &'a str {
    let start = source[..node.start_byte()]
        .rfind(['\n', '\r'])
        .map_or(0, |i| i + 1);
    let line = &source[start..node.start_byte()];
    let width = line.len() - line.trim_start().len();
    &line[..width]
}

/// Decorator keyword `key=True` on a class (e.g. `@dataclass(frozen=True)`).
pub(crate) fn class_decorator_flag(cx: &Checker, class: &Class, key: &str) -> bool {
    class
        .decorators
        .iter()
        .flat_map(|d| d.keywords.iter())
        .any(|k| k.name == key && cx.text(k.value) == "True")
}
