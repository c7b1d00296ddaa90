//! Printing findings: full (with snippet), concise, ruff-shaped JSON, and
//! GitHub Actions annotations.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use dunderls_linter::{rule_by_code_or_name, Applicability, Diagnostic, Severity};
use dunderls_python::{LineCol, LineIndex, PositionEncoding};
use serde_json::json;

use crate::cli::{CheckArgs, OutputFormat};

pub struct FileReport {
    pub path: PathBuf,
    pub source: String,
    pub diagnostics: Vec<Diagnostic>,
    pub fixed: usize,
    pub internal_errors: Vec<String>,
}

/// 1-based row and character column, as ruff reports them.
fn location(index: &LineIndex, source: &str, offset: usize) -> (u32, u32) {
    let LineCol { line, col } = index.position(source, offset, PositionEncoding::Utf32);
    (line + 1, col + 1)
}

pub fn print(reports: &[FileReport], args: &CheckArgs) {
    let mut out = String::new();
    if args.statistics {
        statistics(reports, &mut out);
    } else {
        match args.output_format {
            OutputFormat::Full => full(reports, &mut out),
            OutputFormat::Concise => concise(reports, &mut out),
            OutputFormat::Json => json_output(reports, &mut out),
            OutputFormat::Github => github(reports, &mut out),
        }
    }
    let fixed: usize = reports.iter().map(|r| r.fixed).sum();
    if args.fix && !matches!(args.output_format, OutputFormat::Json) {
        let _ = writeln!(
            out,
            "Fixed {fixed} finding{}.",
            if fixed == 1 { "" } else { "s" }
        );
    }
    print!("{out}");
    for r in reports {
        for e in &r.internal_errors {
            eprintln!("error: {e}");
        }
    }
}

fn each(reports: &[FileReport]) -> impl Iterator<Item = (&FileReport, LineIndex)> {
    reports
        .iter()
        .filter(|r| !r.diagnostics.is_empty())
        .map(|r| (r, LineIndex::new(&r.source)))
}

fn concise(reports: &[FileReport], out: &mut String) {
    for (r, index) in each(reports) {
        for d in &r.diagnostics {
            headline(out, r, &index, d);
        }
    }
    summary(reports, out);
}

/// `path:row:col: CODE [name] message`; returns (row, col).
fn headline(out: &mut String, r: &FileReport, index: &LineIndex, d: &Diagnostic) -> (u32, u32) {
    let (row, col) = location(index, &r.source, d.range.start);
    let _ = writeln!(
        out,
        "{}:{row}:{col}: {} [{}] {}",
        r.path.display(),
        d.code,
        d.name,
        d.message
    );
    (row, col)
}

fn full(reports: &[FileReport], out: &mut String) {
    for (r, index) in each(reports) {
        for d in &r.diagnostics {
            let (row, col) = headline(out, r, &index, d);
            let line = (row - 1) as usize;
            let text = &r.source[index.line_range(line, &r.source)];
            let gutter = row.to_string().len();
            let (end_row, end_col) = location(&index, &r.source, d.range.end);
            let width = if end_row == row {
                (end_col - col).max(1)
            } else {
                1
            };
            let expanded = text.replace('\t', " ");
            let _ = writeln!(out, "{:gutter$} |", "");
            let _ = writeln!(out, "{row} | {expanded}");
            let _ = writeln!(
                out,
                "{:gutter$} | {}{} {}",
                "",
                " ".repeat(col as usize - 1),
                "^".repeat(width as usize),
                d.severity.as_str()
            );
            if let Some(fix) = &d.fix {
                let kind = match fix.applicability {
                    Applicability::Safe => "fix",
                    Applicability::Unsafe => "unsafe fix",
                };
                let _ = writeln!(out, "{:gutter$} = {kind}: {}", "", fix.title);
            }
            let _ = writeln!(out, "{:gutter$} = docs: dunderls explain {}", "", d.code);
            out.push('\n');
        }
    }
    summary(reports, out);
}

fn summary(reports: &[FileReport], out: &mut String) {
    let total: usize = reports.iter().map(|r| r.diagnostics.len()).sum();
    let fixable = reports
        .iter()
        .flat_map(|r| &r.diagnostics)
        .filter(|d| {
            d.fix
                .as_ref()
                .is_some_and(|f| f.applicability == Applicability::Safe)
        })
        .count();
    if total == 0 {
        let _ = writeln!(out, "All checks passed ({} files).", reports.len());
    } else {
        let _ = write!(
            out,
            "Found {total} finding{} in {} files.",
            if total == 1 { "" } else { "s" },
            reports.len()
        );
        if fixable > 0 {
            let _ = write!(out, " {fixable} fixable with `dunderls check --fix`.");
        }
        out.push('\n');
    }
}

fn statistics(reports: &[FileReport], out: &mut String) {
    let mut counts: BTreeMap<&str, (usize, &str, bool)> = BTreeMap::new();
    for d in reports.iter().flat_map(|r| &r.diagnostics) {
        let e = counts.entry(d.code).or_insert((0, d.name, false));
        e.0 += 1;
        e.2 |= d
            .fix
            .as_ref()
            .is_some_and(|f| f.applicability == Applicability::Safe);
    }
    let mut rows: Vec<_> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(b.0)));
    for (code, (count, name, fixable)) in rows {
        let _ = writeln!(
            out,
            "{count:>5}  {code}  {} {name}",
            if fixable { "[*]" } else { "[ ]" }
        );
    }
}

fn json_output(reports: &[FileReport], out: &mut String) {
    let mut items = Vec::new();
    for r in reports {
        let index = LineIndex::new(&r.source);
        let loc = |offset: usize| {
            let (row, column) = location(&index, &r.source, offset);
            json!({ "row": row, "column": column })
        };
        for d in &r.diagnostics {
            let fix = d.fix.as_ref().map(|f| {
                json!({
                    "applicability": match f.applicability { Applicability::Safe => "safe", Applicability::Unsafe => "unsafe" },
                    "message": f.title,
                    "edits": f.edits.iter().map(|e| json!({
                        "content": e.content,
                        "location": loc(e.range.start),
                        "end_location": loc(e.range.end),
                    })).collect::<Vec<_>>(),
                })
            });
            items.push(json!({
                "cell": null,
                "code": d.code,
                "name": d.name,
                "message": d.message,
                "severity": d.severity.as_str(),
                "filename": r.path.display().to_string(),
                "location": loc(d.range.start),
                "end_location": loc(d.range.end),
                "fix": fix,
                "noqa_row": location(&index, &r.source, d.range.start).0,
                "url": rule_by_code_or_name(d.code).map(|rule| rule.url()),
            }));
        }
    }
    let _ = writeln!(
        out,
        "{}",
        serde_json::to_string_pretty(&items).expect("JSON of plain values")
    );
}

fn github(reports: &[FileReport], out: &mut String) {
    for (r, index) in each(reports) {
        for d in &r.diagnostics {
            let (row, col) = location(&index, &r.source, d.range.start);
            let (end_row, end_col) = location(&index, &r.source, d.range.end);
            let level = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                _ => "notice",
            };
            let _ = writeln!(
                out,
                "::{level} title=dunderls ({code}),file={file},line={row},col={col},endLine={end_row},endColumn={end_col}::{code} [{name}] {msg}",
                code = d.code,
                name = d.name,
                file = escape_property(&r.path.display().to_string()),
                msg = escape_data(&d.message),
            );
        }
    }
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}
