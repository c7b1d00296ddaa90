//! What a rule is: metadata, documentation, and a check function.

use crate::checker::Checker;
use crate::diagnostic::Severity;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Group {
    Hygiene,
    Attributes,
    Containers,
    Repr,
    Hashing,
    Operators,
    ClassCreation,
    ContextBuilders,
    Numpy,
}

impl Group {
    /// Folder name under `rules/` and `resources/fixtures/`.
    pub fn dir(self) -> &'static str {
        match self {
            Group::Hygiene => "hygiene",
            Group::Attributes => "attributes",
            Group::Containers => "containers",
            Group::Repr => "repr",
            Group::Hashing => "hashing",
            Group::Operators => "operators",
            Group::ClassCreation => "class_creation",
            Group::ContextBuilders => "context_builders",
            Group::Numpy => "numpy",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Group::Hygiene => "Special-method hygiene",
            Group::Attributes => "Attribute access, descriptors and slots",
            Group::Containers => "Container protocols",
            Group::Repr => "repr and str",
            Group::Hashing => "Equality and hashing",
            Group::Operators => "Arithmetic and ordering",
            Group::ClassCreation => "Class creation",
            Group::ContextBuilders => "Context managers and fluent builders",
            Group::Numpy => "NumPy interop",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixAvailability {
    None,
    Sometimes,
    Always,
}

/// One rule. Each lives in `rules/<group>/<name>.rs` as a `pub static RULE`.
pub struct Rule {
    pub code: &'static str,
    pub name: &'static str,
    pub group: Group,
    pub severity: Severity,
    pub fix: FixAvailability,
    /// Codes of peer tools accepted in `# noqa` as this rule (e.g. PLW1641).
    pub aliases: &'static [&'static str],
    /// Markdown with the sections of docs/rule-anatomy: What it does, Why is
    /// this a problem, Scenario, Example, Use instead, Fix, References.
    pub docs: &'static str,
    pub check: fn(&Checker),
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} [{}]", self.code, self.name)
    }
}

impl Rule {
    pub fn url(&self) -> String {
        format!("{}/{}.md", crate::DOCS_BASE_URL, self.code)
    }

    /// The docs' first paragraph under "What it does", on one line.
    pub fn summary(&self) -> String {
        crate::docs::section(self.docs, "What it does")
            .unwrap_or_default()
            .split("\n\n")
            .next()
            .unwrap_or_default()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }
}
