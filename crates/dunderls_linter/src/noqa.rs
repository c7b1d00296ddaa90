//! `# noqa` and `# dunderls:` suppression comments.
//!
//! Line level: `# noqa` (everything), `# noqa: DUN401, DUN402`,
//! `# dunderls: ignore[DUN401]`. File level: `# dunderls: noqa` or
//! `# dunderls: noqa: DUN401`. Peer codes (e.g. PLW1641) count as aliases.

use std::ops::Range;

use crate::registry::all_rules;
use crate::rule::Rule;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Line,
    File,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    pub scope: Scope,
    /// Byte range of the whole comment.
    pub range: Range<usize>,
    /// None = all codes; else the codes with their byte ranges.
    pub codes: Option<Vec<(String, Range<usize>)>>,
}

impl Directive {
    pub fn suppresses(&self, rule: &Rule) -> bool {
        match &self.codes {
            None => true,
            Some(codes) => codes.iter().any(|(c, _)| code_means(c, rule)),
        }
    }
}

/// `code` names `rule` directly, by name, or as a peer alias.
pub fn code_means(code: &str, rule: &Rule) -> bool {
    code.eq_ignore_ascii_case(rule.code)
        || code == rule.name
        || rule.aliases.iter().any(|a| a.eq_ignore_ascii_case(code))
}

/// The rule a code in a comment refers to (directly or via an alias).
pub fn rule_for_code(code: &str) -> Option<&'static Rule> {
    all_rules()
        .iter()
        .copied()
        .find(|r| code.eq_ignore_ascii_case(r.code) || code == r.name)
        .or_else(|| all_rules().iter().copied().find(|r| code_means(code, r)))
}

/// Parse one comment (its full text, starting at `#`).
pub fn parse_comment(text: &str, offset: usize) -> Vec<Directive> {
    let mut out = Vec::new();
    let lower = text.to_ascii_lowercase();
    let range = offset..offset + text.len();
    // Each `#` may start a directive: `# type: ignore  # noqa: DUN401`.
    for (hash, _) in text.match_indices('#') {
        let rest = &lower[hash + 1..];
        let trimmed = rest.trim_start();
        let at = hash + 1 + (rest.len() - trimmed.len());
        if let Some(after) = trimmed.strip_prefix("dunderls:") {
            let after_trim = after.trim_start();
            let at = at + "dunderls:".len() + (after.len() - after_trim.len());
            if let Some(body) = after_trim.strip_prefix("noqa") {
                out.push(Directive {
                    scope: Scope::File,
                    range: range.clone(),
                    codes: colon_codes(text, at + 4, body, offset),
                });
            } else if let Some(body) = after_trim.strip_prefix("ignore") {
                let codes = body
                    .strip_prefix('[')
                    .and_then(|b| b.find(']').map(|end| (at + 7, end)))
                    .map(|(start, len)| codes_in(text, start, start + len, offset));
                out.push(Directive {
                    scope: Scope::Line,
                    range: range.clone(),
                    codes,
                });
            }
        } else if let Some(body) = trimmed.strip_prefix("noqa") {
            if body.starts_with(|c: char| c.is_alphanumeric()) {
                continue;
            }
            out.push(Directive {
                scope: Scope::Line,
                range: range.clone(),
                codes: colon_codes(text, at + 4, body, offset),
            });
        }
    }
    out
}

/// `: A, B` after a keyword -> codes; nothing (or no colon) -> all.
fn colon_codes(
    text: &str,
    start: usize,
    body: &str,
    offset: usize,
) -> Option<Vec<(String, Range<usize>)>> {
    let trimmed = body.trim_start();
    let colon = trimmed.strip_prefix(':')?;
    let from = start + (body.len() - trimmed.len()) + 1;
    let end = colon.find('#').map(|i| from + i).unwrap_or(text.len());
    let _ = colon;
    let codes = codes_in(text, from, end, offset);
    (!codes.is_empty()).then_some(codes)
}

fn codes_in(text: &str, from: usize, to: usize, offset: usize) -> Vec<(String, Range<usize>)> {
    let mut out = Vec::new();
    let segment = &text[from..to];
    let mut pos = 0;
    for part in segment.split([',', ' ', '\t']) {
        let start = pos;
        pos += part.len() + 1;
        let word = part.trim();
        if word.is_empty() {
            continue;
        }
        if !word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            break;
        }
        let s = offset + from + start;
        out.push((word.to_string(), s..s + part.len()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(d: &Directive) -> Option<Vec<&str>> {
        d.codes
            .as_ref()
            .map(|c| c.iter().map(|(s, _)| s.as_str()).collect())
    }

    #[test]
    fn parses_the_forms() {
        let d = parse_comment("# noqa", 0);
        assert_eq!(d.len(), 1);
        assert_eq!(codes(&d[0]), None);
        let d = parse_comment("# noqa: DUN401, DUN402", 10);
        assert_eq!(codes(&d[0]), Some(vec!["DUN401", "DUN402"]));
        let (_, r) = &d[0].codes.as_ref().unwrap()[1];
        assert_eq!(
            &"# noqa: DUN401, DUN402"[r.start - 10..r.end - 10],
            "DUN402"
        );
        let d = parse_comment("# type: ignore  # dunderls: ignore[DUN501]", 0);
        assert_eq!(d[0].scope, Scope::Line);
        assert_eq!(codes(&d[0]), Some(vec!["DUN501"]));
        let d = parse_comment("# dunderls: noqa: DUN004", 0);
        assert_eq!(d[0].scope, Scope::File);
        assert_eq!(codes(&d[0]), Some(vec!["DUN004"]));
        assert!(parse_comment("# noqanope", 0).is_empty());
        assert!(parse_comment("# a plain comment", 0).is_empty());
    }
}
