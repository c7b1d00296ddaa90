//! The only module that talks to `dunderls_datamodel`. Everything else in
//! the server reads special-method facts through `MethodInfo`, so adapting
//! to the data model's final API touches this file alone.

use std::sync::OnceLock;

/// What hover and completion need to know about one special method.
#[derive(Debug, Clone)]
pub struct MethodInfo {
    pub name: &'static str,
    pub protocol: &'static str,
    /// A binary arithmetic/bitwise operator (not a rich comparison, whose
    /// "reflection" is the swapped comparison).
    pub numeric: bool,
    /// e.g. `__eq__(self, other: object) -> bool`.
    pub signature: &'static str,
    pub returns: String,
    pub trigger: &'static str,
    pub summary: &'static str,
    pub reflected: Option<&'static str>,
    pub inplace: Option<&'static str>,
    pub forward: Option<&'static str>,
    /// Positional parameters counting self: (min, max; None = any).
    pub arity: (usize, Option<usize>),
    pub docs_url: String,
    /// Markdown: what Python calls it for, pitfalls.
    pub knowledge: Option<&'static str>,
}

fn from_model(m: &'static dunderls_datamodel::SpecialMethod) -> MethodInfo {
    MethodInfo {
        name: m.name,
        protocol: m.protocol.title(),
        numeric: m.protocol == dunderls_datamodel::Protocol::Numeric,
        signature: m.signature(),
        returns: m.returns.describe().to_string(),
        trigger: m.trigger,
        summary: m.summary,
        reflected: m.reflected,
        inplace: m.inplace,
        forward: m.forward,
        arity: (
            m.arity.min as usize,
            if m.arity.is_variadic() {
                None
            } else {
                Some(m.arity.max as usize)
            },
        ),
        docs_url: m.docs_url(),
        knowledge: dunderls_datamodel::knowledge(m.name),
    }
}

/// All special methods, in the data model's order.
pub fn all() -> &'static [MethodInfo] {
    static ALL: OnceLock<Vec<MethodInfo>> = OnceLock::new();
    ALL.get_or_init(|| {
        dunderls_datamodel::special_methods()
            .iter()
            .map(from_model)
            .collect()
    })
}

pub fn lookup(name: &str) -> Option<&'static MethodInfo> {
    all().iter().find(|m| m.name == name)
}

/// Methods of a collections.abc ABC that subclasses must define.
pub fn abc_abstract_methods(name: &str) -> Option<(&'static str, &'static [&'static str])> {
    dunderls_datamodel::abc(name).map(|a| (a.name, a.abstract_methods))
}

/// The Markdown hover card for a special method.
pub fn hover_markdown(info: &MethodInfo) -> String {
    let mut out = format!(
        "```python\ndef {}\n```\n",
        info.signature.trim_start_matches("async ")
    );
    if info.signature.starts_with("async ") {
        out = format!(
            "```python\nasync def {}\n```\n",
            info.signature.trim_start_matches("async ")
        );
    }
    if info.name == "__slots__" {
        out = format!("```python\n{}\n```\n", info.signature);
    }
    out.push_str(&format!("**{}** — {}\n\n", info.protocol, info.summary));
    if !info.trigger.is_empty() {
        out.push_str(&format!("**Called for:** {}\n\n", info.trigger));
    }
    if !info.returns.is_empty() {
        out.push_str(&format!("**Must return:** {}\n\n", info.returns));
    }
    let mut twins = Vec::new();
    if let Some(r) = info.reflected {
        twins.push(format!("reflected `{r}`"));
    }
    if let Some(i) = info.inplace {
        twins.push(format!("in-place `{i}`"));
    }
    if let Some(f) = info.forward {
        twins.push(format!("forward `{f}`"));
    }
    if !twins.is_empty() {
        out.push_str(&format!("**Related:** {}\n\n", twins.join(", ")));
    }
    if let Some(k) = info.knowledge {
        out.push_str(k.trim());
        out.push_str("\n\n");
    }
    out.push_str(&format!("[Python data model reference]({})", info.docs_url));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_and_card() {
        let eq = lookup("__eq__").expect("__eq__ is in the data model");
        assert!(eq.signature.contains("other"));
        let card = hover_markdown(eq);
        assert!(card.contains("def __eq__"), "{card}");
        assert!(card.contains("docs.python.org"), "{card}");
        assert!(lookup("__nope__").is_none());
        let add = lookup("__add__").expect("__add__");
        assert_eq!(add.reflected, Some("__radd__"));
    }
}
