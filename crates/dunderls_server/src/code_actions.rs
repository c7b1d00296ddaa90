//! Code actions: a finding's fix as a quick fix, a `# noqa` suppression
//! for every finding, and `source.fixAll.dunderls` (all safe fixes).
//!
//! Everything is computed from an exact analysis, in byte offsets, and
//! returned as `TextEdit`s in bytes (`ByteEdit`); the server converts them
//! to LSP ranges and versions the edit with the analysed version.

use std::ops::Range;

use dunderls_linter::{fix::apply_fixes, noqa, Applicability, Diagnostic, Settings};
use dunderls_python::Tree;

pub const FIX_ALL_KIND: &str = "source.fixAll.dunderls";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ByteEdit {
    pub range: Range<usize>,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionKind {
    QuickFix,
    FixAll,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub title: String,
    pub kind: ActionKind,
    pub edits: Vec<ByteEdit>,
    pub preferred: bool,
    /// The finding this action is for (quick fixes).
    pub diagnostic: Option<Diagnostic>,
}

/// Whether an action of `kind` passes the client's `only` filter
/// (hierarchical: `source` admits `source.fixAll.dunderls`).
pub fn kind_allowed(kind: &str, only: Option<&[String]>) -> bool {
    match only {
        None => true,
        Some(filters) => filters
            .iter()
            .any(|f| kind == f || kind.starts_with(&format!("{f}."))),
    }
}

/// The edit adding `code` to the suppressions of the finding's line:
/// appended to an existing `# noqa: ...` or `# dunderls: ignore[...]`,
/// else a new `  # noqa: CODE` at the end of the line.
pub fn noqa_edit(source: &str, tree: &Tree, d: &Diagnostic) -> ByteEdit {
    let start = d.range.start.min(source.len());
    let line_start = source[..start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let line_end = source[start..]
        .find(['\n', '\r'])
        .map_or(source.len(), |i| start + i);
    let line = &source[line_start..line_end];
    let root = tree.root_node();
    for (i, _) in line.match_indices('#') {
        let at = line_start + i;
        let Some(node) = root.descendant_for_byte_range(at, at + 1) else {
            continue;
        };
        if node.kind() != "comment" || node.start_byte() != at {
            continue;
        }
        let text = source.get(node.byte_range()).unwrap_or_default();
        for directive in noqa::parse_comment(text, at) {
            if directive.scope != noqa::Scope::Line {
                continue;
            }
            if let Some(last) = directive.codes.as_ref().and_then(|c| c.last()) {
                return ByteEdit {
                    range: last.1.end..last.1.end,
                    text: format!(", {}", d.code),
                };
            }
        }
    }
    let trimmed_end = line_start + line.trim_end().len();
    ByteEdit {
        range: trimmed_end..trimmed_end,
        text: format!("  # noqa: {}", d.code),
    }
}

/// Quick fixes and suppressions for findings overlapping `range`.
pub fn quick_fixes(
    source: &str,
    tree: &Tree,
    diagnostics: &[Diagnostic],
    range: &Range<usize>,
) -> Vec<Action> {
    let mut out = Vec::new();
    let overlapping = diagnostics
        .iter()
        .filter(|d| d.range.start <= range.end && range.start <= d.range.end);
    for d in overlapping {
        if let Some(fix) = &d.fix {
            let safe = fix.applicability == Applicability::Safe;
            out.push(Action {
                title: if safe {
                    format!("Fix {}: {}", d.code, fix.title)
                } else {
                    format!("Fix {}: {} (unsafe: review the change)", d.code, fix.title)
                },
                kind: ActionKind::QuickFix,
                edits: fix
                    .edits
                    .iter()
                    .map(|e| ByteEdit {
                        range: e.range.clone(),
                        text: e.content.clone(),
                    })
                    .collect(),
                preferred: safe,
                diagnostic: Some(d.clone()),
            });
        }
        out.push(Action {
            title: format!("Suppress {} with `# noqa: {}`", d.code, d.code),
            kind: ActionKind::QuickFix,
            edits: vec![noqa_edit(source, tree, d)],
            preferred: false,
            diagnostic: Some(d.clone()),
        });
    }
    out
}

/// The smallest single edit turning `old` into `new`.
pub fn minimal_edit(old: &str, new: &str) -> Option<ByteEdit> {
    if old == new {
        return None;
    }
    let mut prefix = old
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(prefix) || !new.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let max_suffix = old.len().min(new.len()) - prefix;
    let mut suffix = old
        .bytes()
        .rev()
        .zip(new.bytes().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(old.len() - suffix) || !new.is_char_boundary(new.len() - suffix) {
        suffix -= 1;
    }
    Some(ByteEdit {
        range: prefix..old.len() - suffix,
        text: new[prefix..new.len() - suffix].to_string(),
    })
}

/// Apply every safe fix, re-checking between rounds (fixes that overlap
/// are applied in a later round), as one minimal edit.
pub fn fix_all(
    source: &str,
    diagnostics: &[Diagnostic],
    settings: &Settings,
) -> Option<(ByteEdit, usize)> {
    let mut text = source.to_string();
    let mut diags = diagnostics.to_vec();
    let mut total = 0;
    for _ in 0..10 {
        let (next, applied) = apply_fixes(&text, &diags, false);
        if applied == 0 || next == text {
            break;
        }
        total += applied;
        text = next;
        diags = dunderls_linter::check_source(&text, settings).diagnostics;
    }
    minimal_edit(source, &text).map(|e| (e, total))
}

#[cfg(test)]
mod tests {
    use super::*;
    use dunderls_linter::{check_source, Edit, Fix, Severity};

    fn apply(source: &str, edit: &ByteEdit) -> String {
        format!(
            "{}{}{}",
            &source[..edit.range.start],
            edit.text,
            &source[edit.range.end..]
        )
    }

    #[test]
    fn noqa_is_added_or_appended() {
        let cases = [
            ("class A:\n    def __eq__(self, o):\n        return 1\n", "    def __eq__(self, o):  # noqa: DUN401\n"),
            ("class A:\n    def __eq__(self, o):  # noqa: E501\n        return 1\n", "    def __eq__(self, o):  # noqa: E501, DUN401\n"),
            ("class A:\n    def __eq__(self, o):  # dunderls: ignore[DUN999]\n        return 1\n", "    def __eq__(self, o):  # dunderls: ignore[DUN999, DUN401]\n"),
            ("class A:\n    def __eq__(self, o='#'):  # why\n        return 1\n", "    def __eq__(self, o='#'):  # why  # noqa: DUN401\n"),
        ];
        for (src, want_line) in cases {
            let tree = dunderls_python::parse(src, None);
            let result = check_source(src, &Settings::default());
            let d = result.diagnostics.first().expect("DUN401 finding");
            let fixed = apply(src, &noqa_edit(src, &tree, d));
            assert!(fixed.contains(want_line), "{fixed}");
            assert!(
                check_source(&fixed, &Settings::default())
                    .diagnostics
                    .is_empty(),
                "{fixed}"
            );
        }
    }

    #[test]
    fn quick_fix_for_dun401_is_not_preferred() {
        let src = "class A:\n    def __eq__(self, o):\n        return self.x == o.x\n";
        let tree = dunderls_python::parse(src, None);
        let diags = check_source(src, &Settings::default()).diagnostics;
        let actions = quick_fixes(src, &tree, &diags, &(20..20));
        assert_eq!(actions.len(), 2);
        assert!(!actions[0].preferred && actions[0].title.starts_with("Fix DUN401"));
        assert!(actions[1].title == "Suppress DUN401 with `# noqa: DUN401`");
        assert!(quick_fixes(src, &tree, &diags, &(0..3)).is_empty());
    }

    #[test]
    fn minimal_edit_is_minimal_and_char_safe() {
        let e = minimal_edit("abcXdef", "abcYYdef").expect("edit");
        assert_eq!(
            e,
            ByteEdit {
                range: 3..4,
                text: "YY".into()
            }
        );
        let e = minimal_edit("aé", "aè").expect("edit");
        assert_eq!(apply("aé", &e), "aè");
        assert!(minimal_edit("x", "x").is_none());
        let e = minimal_edit("aaa", "aa").expect("edit");
        assert_eq!(apply("aaa", &e), "aa");
    }

    #[test]
    fn fix_all_applies_safe_fixes_only() {
        let src = "x = 1\ny = 2\n";
        let safe = Diagnostic {
            code: "DUN401",
            name: "eq-without-hash",
            message: "m".into(),
            range: 0..1,
            severity: Severity::Warning,
            fix: Some(Fix::safe("t", vec![Edit::replace(0..1, "z")])),
        };
        let mut unsafe_ = safe.clone();
        unsafe_.range = 6..7;
        unsafe_.fix = Some(Fix::unsafe_("t", vec![Edit::replace(6..7, "w")]));
        let (edit, n) = fix_all(src, &[safe, unsafe_], &Settings::default()).expect("edit");
        assert_eq!(n, 1);
        assert_eq!(apply(src, &edit), "z = 1\ny = 2\n");
        assert!(kind_allowed(FIX_ALL_KIND, Some(&["source".to_string()])));
        assert!(kind_allowed(
            FIX_ALL_KIND,
            Some(&["source.fixAll".to_string()])
        ));
        assert!(!kind_allowed(FIX_ALL_KIND, Some(&["quickfix".to_string()])));
        assert!(kind_allowed("quickfix", None));
    }
}
