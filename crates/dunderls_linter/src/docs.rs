//! Rule documentation: sections, and the executable Python examples with
//! the behaviour each one claims.
//!
//! A ```python block may carry claim comments, checked by the test suite
//! under CPython: `# raises: TypeError: unhashable type` (the block raises
//! that exception; its message contains the text), `# prints: 3` (stdout has
//! a line containing it), `# warns: DeprecationWarning: fragment`, and
//! `# requires: numpy` (run in the NumPy test virtualenv). A block without
//! `raises` must run to completion.

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

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    Raises { exception: String, fragment: String },
    Prints(String),
    Warns { category: String, fragment: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    pub code: String,
    pub claims: Vec<Claim>,
    pub requires: Vec<String>,
    /// 1-based line of the opening fence in the markdown.
    pub line: usize,
}

impl Example {
    pub fn raises(&self) -> Option<(&str, &str)> {
        self.claims.iter().find_map(|c| match c {
            Claim::Raises {
                exception,
                fragment,
            } => Some((exception.as_str(), fragment.as_str())),
            _ => None,
        })
    }
}

/// Every ```python block of a markdown text.
pub fn python_examples(markdown: &str) -> Vec<Example> {
    let mut out = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (i, line) in markdown.lines().enumerate() {
        let trimmed = line.trim_start();
        match &mut current {
            None if trimmed.starts_with("```python")
                || trimmed.starts_with("```py") && trimmed.len() == 5 =>
            {
                current = Some((i + 1, String::new()));
            }
            Some((start, code)) if trimmed.starts_with("```") => {
                out.push(example_from(code, *start));
                current = None;
            }
            Some((_, code)) => {
                code.push_str(line);
                code.push('\n');
            }
            None => {}
        }
    }
    out
}

fn example_from(code: &str, line: usize) -> Example {
    let mut claims = Vec::new();
    let mut requires = Vec::new();
    for l in code.lines() {
        let Some(hash) = l.find("# ") else { continue };
        let comment = l[hash + 2..].trim();
        if let Some(rest) = comment.strip_prefix("raises:") {
            let (exception, fragment) = split_kind(rest);
            claims.push(Claim::Raises {
                exception,
                fragment,
            });
        } else if let Some(rest) = comment.strip_prefix("prints:") {
            claims.push(Claim::Prints(rest.trim().to_string()));
        } else if let Some(rest) = comment.strip_prefix("warns:") {
            let (category, fragment) = split_kind(rest);
            claims.push(Claim::Warns { category, fragment });
        } else if let Some(rest) = comment.strip_prefix("requires:") {
            requires.extend(rest.split(',').map(|s| s.trim().to_string()));
        }
    }
    Example {
        code: code.to_string(),
        claims,
        requires,
        line,
    }
}

fn split_kind(rest: &str) -> (String, String) {
    let rest = rest.trim();
    match rest.split_once(':') {
        Some((kind, fragment)) => (kind.trim().to_string(), fragment.trim().to_string()),
        None => (rest.to_string(), String::new()),
    }
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
    fn extracts_sections_and_claims() {
        let md = "## What it does\nThing.\n\n## Example\n```python\nx = {}  \nhash([])  # raises: TypeError: unhashable type: 'list'\nprint(1)  # prints: 1\n```\n## Fix\nNone.\n";
        assert_eq!(section(md, "What it does"), Some("Thing."));
        assert_eq!(section(md, "Fix"), Some("None."));
        let ex = python_examples(md);
        assert_eq!(ex.len(), 1);
        assert_eq!(
            ex[0].raises(),
            Some(("TypeError", "unhashable type: 'list'"))
        );
        assert_eq!(ex[0].claims[1], Claim::Prints("1".into()));
        assert_eq!(ex[0].line, 5);
    }
}
