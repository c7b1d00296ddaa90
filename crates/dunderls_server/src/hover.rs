//! Hover: the explanation of a finding, the card of a special method, the
//! protocol card of a class, the docs of a rule named in a `# noqa`
//! comment. A pure function of an exact analysis and a byte offset.

use std::ops::Range;

use dunderls_linter::{docs, noqa, ClassIndex, Diagnostic, Rule};
use dunderls_python::{Module, Node};

use crate::knowledge;
use crate::protocols::protocol_card;

/// Markdown and the byte range it describes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoverText {
    pub markdown: String,
    pub range: Range<usize>,
}

/// The rule's documentation, as `dunderls explain` shows it.
pub fn rule_markdown(rule: &Rule) -> String {
    format!(
        "**{}** `{}` ({})\n\n{}\n\n[Rule documentation]({})",
        rule.code,
        rule.name,
        rule.severity.as_str(),
        docs::for_display(rule.docs).trim(),
        rule.url()
    )
}

fn finding_markdown(d: &Diagnostic) -> String {
    match dunderls_linter::rule_by_code_or_name(d.code) {
        Some(rule) => format!(
            "**{}** `{}` ({})\n\n> {}\n\n{}\n\n[Rule documentation]({})",
            rule.code,
            rule.name,
            d.severity.as_str(),
            d.message,
            docs::for_display(rule.docs).trim(),
            rule.url()
        ),
        None => format!(
            "**{}** ({})\n\n> {}",
            d.code,
            d.severity.as_str(),
            d.message
        ),
    }
}

/// The smallest node covering `offset`, preferring the token the cursor
/// touches from the left when it sits just after a word.
fn node_at<'t>(root: Node<'t>, source: &str, offset: usize) -> Option<Node<'t>> {
    let bytes = source.as_bytes();
    let at_word = bytes
        .get(offset)
        .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'#');
    let offset = if !at_word
        && offset > 0
        && bytes
            .get(offset - 1)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
    {
        offset - 1
    } else {
        offset
    };
    root.descendant_for_byte_range(
        offset,
        offset.saturating_add(1).min(source.len()).max(offset),
    )
}

/// Compute the hover at `offset` of an analysed text.
pub fn hover(
    source: &str,
    tree: &dunderls_python::Tree,
    diagnostics: &[Diagnostic],
    offset: usize,
    project: (&dyn ClassIndex, &str),
) -> Option<HoverText> {
    let (index, module_name) = project;
    let mut sections: Vec<String> = Vec::new();
    let mut range: Option<Range<usize>> = None;
    for d in diagnostics
        .iter()
        .filter(|d| d.range.start <= offset && offset <= d.range.end)
    {
        sections.push(finding_markdown(d));
        range = Some(match range {
            Some(r) => r.start.max(d.range.start)..r.end.min(d.range.end),
            None => d.range.clone(),
        });
    }
    let node = node_at(tree.root_node(), source, offset);
    if let Some(node) = node {
        match node.kind() {
            "comment" => {
                let text = source.get(node.byte_range()).unwrap_or_default();
                for directive in noqa::parse_comment(text, node.start_byte()) {
                    for (code, code_range) in directive.codes.iter().flatten() {
                        if code_range.start <= offset && offset <= code_range.end {
                            if let Some(rule) = noqa::rule_for_code(code) {
                                sections.push(rule_markdown(rule));
                                range = Some(code_range.clone());
                            }
                        }
                    }
                }
            }
            "identifier" => {
                let name = source.get(node.byte_range()).unwrap_or_default();
                let parent = node.parent();
                let is_class_name = parent.is_some_and(|p| {
                    p.kind() == "class_definition" && p.child_by_field_name("name") == Some(node)
                });
                if is_class_name {
                    let module = Module::build(source, tree);
                    if let Some(class) = module.classes.iter().find(|c| c.name_node == node) {
                        sections.push(protocol_card(&module, module_name, class, index));
                        range.get_or_insert(node.byte_range());
                    }
                } else if name.len() > 4 && name.starts_with("__") && name.ends_with("__") {
                    if let Some(info) = knowledge::lookup(name) {
                        sections.push(knowledge::hover_markdown(info));
                        range.get_or_insert(node.byte_range());
                    }
                }
            }
            _ => {}
        }
    }
    if sections.is_empty() {
        return None;
    }
    Some(HoverText {
        markdown: sections.join("\n\n---\n\n"),
        range: range.unwrap_or(offset..offset),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use dunderls_linter::{check_source, NoIndex, Settings};

    fn hover_at(source: &str, needle: &str, delta: usize) -> Option<HoverText> {
        let tree = dunderls_python::parse(source, None);
        let diags = check_source(source, &Settings::default()).diagnostics;
        let offset = source.find(needle).expect("needle") + delta;
        hover(source, &tree, &diags, offset, (&NoIndex, ""))
    }

    const SRC: &str = "class Key:\n    __slots__ = ('a',)\n\n    def __eq__(self, other):\n        return self.a == other.a\n\n    def f(self, o):\n        return o.__len__()  # noqa: DUN401, PLW1641\n";

    #[test]
    fn finding_and_method_card_together() {
        let h = hover_at(SRC, "__eq__", 2).expect("hover");
        assert!(
            h.markdown.contains("**DUN401** `eq-without-hash`"),
            "{}",
            h.markdown
        );
        assert!(
            h.markdown.contains("## Why is this a problem"),
            "{}",
            h.markdown
        );
        assert!(h.markdown.contains("def __eq__"), "{}", h.markdown);
        assert_eq!(&SRC[h.range.clone()], "__eq__");
    }

    #[test]
    fn method_card_in_attribute_and_slots() {
        let h = hover_at(SRC, "__len__", 3).expect("hover");
        assert!(h.markdown.contains("len(x)"), "{}", h.markdown);
        let h = hover_at(SRC, "__slots__", 0).expect("hover");
        assert!(h.markdown.contains("__slots__ ="), "{}", h.markdown);
    }

    #[test]
    fn class_card_and_noqa_codes() {
        let h = hover_at(SRC, "Key", 1).expect("hover");
        assert!(h.markdown.contains("**Protocols**"), "{}", h.markdown);
        let h = hover_at(SRC, "DUN401,", 3).expect("hover on code");
        assert!(h.markdown.starts_with("**DUN401**"), "{}", h.markdown);
        assert_eq!(&SRC[h.range.clone()], "DUN401");
        let h = hover_at(SRC, "PLW1641", 2).expect("hover on alias");
        assert!(h.markdown.contains("eq-without-hash"));
        assert!(hover_at(SRC, "return self", 2).is_none());
        let src = "x = 1  # dunderls: ignore[DUN401]\n";
        let h = hover_at(src, "DUN401", 1).expect("hover in ignore[...]");
        assert!(h.markdown.starts_with("**DUN401**"), "{}", h.markdown);
    }
}
