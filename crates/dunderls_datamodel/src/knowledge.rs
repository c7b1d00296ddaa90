//! The knowledge base: Markdown for hover, completion and `dunderls explain`.
//!
//! Hand-written bodies live in `knowledge/methods/*.md` (one file per protocol
//! family). A section starts with a level-2 heading that lists one or more
//! table names in backticks (`` ## `__sub__` `__mul__` ``); the body is shared
//! by every name in the heading. [`knowledge`] prepends a header generated
//! from the table (signature, trigger, arity, return contract, twins, docs
//! link), so facts the table holds are written once.
//!
//! Topics (`knowledge/topics/*.md`) answer cross-cutting questions; the first
//! line is `# Title`.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::OnceLock;

use crate::{lookup, special_methods, Binding, SpecialMethod};

/// The hand-written method files, `(file name, text)`.
pub(crate) static METHOD_FILES: &[(&str, &str)] = &[
    (
        "customization.md",
        include_str!("../knowledge/methods/customization.md"),
    ),
    (
        "comparison.md",
        include_str!("../knowledge/methods/comparison.md"),
    ),
    (
        "attributes.md",
        include_str!("../knowledge/methods/attributes.md"),
    ),
    (
        "descriptors.md",
        include_str!("../knowledge/methods/descriptors.md"),
    ),
    (
        "class-creation.md",
        include_str!("../knowledge/methods/class-creation.md"),
    ),
    (
        "containers.md",
        include_str!("../knowledge/methods/containers.md"),
    ),
    (
        "numeric.md",
        include_str!("../knowledge/methods/numeric.md"),
    ),
    (
        "context-async.md",
        include_str!("../knowledge/methods/context-async.md"),
    ),
    (
        "copy-pickle.md",
        include_str!("../knowledge/methods/copy-pickle.md"),
    ),
    ("misc.md", include_str!("../knowledge/methods/misc.md")),
    ("numpy.md", include_str!("../knowledge/methods/numpy.md")),
];

macro_rules! topic_file {
    ($id:literal) => {
        (
            $id,
            include_str!(concat!("../knowledge/topics/", $id, ".md")),
        )
    };
}

static TOPIC_FILES: &[(&str, &str)] = &[
    topic_file!("attribute-lookup-order"),
    topic_file!("abc-contract-enforcement"),
    topic_file!("legacy-iteration"),
    topic_file!("repr-recursion-and-gc"),
    topic_file!("eq-and-hash"),
    topic_file!("notimplemented-and-operator-dispatch"),
    topic_file!("init-subclass-and-metaclasses"),
    topic_file!("context-managers-and-state"),
    topic_file!("numpy-operator-dispatch"),
    topic_file!("attribute-access-costs"),
];

/// A cross-cutting explanation (the scenario follow-up questions).
#[derive(Debug, Clone, Copy)]
pub struct Topic {
    /// Stable kebab-case id, e.g. `eq-and-hash`.
    pub id: &'static str,
    pub title: &'static str,
    pub markdown: &'static str,
}

/// A section of a method file: the names in its heading and its body.
pub(crate) struct Section {
    pub names: Vec<&'static str>,
    pub body: &'static str,
    pub file: &'static str,
}

/// Split a method file into sections. Headings inside code fences are not
/// headings.
pub(crate) fn sections(file: &'static str, text: &'static str) -> Vec<Section> {
    let mut out: Vec<Section> = Vec::new();
    let mut in_fence = false;
    let mut offset = 0;
    let mut current: Option<(Vec<&'static str>, usize)> = None;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        if let Some(names) = heading_names(line) {
            if let Some((names, body_start)) = current.take() {
                out.push(Section {
                    names,
                    body: text[body_start..start].trim(),
                    file,
                });
            }
            current = Some((names, offset));
        }
    }
    if let Some((names, body_start)) = current {
        out.push(Section {
            names,
            body: text[body_start..].trim(),
            file,
        });
    }
    out
}

