//! Per-rule tests, found from the registry: fixtures of bad patterns with
//! every expected finding marked `# error: CODE`, fixtures of correct idioms
//! that must stay silent, and snapshots of the exact diagnostics.

use std::collections::BTreeSet;
use std::fmt::Write;
use std::path::PathBuf;

use dunderls_linter::{all_rules, check_source, docs, Rule, RuleSelector, Settings};
use dunderls_python::{LineIndex, PositionEncoding};

fn fixture(rule: &Rule, suffix: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("resources/fixtures")
        .join(rule.group.dir())
        .join(format!("{}{suffix}.py", rule.code))
}

fn only(rule: &Rule) -> Settings {
    Settings {
        select: vec![RuleSelector::parse(rule.code).unwrap()],
        ..Settings::default()
    }
}

/// Lines (1-based) carrying `# error: CODE` for this rule.
fn marked_lines(source: &str, code: &str) -> BTreeSet<usize> {
    source
        .lines()
        .enumerate()
        .filter(|(_, l)| {
            l.split("# error:")
                .skip(1)
                .any(|codes| codes.split([',', ' ']).any(|c| c.trim() == code))
        })
        .map(|(i, _)| i + 1)
        .collect()
}

/// The snapshot text: one line per finding, its fix, and the fixed source
/// as a diff.
fn render(source: &str, rule: &Rule) -> (String, BTreeSet<usize>) {
    let result = check_source(source, &only(rule));
    assert!(result.rule_errors.is_empty(), "{:?}", result.rule_errors);
    let index = LineIndex::new(source);
    let mut out = String::new();
    let mut lines = BTreeSet::new();
    for d in &result.diagnostics {
        let s = index.position(source, d.range.start, PositionEncoding::Utf32);
        let e = index.position(source, d.range.end, PositionEncoding::Utf32);
        lines.insert(s.line as usize + 1);
        writeln!(
            out,
            "{}:{}-{}:{} {} [{}] {}: {}",
            s.line + 1,
            s.col + 1,
            e.line + 1,
            e.col + 1,
            d.code,
            d.name,
            d.severity.as_str(),
            d.message
        )
        .unwrap();
        if let Some(fix) = &d.fix {
            writeln!(out, "    fix ({:?}): {}", fix.applicability, fix.title).unwrap();
            let (fixed, _) =
                dunderls_linter::fix::apply_fixes(source, std::slice::from_ref(d), true);
            let diff = similar::TextDiff::from_lines(source, &fixed);
            for hunk in diff.unified_diff().context_radius(1).iter_hunks() {
                for line in hunk.to_string().lines() {
                    writeln!(out, "    | {line}").unwrap();
                }
            }
        }
    }
    (out, lines)
}

#[test]
fn every_rule_is_complete() {
    let mut problems = Vec::new();
    for rule in all_rules() {
        for section in docs::RULE_SECTIONS {
            if docs::section(rule.docs, section).is_none_or(str::is_empty) {
                problems.push(format!("{}: docs lack `## {section}`", rule.code));
            }
        }
        for suffix in ["", "_ok"] {
            if !fixture(rule, suffix).exists() {
                problems.push(format!(
                    "{}: missing fixture {}",
                    rule.code,
                    fixture(rule, suffix).display()
                ));
            }
        }
        if !rule.code.starts_with("DUN") || rule.code.len() != 6 {
            problems.push(format!("{}: not a catalog code", rule.code));
        }
    }
    let mut codes: Vec<_> = all_rules().iter().map(|r| r.code).collect();
    codes.dedup();
    assert_eq!(codes.len(), all_rules().len(), "duplicate rule codes");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn bad_fixtures_report_exactly_the_marked_lines() {
    let mut problems = Vec::new();
    for rule in all_rules() {
        let path = fixture(rule, "");
        let Ok(source) = std::fs::read_to_string(&path) else {
            continue;
        };
        let expected = marked_lines(&source, rule.code);
        if expected.is_empty() {
            problems.push(format!("{}: the bad fixture marks no finding", rule.code));
        }
        let (rendered, found) = render(&source, rule);
        if found != expected {
            problems.push(format!(
                "{}: expected findings on lines {expected:?}, found {found:?}\n{rendered}",
                rule.code
            ));
        }
        insta::with_settings!({snapshot_path => "snapshots", prepend_module_to_snapshot => false, omit_expression => true}, {
            insta::assert_snapshot!(rule.code, rendered);
        });
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn correct_idioms_stay_silent() {
    let mut problems = Vec::new();
    for rule in all_rules() {
        let Ok(source) = std::fs::read_to_string(fixture(rule, "_ok")) else {
            continue;
        };
        let (rendered, found) = render(&source, rule);
        if !found.is_empty() {
            problems.push(format!(
                "{}: false positives in the _ok fixture:\n{rendered}",
                rule.code
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
