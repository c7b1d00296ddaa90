//! Applying fixes to text.

use crate::diagnostic::{Applicability, Diagnostic};

/// Apply the safe (or all, with `include_unsafe`) fixes of `diagnostics`.
/// Overlapping edits are skipped: the next run picks them up. Returns the new
/// text and how many fixes were applied.
pub fn apply_fixes(
    source: &str,
    diagnostics: &[Diagnostic],
    include_unsafe: bool,
) -> (String, usize) {
    let mut fixes: Vec<_> = diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .filter(|f| include_unsafe || f.applicability == Applicability::Safe)
        .collect();
    fixes.sort_by_key(|f| f.edits.iter().map(|e| e.range.start).min().unwrap_or(0));
    let mut edits = Vec::new();
    let mut applied = 0;
    let mut last_end = 0usize;
    for fix in fixes {
        let mut own: Vec<_> = fix.edits.iter().collect();
        own.sort_by_key(|e| (e.range.start, e.range.end));
        let start = own.first().map(|e| e.range.start).unwrap_or(0);
        let valid = own.iter().all(|e| {
            e.range.start <= e.range.end
                && e.range.end <= source.len()
                && source.is_char_boundary(e.range.start)
                && source.is_char_boundary(e.range.end)
        });
        if !valid || (applied > 0 && start < last_end) {
            continue;
        }
        last_end = own.iter().map(|e| e.range.end).max().unwrap_or(start);
        edits.extend(own);
        applied += 1;
    }
    let mut out = String::with_capacity(source.len());
    let mut pos = 0;
    for e in edits {
        out.push_str(&source[pos..e.range.start]);
        out.push_str(&e.content);
        pos = e.range.end;
    }
    out.push_str(&source[pos..]);
    (out, applied)
}