/// `` ## `__a__` `__b__` `` -> `[__a__, __b__]`; None for other lines.
fn heading_names(line: &'static str) -> Option<Vec<&'static str>> {
    let rest = line.strip_prefix("## ")?.trim();
    let names: Vec<&'static str> = rest
        .split([' ', ','])
        .filter(|t| !t.is_empty())
        .map(|t| t.strip_prefix('`').and_then(|t| t.strip_suffix('`')))
        .collect::<Option<_>>()?;
    (!names.is_empty()).then_some(names)
}

pub(crate) fn all_sections() -> impl Iterator<Item = Section> {
    METHOD_FILES
        .iter()
        .flat_map(|(file, text)| sections(file, text))
}

fn composed() -> &'static HashMap<&'static str, String> {
    static KB: OnceLock<HashMap<&'static str, String>> = OnceLock::new();
    KB.get_or_init(|| {
        let mut kb = HashMap::new();
        for section in all_sections() {
            for name in &section.names {
                if let Some(m) = lookup(name) {
                    kb.insert(m.name, compose(m, section.body));
                }
            }
        }
        kb
    })
}

fn compose(m: &SpecialMethod, body: &str) -> String {
    let mut s = String::new();
    let kind = if m.is_attribute() {
        "class attribute"
    } else {
        "special method"
    };
    let def = if m.must_be_async { "async def " } else { "" };
    let _ = writeln!(s, "**`{def}{}`**", m.canonical_signature);
    let _ = writeln!(s);
    let _ = writeln!(s, "*{} {kind}* — {}", m.protocol.title(), m.summary);
    let _ = writeln!(s);
    let _ = writeln!(s, "- **Triggered by:** {}", m.trigger);
    if !m.is_attribute() {
        let _ = writeln!(s, "- **Python passes:** {}", arity_text(m));
        let _ = writeln!(s, "- **Must return:** {}", m.returns.describe());
    }
    match (m.forward, m.reflected, m.inplace) {
        (Some(f), _, _) => {
            let _ = writeln!(s, "- **Forward method:** `{f}`");
        }
        (None, Some(r), i) if m.is_binary_operator() => {
            let inplace = i.map(|i| format!(", in-place `{i}`")).unwrap_or_default();
            let _ = writeln!(s, "- **Twins:** reflected `{r}`{inplace}");
        }
        (None, Some(r), _) => {
            let _ = writeln!(
                s,
                "- **Reflection:** Python tries `{r}` on the right operand"
            );
        }
        _ => {}
    }
    if let Some((major, minor)) = m.since {
        let _ = writeln!(s, "- **Since:** Python {major}.{minor}");
    }
    let _ = writeln!(s, "- **Docs:** <{}>", m.docs_url());
    let _ = writeln!(s);
    s.push_str(body);
    s.push('\n');
    s
}

fn arity_text(m: &SpecialMethod) -> String {
    let first = match m.binding {
        Binding::ImplicitStatic => "the class first; implicitly a staticmethod",
        Binding::ImplicitClass => "the class first; implicitly a classmethod",
        Binding::ConventionalClass => "the class first; define it with @classmethod",
        _ if m.on_metaclass => "the class first (define it on the metaclass)",
        _ => "the instance first",
    };
    let plural = |n: u8| if n == 1 { "" } else { "s" };
    let count = if m.arity.is_variadic() {
        format!("{} or more positional arguments", m.arity.min)
    } else if m.arity.min == m.arity.max {
        format!("{} positional argument{}", m.arity.min, plural(m.arity.min))
    } else {
        let sep = if m.arity.max - m.arity.min == 1 {
            "or"
        } else {
            "to"
        };
        format!("{} {sep} {} positional arguments", m.arity.min, m.arity.max)
    };
    format!("{count}, {first}")
}

/// Markdown for one special method (hover/completion), or None if `name` is
/// not in the table.
pub fn knowledge(name: &str) -> Option<&'static str> {
    composed().get(name).map(String::as_str)
}

/// Every `(name, markdown)` in table order.
pub fn all_knowledge() -> impl Iterator<Item = (&'static str, &'static str)> {
    special_methods()
        .iter()
        .filter_map(|m| knowledge(m.name).map(|k| (m.name, k)))
}

fn parsed_topics() -> &'static [Topic] {
    static TOPICS: OnceLock<Vec<Topic>> = OnceLock::new();
    TOPICS.get_or_init(|| {
        TOPIC_FILES
            .iter()
            .map(|(id, markdown)| Topic {
                id,
                title: markdown
                    .lines()
                    .next()
                    .and_then(|l| l.strip_prefix("# "))
                    .unwrap_or(id)
                    .trim(),
                markdown,
            })
            .collect()
    })
}

/// The cross-cutting topics, in a stable order.
pub fn topics() -> &'static [Topic] {
    parsed_topics()
}

pub fn topic(id: &str) -> Option<&'static Topic> {
    parsed_topics().iter().find(|t| t.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_entry_has_exactly_one_section() {
        let mut seen: HashMap<&str, &str> = HashMap::new();
        for section in all_sections() {
            for name in &section.names {
                assert!(
                    lookup(name).is_some(),
                    "{}: section for unknown name {name}",
                    section.file
                );
                if let Some(prev) = seen.insert(name, section.file) {
                    panic!("{name} has sections in {prev} and {}", section.file);
                }
            }
            assert!(
                !section.body.is_empty(),
                "{:?} has an empty body",
                section.names
            );
        }
        let missing: Vec<_> = special_methods()
            .iter()
            .filter(|m| !seen.contains_key(m.name))
            .map(|m| m.name)
            .collect();
        assert!(missing.is_empty(), "no knowledge for {missing:?}");
    }

    #[test]
    fn composed_entries_carry_the_table_facts() {
        let eq = knowledge("__eq__").unwrap();
        assert!(eq.contains("__eq__(self, other: object) -> bool"));
        assert!(eq.contains("https://docs.python.org/3/reference/datamodel.html#object.__eq__"));
        assert!(knowledge("__aenter__").unwrap().contains("async def"));
        assert!(knowledge("__not_a_method__").is_none());
        assert_eq!(all_knowledge().count(), special_methods().len());
    }

    #[test]
    fn topics_have_titles() {
        assert_eq!(topics().len(), TOPIC_FILES.len());
        for t in topics() {
            assert!(t.markdown.starts_with("# "), "{} has no title line", t.id);
            assert!(!t.title.is_empty());
        }
        assert!(topic("eq-and-hash").is_some());
    }

    #[test]
    fn headings_inside_code_are_ignored() {
        let text: &'static str =
            "## `__a__`\nbody\n```python\n## `__b__`\n```\n## `__c__` `__d__`\nmore\n";
        let s = sections("t.md", text);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].names, ["__a__"]);
        assert!(s[0].body.contains("## `__b__`"));
        assert_eq!(s[1].names, ["__c__", "__d__"]);
    }
}
