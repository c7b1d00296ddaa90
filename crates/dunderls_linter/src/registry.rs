//! All rules, gathered from the rule groups.

use std::sync::OnceLock;

use crate::rule::Rule;
use crate::rules;

pub fn all_rules() -> &'static [&'static Rule] {
    static ALL: OnceLock<Vec<&'static Rule>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut all: Vec<&'static Rule> = rules::GROUPS
            .iter()
            .flat_map(|g| g.iter().copied())
            .collect();
        all.sort_by_key(|r| r.code);
        all
    })
}

/// By code (`DUN401`, any case) or name (`eq-without-hash`).
pub fn rule_by_code_or_name(key: &str) -> Option<&'static Rule> {
    all_rules()
        .iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(key) || r.name == key)
}
