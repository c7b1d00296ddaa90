//! Which rules run and how they are tuned, independent of where the
//! settings came from (pyproject.toml, CLI flags, editor settings).

use std::collections::HashMap;

use crate::diagnostic::Severity;
use crate::registry::all_rules;
use crate::rule::Rule;

/// A rule code, a code prefix (`DUN4`, `DUN`), `ALL`, or a rule name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RuleSelector {
    All,
    Prefix(String),
    Name(String),
}

impl RuleSelector {
    pub fn parse(text: &str) -> Result<RuleSelector, String> {
        let t = text.trim();
        if t.eq_ignore_ascii_case("ALL") {
            return Ok(RuleSelector::All);
        }
        let upper = t.to_ascii_uppercase();
        if upper.starts_with("DUN") && upper[3..].chars().all(|c| c.is_ascii_digit()) {
            if all_rules().iter().any(|r| r.code.starts_with(&upper)) {
                return Ok(RuleSelector::Prefix(upper));
            }
            return Err(format!("`{t}` matches no dunderls rule"));
        }
        if all_rules().iter().any(|r| r.name == t) {
            return Ok(RuleSelector::Name(t.to_string()));
        }
        Err(format!(
            "`{t}` is not a rule code, prefix (e.g. `DUN4`), rule name or `ALL`"
        ))
    }

    pub fn matches(&self, rule: &Rule) -> bool {
        match self {
            RuleSelector::All => true,
            RuleSelector::Prefix(p) => rule.code.starts_with(p.as_str()),
            RuleSelector::Name(n) => rule.name == n,
        }
    }

    /// More specific selectors win over less specific ones, as in ruff.
    fn specificity(&self) -> usize {
        match self {
            RuleSelector::All => 0,
            RuleSelector::Prefix(p) => p.len(),
            RuleSelector::Name(_) => usize::MAX,
        }
    }
}

/// Knobs individual rules read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleOptions {
    /// Call names (last component, or a dotted suffix) that DUN101/DUN303
    /// treat as expensive work: queries, loads, I/O.
    pub expensive_calls: Vec<String>,
    /// Extra dunder names that are not misspellings (DUN001).
    pub allowed_dunders: Vec<String>,
}

pub const DEFAULT_EXPENSIVE_CALLS: &[&str] = &[
    "query",
    "execute",
    "executemany",
    "fetch",
    "fetchone",
    "fetchall",
    "fetchmany",
    "load",
    "load_relation",
    "lazy_load",
    "get_object",
    "scalar",
    "scalars",
    "first",
    "one",
    "all",
    "filter_by",
    "request",
    "urlopen",
    "get",
    "post",
    "open",
    "read",
    "read_text",
    "read_bytes",
    "recv",
    "connect",
    "find_one",
    "aggregate",
];

impl Default for RuleOptions {
    fn default() -> Self {
        RuleOptions {
            expensive_calls: DEFAULT_EXPENSIVE_CALLS
                .iter()
                .map(|s| s.to_string())
                .collect(),
            allowed_dunders: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Settings {
    /// Empty means the default: every rule.
    pub select: Vec<RuleSelector>,
    pub extend_select: Vec<RuleSelector>,
    pub ignore: Vec<RuleSelector>,
    /// Severity overrides by rule code.
    pub severity: HashMap<String, Severity>,
    pub options: RuleOptions,
}

impl Settings {
    /// The rules this configuration enables. Among matching selectors the
    /// most specific decides; on a tie, ignore wins over select.
    pub fn enabled_rules(&self) -> Vec<&'static Rule> {
        let select: Vec<RuleSelector> = if self.select.is_empty() {
            vec![RuleSelector::All]
        } else {
            self.select.clone()
        };
        all_rules()
            .iter()
            .copied()
            .filter(|rule| {
                let best_select = select
                    .iter()
                    .chain(&self.extend_select)
                    .filter(|s| s.matches(rule))
                    .map(RuleSelector::specificity)
                    .max();
                let best_ignore = self
                    .ignore
                    .iter()
                    .filter(|s| s.matches(rule))
                    .map(RuleSelector::specificity)
                    .max();
                match (best_select, best_ignore) {
                    (Some(s), Some(i)) => s > i,
                    (Some(_), None) => true,
                    _ => false,
                }
            })
            .collect()
    }

    pub fn severity_of(&self, rule: &Rule, default: Severity) -> Severity {
        self.severity.get(rule.code).copied().unwrap_or(default)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specific_select_beats_broad_ignore() {
        let settings = Settings {
            select: vec![RuleSelector::All],
            ignore: vec![RuleSelector::parse("DUN4").unwrap()],
            extend_select: vec![RuleSelector::parse("DUN401").unwrap()],
            ..Settings::default()
        };
        let codes: Vec<_> = settings.enabled_rules().iter().map(|r| r.code).collect();
        assert!(codes.contains(&"DUN401"));
        assert!(!codes.contains(&"DUN402"));
        assert!(codes.contains(&"DUN501"));
    }

    #[test]
    fn bad_selectors_are_rejected_with_a_reason() {
        assert!(RuleSelector::parse("DUN999")
            .unwrap_err()
            .contains("matches no"));
        assert!(RuleSelector::parse("E501").is_err());
        assert_eq!(RuleSelector::parse("all").unwrap(), RuleSelector::All);
    }
}

#[cfg(test)]
mod default_list_tests {
    use super::DEFAULT_EXPENSIVE_CALLS;

    /// DUN101's documentation lists the defaults; keep them in step.
    #[test]
    fn dun101_docs_list_the_default_expensive_calls() {
        let rule = crate::rule_by_code_or_name("DUN101").expect("DUN101 exists");
        let docs: String = rule.docs.split_whitespace().collect::<Vec<_>>().join(" ");
        let listed = DEFAULT_EXPENSIVE_CALLS
            .iter()
            .map(|c| format!("`{c}`"))
            .collect::<Vec<_>>()
            .join(", ");
        assert!(docs.contains(&listed), "DUN101 docs should list: {listed}");
    }
}
