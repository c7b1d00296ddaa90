//! The executable examples of the knowledge base.
//!
//! Every ```` ```python ```` block in a knowledge entry or topic states what
//! it does when run with `python3`, with comment markers:
//!
//! - `# raises: TypeError: unhashable type` — the block raises that exception
//!   type (by name) with a message containing the text after the type;
//! - `# prints: <text>` — stdout contains that line (put it on the line that
//!   prints; several are allowed);
//! - `# warns: DeprecationWarning: <fragment>` — the warning is emitted;
//! - `# requires: numpy` — run only where NumPy is importable.
//!
//! A block without `raises` must exit 0 (they use `assert`, so they can
//! fail). This module only parses; the runners are
//! `tests/knowledge_examples.rs` here and the linter's doc harness.

use crate::knowledge::{all_sections, topics};

/// What a block claims about its own execution.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expectations {
    /// `(exception type name, message fragment)`.
    pub raises: Option<(String, String)>,
    /// Lines stdout must contain.
    pub prints: Vec<String>,
    /// `(warning category name, message fragment)`.
    pub warns: Vec<(String, String)>,
    /// Modules that must be importable (`numpy`).
    pub requires: Vec<String>,
}

/// One Python code block.
#[derive(Debug, Clone)]
pub struct Example {
    /// Where it comes from: the first method name of its section, or the
    /// topic id.
    pub origin: &'static str,
    /// The Markdown file it lives in (`numeric.md`, `eq-and-hash`).
    pub file: &'static str,
    /// 1-based index of the block within its origin.
    pub index: usize,
    pub code: &'static str,
    pub expect: Expectations,
}

/// The ```` ```python ```` blocks of a Markdown text, in order.
pub fn python_blocks(markdown: &'static str) -> Vec<&'static str> {
    let mut blocks = Vec::new();
    let mut start: Option<usize> = None;
    let mut offset = 0;
    for line in markdown.split_inclusive('\n') {
        let line_start = offset;
        offset += line.len();
        let trimmed = line.trim();
        match start {
            None if trimmed == "```python" || trimmed == "```py" => start = Some(offset),
            Some(s) if trimmed == "```" => {
                blocks.push(&markdown[s..line_start]);
                start = None;
            }
            _ => {}
        }
    }
    blocks
}

/// Parse the markers of one block.
pub fn parse_expectations(code: &str) -> Expectations {
    let mut e = Expectations::default();
    for line in code.lines() {
        // A marker may follow code on the same line: look at every "# ".
        for (i, _) in line.match_indices("# ") {
            let comment = &line[i + 2..];
            if let Some(rest) = comment.strip_prefix("raises:") {
                e.raises = Some(split_kind(rest));
            } else if let Some(rest) = comment.strip_prefix("prints:") {
                e.prints.push(rest.trim().to_string());
            } else if let Some(rest) = comment.strip_prefix("warns:") {
                e.warns.push(split_kind(rest));
            } else if let Some(rest) = comment.strip_prefix("requires:") {
                e.requires.extend(
                    rest.split(',')
                        .map(|m| m.trim().to_string())
                        .filter(|m| !m.is_empty()),
                );
            } else {
                continue;
            }
            break;
        }
    }
    e
}

/// `" TypeError: unhashable type"` -> `("TypeError", "unhashable type")`.
fn split_kind(rest: &str) -> (String, String) {
    let rest = rest.trim();
    match rest.split_once(':') {
        Some((kind, msg)) => (kind.trim().to_string(), msg.trim().to_string()),
        None => (rest.to_string(), String::new()),
    }
}

/// Every example of the knowledge base (method sections, each once, then
/// topics).
pub fn examples() -> Vec<Example> {
    let mut out = Vec::new();
    for section in all_sections() {
        let origin = section.names[0];
        for (i, code) in python_blocks(section.body).into_iter().enumerate() {
            out.push(Example {
                origin,
                file: section.file,
                index: i + 1,
                code,
                expect: parse_expectations(code),
            });
        }
    }
    for t in topics() {
        for (i, code) in python_blocks(t.markdown).into_iter().enumerate() {
            out.push(Example {
                origin: t.id,
                file: t.id,
                index: i + 1,
                code,
                expect: parse_expectations(code),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers() {
        let code = "x = {}\nx[[]] = 1  # raises: TypeError: unhashable type: 'list'\nprint(1)  # prints: 1\n# requires: numpy\n# warns: DeprecationWarning: NotImplemented\n";
        let e = parse_expectations(code);
        assert_eq!(
            e.raises,
            Some(("TypeError".into(), "unhashable type: 'list'".into()))
        );
        assert_eq!(e.prints, ["1"]);
        assert_eq!(e.requires, ["numpy"]);
        assert_eq!(
            e.warns,
            [("DeprecationWarning".into(), "NotImplemented".into())]
        );
        assert_eq!(
            parse_expectations("s = '# not a marker'\n"),
            Expectations::default()
        );
    }

    #[test]
    fn blocks() {
        let md: &'static str =
            "text\n```python\na = 1\n```\n```\nnot python\n```\n```python\nb = 2\n```\n";
        assert_eq!(python_blocks(md), ["a = 1\n", "b = 2\n"]);
    }

    #[test]
    fn the_knowledge_base_has_examples() {
        assert!(examples().len() > 50);
    }
}
