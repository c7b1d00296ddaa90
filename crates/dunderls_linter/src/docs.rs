//! Rule documentation: its sections, and the text shown to users.
//!
//! The ```python examples carry claim comments (`# raises:`, `# prints:`,
//! `# warns:`, `# requires: numpy`) with the same grammar as the knowledge
//! base (`dunderls_datamodel::examples`); the test suite runs them.

/// The sections every rule's documentation has, in order.
pub const RULE_SECTIONS: &[&str] = &[
    "What it does",
    "Why is this a problem",
    "Scenario",
    "Example",
    "Use instead",
    "Fix",
    "References",
];

/// The body of `## <title>` up to the next `## ` heading.
pub fn section<'a>(markdown: &'a str, title: &str) -> Option<&'a str> {
    let heading = format!("## {title}");
    let mut offset = 0;
    for line in markdown.split_inclusive('\n') {
        if line.trim_end() == heading {
            let start = offset + line.len();
            let rest = &markdown[start..];
            let end = rest
                .match_indices("\n## ")
                .next()
                .map(|(i, _)| i + 1)
                .unwrap_or(rest.len());
            return Some(rest[..end].trim());
        }
        offset += line.len();
    }
    None
}

/// The docs with claim comments left in (they tell the reader what happens)
/// and the `# requires:` lines removed: for hover and generated pages.
pub fn for_display(markdown: &str) -> String {
    markdown
        .lines()
        .filter(|l| !l.trim_start().starts_with("# requires:"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extracts_sections() {
        let md = "## What it does\nThing.\n\n## Example\n```python\nx = 1\n```\n## Fix\nNone.\n";
        assert_eq!(section(md, "What it does"), Some("Thing."));
        assert_eq!(section(md, "Fix"), Some("None."));
        assert!(section(md, "Scenario").is_none());
    }
}
