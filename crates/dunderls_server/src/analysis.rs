//! Checking a document: the exact full check, and the partial checks that
//! keep keystroke latency low on big files.
//!
//! **Full check** (`Mode::Full`): re-parse the whole text (incrementally,
//! with the previous tree `edit`ed), build the module's facts, run every
//! enabled rule. Exact: identical to `dunderls check` on the same text. On
//! the development machine it costs ~50-150 ms for a 10,000-line file,
//! almost all of it in building the facts, so it is not what a keystroke
//! runs. (When one ERROR node swallows every statement, e.g. after an
//! unclosed bracket near the top, the facts walk is skipped: every finding
//! would be dropped as inside an error region anyway.)
//!
//! **Partial check, fast** (`Mode::Partial`): the file is cut into
//! *segments*, groups of top-level statements on whole lines (a class, a
//! function, an import block...). An edit dirties the segments it touches,
//! plus the neighbours when it touches a segment's first line or the blank
//! lines between segments. Only the dirty *regions* are parsed, on their
//! own; when that parse is free of errors and every statement starts in
//! column 0, the regions are sequences of complete statements and the full
//! parse of the file contains exactly these statements, so the previous
//! segments outside stay valid and no re-parse of the file is needed. The
//! rules run on a small synthetic module: the dirty regions, the file's
//! import blocks, the classes the dirty classes inherit from, the classes
//! that inherit from them (whose findings are re-computed too), imports
//! nested elsewhere and file-level `noqa` comments. Findings outside are
//! the previous ones, shifted. Sub-millisecond on a 10,000-line file; the
//! server runs it inline on the async thread.
//!
//! **Partial check, re-parsed** (`Mode::Reparsed`): when the regions do
//! not parse on their own (the user is in the middle of typing a
//! statement) or the previous parse had top-level errors, the whole file
//! is re-parsed incrementally (no facts walk), the segments are taken from
//! the real tree, and the same synthetic check runs on the changed ones.
//! While the file is broken, checks rebase on the last analysis whose
//! segments were valid, so that closing a bracket re-checks only what was
//! edited since.
//!
//! Partial results are never marked exact: rules that relate a class to
//! code elsewhere in the module could differ, and with syntax errors error
//! recovery in isolation may differ from the whole file's. The server runs
//! a full check once the user pauses; pulled diagnostics, code actions and
//! hovers always use an exact result. The property test at the end of this
//! file checks partial results against full ones under random edits.

use std::collections::HashSet;
use std::ops::Range;
use std::sync::Arc;

use dunderls_linter::{check_module, Diagnostic, Settings};
use dunderls_python::{parse, InputEdit, LineIndex, Module, Node, PositionEncoding, Tree};
use dunderls_workspace::{ModuleEntry, ProjectIndex};
use ropey::Rope;
use tower_lsp_server::ls_types::Range as LspRange;

use crate::document::EditRecord;
use crate::position::{RopePositions, TextPositions};

/// A finding with its LSP range (in the negotiated encoding).
#[derive(Debug, Clone)]
pub struct Finding {
    pub diag: Diagnostic,
    pub range: LspRange,
    /// The finding's LSP JSON after its range, computed once and shared by
    /// the shifted copies (see `diagnostics::publish_json`).
    pub json_tail: Arc<std::sync::OnceLock<String>>,
}

impl Finding {
    pub fn new(diag: Diagnostic, range: LspRange) -> Finding {
        Finding {
            diag,
            range,
            json_tail: Arc::default(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SegmentKind {
    Import,
    Other,
}

/// What the partial check needs to know about a segment it does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentMeta {
    pub kind: SegmentKind,
    /// Module-level classes defined in it: name and base names.
    pub classes: Vec<(String, Vec<String>)>,
    /// Import statements nested inside it (they count module-wide).
    pub nested_imports: Vec<String>,
    /// Comments carrying file-level suppressions.
    pub file_noqa: Vec<String>,
    /// The segment contains a syntax error.
    pub has_error: bool,
}

#[derive(Debug, Clone)]
pub struct Segment {
    /// Whole lines: starts at a line start, ends after a line terminator
    /// (or at the end of the text).
    pub range: Range<usize>,
    pub meta: Arc<SegmentMeta>,
}

/// The latest analysis of a document.
#[derive(Debug, Clone)]
pub struct View {
    pub rev: u64,
    pub version: i32,
    pub findings: Arc<Vec<Finding>>,
    pub segments: Arc<Vec<Segment>>,
    /// The segments come from a parse without errors at the top level.
    pub segments_valid: bool,
    pub exact: bool,
    /// False only for the placeholder before the first check.
    pub analysed: bool,
    /// The text had a CRLF (fixes insert the file's newline style, so a
    /// change of style re-checks everything).
    pub has_crlf: bool,
}

impl View {
    pub fn empty() -> View {
        View {
            rev: 0,
            version: 0,
            findings: Arc::new(Vec::new()),
            segments: Arc::new(Vec::new()),
            segments_valid: false,
            exact: false,
            analysed: false,
            has_crlf: false,
        }
    }
}

/// An exact analysis with everything hover and code actions need.
pub struct Exact {
    pub rev: u64,
    pub version: i32,
    pub text: String,
    pub tree: Tree,
    pub index: LineIndex,
    pub diagnostics: Vec<Diagnostic>,
    pub settings: Arc<Settings>,
    /// The workspace index and module name the check used (hover's
    /// protocol card resolves bases through them too).
    pub project: Arc<ProjectIndex>,
    pub module_name: Arc<str>,
}

impl Exact {
    pub fn positions(&self, enc: PositionEncoding) -> TextPositions<'_> {
        TextPositions::new(&self.text, &self.index, enc)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Everything re-checked: exact.
    Full,
    /// Only the edited regions, without re-parsing the file.
    Partial,
    /// Only the edited regions, after an incremental re-parse of the file
    /// (the file or the region has syntax errors).
    Reparsed,
}

/// Everything a check needs, captured under the document lock.
pub struct Job {
    pub rope: Rope,
    pub rev: u64,
    pub version: i32,
    pub enc: PositionEncoding,
    pub view: Arc<View>,
    /// Edits with `rev > view.rev`.
    pub view_edits: Vec<EditRecord>,
    pub tree: Option<Tree>,
    /// Edits with `rev > tree rev`, to `edit` the tree with.
    pub tree_edits: Vec<InputEdit>,
    pub settings: Arc<Settings>,
    /// The workspace's classes (a snapshot) and this document's dotted
    /// module name ("" when it is not a file).
    pub index: Arc<ProjectIndex>,
    pub module_name: Arc<str>,
    pub force_full: bool,
    pub has_crlf: bool,
    /// Testing aid (only with DUNDERLS_FAULT_INJECTION=1).
    pub fault_injection: bool,
}

pub struct Outcome {
    pub view: View,
    pub exact: Option<Exact>,
    /// A re-parsed tree of the whole text (`Mode::Reparsed`).
    pub tree: Option<Tree>,
    pub rule_errors: Vec<String>,
    pub mode: Mode,
    /// A partial check met syntax errors in what it re-checked: error
    /// recovery in isolation may differ from the whole file's, so the
    /// result may differ from a full check until the next one.
    pub approximate: bool,
    /// Why the check was not the fastest kind (full, or re-parsed).
    pub fallback_reason: Option<&'static str>,
    /// What the document contributes to the workspace index (full checks
    /// of documents that are modules).
    pub entry: Option<ModuleEntry>,
}

/// Why this job must be a full check, if it must.
fn needs_full(job: &Job) -> Option<&'static str> {
    if job.force_full {
        Some("requested")
    } else if !job.view.analysed {
        Some("first check")
    } else if job.view.has_crlf != job.has_crlf {
        Some("newline style changed")
    } else if job.view_edits.iter().any(|e| e.full) {
        Some("full-text change")
    } else if job.view_edits.len() > 256 {
        Some("many edits")
    } else {
        None
    }
}

/// The fast path only (no re-parse of the file): cheap enough to run on
/// an async worker. `Err` gives the job back for `run`.
pub fn run_fast(job: Job) -> Result<Outcome, Box<Job>> {
    if needs_full(&job).is_some() {
        return Err(Box::new(job));
    }
    if job.fault_injection {
        inject_server_panic(&job.rope);
    }
    match partial(&job, true) {
        Ok(outcome) => Ok(outcome),
        Err(_) => Err(Box::new(job)),
    }
}

/// Check `job` by the fastest kind that applies.
pub fn run(job: Job) -> Outcome {
    if job.fault_injection {
        inject_server_panic(&job.rope);
    }
    match needs_full(&job) {
        Some(why) => full(job, Some(why), None),
        None => match partial(&job, false) {
            Ok(outcome) => outcome,
            Err(failure) => {
                let reparsed = failure.text.zip(failure.tree);
                full(job, Some(failure.why), reparsed)
            }
        },
    }
}

/// With fault injection on, a document containing this marker makes the
/// analysis panic (to test that the server survives its own panics).
const PANIC_MARKER: &str = "# dunderls-fault: server-panic";
/// ... and this one adds a synthetic rule error (to test its reporting).
pub const RULE_ERROR_MARKER: &str = "# dunderls-fault: rule-error";

fn inject_server_panic(rope: &Rope) {
    if rope_contains(rope, PANIC_MARKER) {
        panic!("injected fault: server panic during analysis");
    }
}

fn rope_contains(rope: &Rope, needle: &str) -> bool {
    rope.len_bytes() < 64 << 20 && rope.to_string().contains(needle)
}

/// The exact check. `reparsed`: the text and its tree when a partial
/// check already parsed them.
pub fn full(job: Job, why: Option<&'static str>, reparsed: Option<(String, Tree)>) -> Outcome {
    let (text, tree) = match reparsed {
        Some(done) => done,
        None => {
            let text = job.rope.to_string();
            let old = job.tree.map(|mut tree| {
                for edit in &job.tree_edits {
                    tree.edit(edit);
                }
                tree
            });
            let tree = parse(&text, old.as_ref());
            (text, tree)
        }
    };
    let index = LineIndex::new(&text);
    let mut entry = None;
    let (result, segments, segments_valid) = if swallowed_by_errors(&tree) {
        // One ERROR node covers every statement (an unclosed bracket or
        // string near the top): every finding would fall in an error
        // region and be dropped, so skip the facts walk.
        let (segments, valid) = {
            let len = text.len();
            let line_start = |o: usize| index.line_start(index.line_of(o)).unwrap_or(len);
            let next_line = |o: usize| index.line_start(index.line_of(o) + 1).unwrap_or(len);
            let (groups, valid) = segment_ranges(tree.root_node(), &line_start, &next_line);
            let segments = groups
                .into_iter()
                .map(|(range, kind, error)| Segment {
                    range,
                    meta: placeholder(kind, error),
                })
                .collect();
            (segments, valid)
        };
        (
            dunderls_linter::CheckResult {
                has_syntax_errors: true,
                ..Default::default()
            },
            segments,
            valid,
        )
    } else {
        let module = Module::build(&text, &tree);
        let result = check_module(&module, &job.settings, &*job.index, &job.module_name);
        if !job.module_name.is_empty() {
            entry = Some(ModuleEntry::from_module(&module, &job.module_name));
        }
        let (segments, valid) = segments_of(&module, &index);
        (result, segments, valid)
    };
    let mut rule_errors = result.rule_errors;
    if job.fault_injection && text.contains(RULE_ERROR_MARKER) {
        rule_errors.push("rule DUN000 [injected-fault] panicked: injected fault".into());
    }
    let positions = TextPositions::new(&text, &index, job.enc);
    let findings: Vec<Finding> = result
        .diagnostics
        .iter()
        .map(|d| Finding::new(d.clone(), positions.range(&d.range)))
        .collect();
    let view = View {
        rev: job.rev,
        version: job.version,
        findings: Arc::new(findings),
        segments: Arc::new(segments),
        segments_valid,
        exact: true,
        analysed: true,
        has_crlf: job.has_crlf,
    };
    let exact = Exact {
        rev: job.rev,
        version: job.version,
        text,
        tree,
        index,
        diagnostics: result.diagnostics,
        settings: job.settings,
        project: job.index,
        module_name: job.module_name,
    };
    Outcome {
        view,
        exact: Some(exact),
        tree: None,
        rule_errors,
        mode: Mode::Full,
        approximate: false,
        fallback_reason: why,
        entry,
    }
}

/// Every top-level statement lies inside an ERROR node.
fn swallowed_by_errors(tree: &Tree) -> bool {
    let root = tree.root_node();
    if !root.has_error() {
        return false;
    }
    let mut cursor = root.walk();
    let children: Vec<Node> = root.children(&mut cursor).collect();
    let errors: Vec<Range<usize>> = children
        .iter()
        .filter(|c| c.is_error())
        .map(|c| c.byte_range())
        .collect();
    !errors.is_empty()
        && children.iter().all(|c| {
            errors
                .iter()
                .any(|e| e.start <= c.start_byte() && c.end_byte() <= e.end)
        })
}

/// Top-level statements grouped into whole-line segments: their ranges,
/// whether each holds only imports, and whether the top level parsed
/// without errors. `line_start(o)` is the start of the line holding `o`,
/// `next_line(o)` the start of the following line (or the end).
fn segment_ranges(
    root: Node,
    line_start: &dyn Fn(usize) -> usize,
    next_line: &dyn Fn(usize) -> usize,
) -> (Vec<(Range<usize>, SegmentKind, bool)>, bool) {
    let mut valid = true;
    let mut groups: Vec<(Range<usize>, SegmentKind, bool)> = Vec::new();
    let mut cursor = root.walk();
    for child in root.children(&mut cursor) {
        if child.is_error() || child.is_missing() {
            valid = false;
        }
        if !child.is_named() && !child.is_error() {
            continue;
        }
        let start = line_start(child.start_byte());
        let end = next_line(child.end_byte().max(child.start_byte() + 1) - 1).max(start);
        let kind = if matches!(
            child.kind(),
            "import_statement" | "import_from_statement" | "future_import_statement"
        ) {
            SegmentKind::Import
        } else {
            SegmentKind::Other
        };
        // tree-sitter-python accepts a top-level statement that starts
        // indented (after inconsistent dedents); how it groups such lines
        // depends on the text before them, so the segment is not
        // independent of its neighbours: treat it like an error.
        let irregular = child.kind() != "comment" && child.start_position().column != 0;
        if irregular {
            valid = false;
        }
        let error = child.has_error() || child.is_missing() || irregular;
        match groups.last_mut() {
            Some((range, k, e)) if start < range.end => {
                range.end = range.end.max(end);
                if kind == SegmentKind::Other {
                    *k = SegmentKind::Other;
                }
                *e |= error;
            }
            _ => groups.push((start..end, kind, error)),
        }
    }
    (groups, valid)
}

/// Fill the metadata of `segments[i]` for `i` in `targets` from a module
/// whose offsets `map` translates into the segments' coordinates.
fn fill_meta(
    module: &Module,
    segments: &mut [Segment],
    targets: &[usize],
    map: &dyn Fn(usize) -> Option<usize>,
) {
    let mut metas: Vec<SegmentMeta> = targets
        .iter()
        .map(|&i| SegmentMeta {
            kind: segments[i].meta.kind,
            classes: Vec::new(),
            nested_imports: Vec::new(),
            file_noqa: Vec::new(),
            has_error: segments[i].meta.has_error,
        })
        .collect();
    let find = |offset: usize| -> Option<usize> {
        let doc_offset = map(offset)?;
        let i = segments
            .partition_point(|s| s.range.start <= doc_offset)
            .checked_sub(1)?;
        let seg = &segments[i];
        if doc_offset >= seg.range.end.max(seg.range.start + 1) {
            return None;
        }
        targets.iter().position(|&t| t == i)
    };
    for class in &module.classes {
        if class.in_function || class.parent.is_some() {
            continue;
        }
        if let Some(t) = find(class.node.start_byte()) {
            let bases = class
                .bases
                .iter()
                .filter_map(|b| b.name.map(str::to_string))
                .collect();
            metas[t].classes.push((class.name.to_string(), bases));
        }
    }
    for import in &module.imports {
        if let Some(t) = find(import.range.start) {
            if metas[t].kind != SegmentKind::Import {
                let text = module.source.get(import.range.clone()).unwrap_or_default();
                if !metas[t].nested_imports.iter().any(|x| x == text) {
                    metas[t].nested_imports.push(text.to_string());
                }
            }
        }
    }
    for comment in &module.comments {
        let text = module.text(*comment);
        let directives = dunderls_linter::noqa::parse_comment(text, comment.start_byte());
        if directives
            .iter()
            .any(|d| d.scope == dunderls_linter::noqa::Scope::File)
        {
            if let Some(t) = find(comment.start_byte()) {
                metas[t].file_noqa.push(text.to_string());
            }
        }
    }
    for (meta, &i) in metas.into_iter().zip(targets) {
        segments[i].meta = Arc::new(meta);
    }
}

fn placeholder(kind: SegmentKind, has_error: bool) -> Arc<SegmentMeta> {
    Arc::new(SegmentMeta {
        kind,
        classes: Vec::new(),
        nested_imports: Vec::new(),
        file_noqa: Vec::new(),
        has_error,
    })
}

/// Segments (with metadata) of a fully parsed module.
fn segments_of(module: &Module, index: &LineIndex) -> (Vec<Segment>, bool) {
    let len = module.source.len();
    let line_start = |o: usize| index.line_start(index.line_of(o)).unwrap_or(len);
    let next_line = |o: usize| index.line_start(index.line_of(o) + 1).unwrap_or(len);
    let (groups, valid) = segment_ranges(module.root, &line_start, &next_line);
    let mut segments: Vec<Segment> = groups
        .into_iter()
        .map(|(range, kind, error)| Segment {
            range,
            meta: placeholder(kind, error),
        })
        .collect();
    let all: Vec<usize> = (0..segments.len()).collect();
    fill_meta(module, &mut segments, &all, &|o| Some(o));
    (segments, valid)
}

/// A piece of the synthetic module of a partial check.
struct Piece {
    /// Range in the synthetic text.
    synth: Range<usize>,
    /// Where it starts in the document.
    orig_start: usize,
    /// Findings in it are re-computed (else it is context only).
    recompute: bool,
}

struct Synthetic {
    text: String,
    pieces: Vec<Piece>,
    /// The `pass` lines between non-adjacent pieces.
    separators: Vec<Range<usize>>,
}

impl Synthetic {
    fn new() -> Self {
        Synthetic {
            text: String::new(),
            pieces: Vec::new(),
            separators: Vec::new(),
        }
    }

    fn push_line(&mut self, line: &str) {
        self.text.push_str(line);
        if !line.ends_with(['\n', '\r']) {
            self.text.push('\n');
        }
    }

    fn push_piece(&mut self, rope: &Rope, range: Range<usize>, recompute: bool) {
        // Keep pieces that are not adjacent in the document from running
        // into each other (an indented piece would continue the previous
        // class): a column-0 statement closes every open block.
        if let Some(last) = self.pieces.last() {
            if last.orig_start + last.synth.len() != range.start {
                let at = self.text.len();
                self.text.push_str("pass\n");
                self.separators.push(at..self.text.len());
            }
        }
        let start = self.text.len();
        for chunk in rope.byte_slice(range.clone()).chunks() {
            self.text.push_str(chunk);
        }
        let end = self.text.len();
        if !self.text.ends_with(['\n', '\r']) {
            self.text.push('\n');
        }
        self.pieces.push(Piece {
            synth: start..end,
            orig_start: range.start,
            recompute,
        });
    }

    fn piece_of(&self, offset: usize) -> Option<&Piece> {
        let i = self
            .pieces
            .partition_point(|p| p.synth.start <= offset)
            .checked_sub(1)?;
        Some(&self.pieces[i])
    }

    /// A synthetic offset in the document, if it lies in a piece.
    fn map_offset(&self, offset: usize) -> Option<usize> {
        let piece = self.piece_of(offset)?;
        (offset <= piece.synth.end).then(|| piece.orig_start + (offset - piece.synth.start))
    }

    /// Map a synthetic range back to the document, if it lies in one
    /// re-computed piece.
    fn map(&self, range: &Range<usize>) -> Option<Range<usize>> {
        let piece = self.piece_of(range.start)?;
        (piece.recompute && range.end <= piece.synth.end && range.start <= range.end).then(|| {
            piece.orig_start + (range.start - piece.synth.start)
                ..piece.orig_start + (range.end - piece.synth.start)
        })
    }
}

fn shift_range(e: &EditRecord, r: &Range<usize>) -> Range<usize> {
    e.shift(r.start)..e.shift(r.end).max(e.shift(r.start))
}

fn merge_ranges(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::new();
    for r in ranges {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

fn check_region_size(regions: &[Range<usize>], len: usize) -> Result<(), &'static str> {
    let dirty_bytes: usize = regions.iter().map(|r| r.len()).sum();
    if len > 4096 && dirty_bytes * 2 > len {
        return Err("edit region covers most of the file");
    }
    if regions.len() > 16 {
        return Err("too many edit regions");
    }
    Ok(())
}

/// Where the dirty regions come from.
enum Stage {
    /// From the previous segments, shifted; the segments inside the
    /// regions are re-derived from their parse.
    Fast {
        kept: Vec<Segment>,
        old_names: HashSet<String>,
    },
    /// From an incremental re-parse of the whole file: all segments are
    /// known, the dirty ones need their metadata.
    Reparsed {
        segments: Vec<Segment>,
        dirty: Vec<bool>,
        old_names: HashSet<String>,
        tree: Tree,
        valid: bool,
    },
}

/// The shifted state of the previous view.
struct Shifted {
    segments: Vec<(Segment, bool)>,
    findings: Vec<Finding>,
    /// Edited byte ranges in the current text.
    dirty: Vec<Range<usize>>,
}

fn shift(job: &Job) -> Shifted {
    let mut segments: Vec<(Segment, bool)> = job
        .view
        .segments
        .iter()
        .map(|s| (s.clone(), false))
        .collect();
    let mut findings: Vec<Finding> = job.view.findings.iter().cloned().collect();
    let mut dirty: Vec<Range<usize>> = Vec::new();
    for e in &job.view_edits {
        for (segment, touched) in segments.iter_mut() {
            if e.touches(&segment.range) {
                *touched = true;
            }
            segment.range = shift_range(e, &segment.range);
        }
        for d in dirty.iter_mut() {
            let merged = if e.touches(d) {
                d.start.min(e.start)..e.new_end.max(e.shift(d.end))
            } else {
                shift_range(e, d)
            };
            *d = merged;
        }
        dirty.push(e.start..e.new_end);
        findings.retain_mut(|f| {
            if e.touches(&f.diag.range) {
                return false;
            }
            f.diag.range = shift_range(e, &f.diag.range);
            if let Some(fix) = &mut f.diag.fix {
                if fix.edits.iter().any(|edit| e.touches(&edit.range)) {
                    f.diag.fix = None;
                } else {
                    for edit in &mut fix.edits {
                        edit.range = shift_range(e, &edit.range);
                    }
                }
            }
            if f.range.start.line > e.old_end_line {
                let shift = |line: u32| (line as i64 + e.line_delta()).max(0) as u32;
                f.range.start.line = shift(f.range.start.line);
                f.range.end.line = shift(f.range.end.line);
            } else if f.range.end.line >= e.start_line {
                // Shares a line with the edit: its columns may move.
                return false;
            }
            true
        });
    }
    Shifted {
        segments,
        findings,
        dirty,
    }
}

/// Regions for the fast plan: the segments the edits touch, plus the
/// neighbours when an edit touches a segment's first line (it may now be
/// indented into the previous one) or the space between segments.
fn fast_regions(
    pos: &RopePositions,
    shifted: &[(Segment, bool)],
    dirty: &[Range<usize>],
) -> (Vec<Range<usize>>, Vec<bool>) {
    let len = pos.rope.len_bytes();
    let whole_lines = |r: &Range<usize>| -> Range<usize> {
        let start = pos.line_start(pos.line_of(r.start));
        let end = if r.end > r.start && r.end == pos.line_start(pos.line_of(r.end)) {
            r.end
        } else {
            pos.line_start(pos.line_of(r.end) + 1)
        };
        start..end.max(start).min(len)
    };
    let mut include: Vec<bool> = shifted.iter().map(|(_, touched)| *touched).collect();
    for d in dirty {
        let lines = whole_lines(d);
        let first = shifted.partition_point(|(s, _)| s.range.end <= lines.start);
        let mut last = first;
        while last < shifted.len() && shifted[last].0.range.start < lines.end.max(lines.start + 1) {
            include[last] = true;
            last += 1;
        }
        let interior_start = first < last && shifted[first].0.range.start < lines.start;
        if !interior_start && first > 0 {
            include[first - 1] = true;
        }
        let covered_end = last > first && shifted[last - 1].0.range.end >= lines.end;
        if !covered_end && last < shifted.len() {
            include[last] = true;
        }
    }
    let mut regions: Vec<Range<usize>> = dirty.iter().map(whole_lines).collect();
    regions.extend(
        shifted
            .iter()
            .zip(&include)
            .filter(|(_, inc)| **inc)
            .map(|((s, _), _)| whole_lines(&s.range)),
    );
    let mut regions = merge_ranges(regions);
    // A shifted segment straddling a region boundary joins the region.
    loop {
        let mut grew = false;
        for (i, (segment, _)) in shifted.iter().enumerate() {
            let r = &segment.range;
            if !include[i] && regions.iter().any(|m| r.start < m.end && m.start < r.end) {
                include[i] = true;
                regions.push(r.clone());
                grew = true;
            }
        }
        if !grew {
            break;
        }
        regions = merge_ranges(regions);
    }
    (regions, include)
}

/// The slower plan's first stage: re-parse the whole file incrementally
/// (no facts walk) and take the segments from the real tree.
fn reparse_stage(
    job: &Job,
    pos: &RopePositions,
    sh: &Shifted,
) -> Result<(Vec<Range<usize>>, Stage), Failure> {
    let Some(mut old) = job.tree.clone() else {
        return Err(Failure::new("no previous tree"));
    };
    for edit in &job.tree_edits {
        old.edit(edit);
    }
    let text = job.rope.to_string();
    let tree = parse(&text, Some(&old));
    let changed: Vec<Range<usize>> = old
        .changed_ranges(&tree)
        .map(|r| r.start_byte..r.end_byte)
        .collect();
    let line_start = |o: usize| pos.line_start(pos.line_of(o));
    let next_line = |o: usize| pos.line_start(pos.line_of(o) + 1);
    let (groups, valid) = segment_ranges(tree.root_node(), &line_start, &next_line);
    let touches = |a: &Range<usize>, b: &Range<usize>| a.start <= b.end && b.start <= a.end;
    let mut segments = Vec::new();
    let mut dirty = Vec::new();
    let mut reused = vec![false; sh.segments.len()];
    for (range, kind, error) in groups {
        let edited = sh.dirty.iter().chain(&changed).any(|d| touches(d, &range));
        let old_index = if edited {
            None
        } else {
            sh.segments.iter().position(|(s, touched)| {
                !touched && s.range == range && s.meta.kind == kind && s.meta.has_error == error
            })
        };
        match old_index {
            Some(i) => {
                reused[i] = true;
                segments.push(sh.segments[i].0.clone());
                dirty.push(false);
            }
            None => {
                segments.push(Segment {
                    range,
                    meta: placeholder(kind, error),
                });
                dirty.push(true);
            }
        }
    }
    let old_names = sh
        .segments
        .iter()
        .zip(&reused)
        .filter(|(_, r)| !**r)
        .flat_map(|((s, _), _)| s.meta.classes.iter().map(|(n, _)| n.clone()))
        .collect();
    let regions = merge_ranges(
        segments
            .iter()
            .zip(&dirty)
            .filter(|(_, d)| **d)
            .map(|(s, _)| s.range.clone())
            .collect(),
    );
    if let Err(why) = check_region_size(&regions, job.rope.len_bytes()) {
        return Err(Failure {
            why,
            text: Some(text),
            tree: Some(tree),
        });
    }
    Ok((
        regions,
        Stage::Reparsed {
            segments,
            dirty,
            old_names,
            tree,
            valid,
        },
    ))
}

/// Why a partial check gave up, with what it already computed for the
/// full check.
pub struct Failure {
    pub why: &'static str,
    text: Option<String>,
    tree: Option<Tree>,
}

impl Failure {
    fn new(why: &'static str) -> Failure {
        Failure {
            why,
            text: None,
            tree: None,
        }
    }
}

/// A partial check. `fast_only`: give up instead of re-parsing the file
/// (the caller then runs the slower kinds off the async threads).
pub fn partial(job: &Job, fast_only: bool) -> Result<Outcome, Failure> {
    let pos = RopePositions::new(&job.rope, job.enc);
    let sh = shift(job);
    let slow_reason;
    if job.view.segments_valid {
        let (regions, include) = fast_regions(&pos, &sh.segments, &sh.dirty);
        let attempt = check_region_size(&regions, job.rope.len_bytes()).and_then(|()| {
            let mut kept = Vec::new();
            let mut old_names = HashSet::new();
            for ((segment, _), inc) in sh.segments.iter().zip(&include) {
                if *inc {
                    old_names.extend(segment.meta.classes.iter().map(|(n, _)| n.clone()));
                } else {
                    kept.push(segment.clone());
                }
            }
            finish(job, &pos, &sh, regions, Stage::Fast { kept, old_names })
        });
        match attempt {
            Ok(outcome) => return Ok(outcome),
            Err(why) => slow_reason = why,
        }
    } else {
        slow_reason = "previous parse had top-level errors";
    }
    if fast_only {
        return Err(Failure::new(slow_reason));
    }
    let (regions, stage) = reparse_stage(job, &pos, &sh)?;
    let mut outcome = finish(job, &pos, &sh, regions, stage).map_err(Failure::new)?;
    outcome.fallback_reason = Some(slow_reason);
    Ok(outcome)
}

/// Build the synthetic module for the regions, re-derive what the stage
/// does not know, check, and merge with the shifted findings.
fn finish(
    job: &Job,
    pos: &RopePositions,
    sh: &Shifted,
    regions: Vec<Range<usize>>,
    stage: Stage,
) -> Result<Outcome, &'static str> {
    let rope = &job.rope;
    // Segments outside the regions, with their positions in `all`.
    let (mut segments, mut is_dirty, old_names, tree, valid, fast) = match stage {
        Stage::Fast { kept, old_names } => {
            let n = kept.len();
            (kept, vec![false; n], old_names, None, true, true)
        }
        Stage::Reparsed {
            segments,
            dirty,
            old_names,
            tree,
            valid,
        } => (segments, dirty, old_names, Some(tree), valid, false),
    };
    let in_region = |r: &Range<usize>| {
        regions
            .iter()
            .any(|g| r.start >= g.start && r.end <= g.end && r.start < g.end.max(g.start + 1))
    };
    // First synthetic module: the import segments (context) and the
    // regions. Usually also the last: unless the dirty classes inherit
    // from classes of this file, or are inherited from, it is all the
    // rules need.
    let import_context: Vec<Range<usize>> = (0..segments.len())
        .filter(|&i| {
            !is_dirty[i]
                && segments[i].meta.kind == SegmentKind::Import
                && !in_region(&segments[i].range)
        })
        .map(|i| segments[i].range.clone())
        .collect();
    let build = |extra: &[(Range<usize>, bool)], lines: &[String]| -> Synthetic {
        let mut synth = Synthetic::new();
        if job.has_crlf {
            synth.push_line("#\r\n");
        }
        for line in lines {
            synth.push_line(line);
        }
        let mut order: Vec<(Range<usize>, bool)> =
            regions.iter().map(|r| (r.clone(), true)).collect();
        order.extend(import_context.iter().map(|r| (r.clone(), false)));
        order.extend(extra.iter().cloned());
        order.sort_by_key(|(r, _)| r.start);
        for (range, re) in order {
            synth.push_piece(rope, range, re);
        }
        synth
    };
    let first = build(&[], &[]);
    let first_tree = parse(&first.text, None);
    let first_module = Module::build(&first.text, &first_tree);
    // Region segments (fast) or region metadata (reparsed).
    if fast {
        let index = LineIndex::new(&first.text);
        let (found, _) = segments_of(&first_module, &index);
        let mut region_segments = Vec::new();
        for s in found {
            if first
                .separators
                .iter()
                .any(|sep| s.range.start >= sep.start && s.range.end <= sep.end)
            {
                continue;
            }
            let Some(piece) = first.piece_of(s.range.start) else {
                continue;
            };
            if !piece.recompute {
                continue;
            }
            // The regions must parse alone as complete, regular statements.
            if s.meta.has_error {
                return Err("edited region does not parse on its own");
            }
            let Some(range) = first.map(&s.range) else {
                return Err("a statement spans two edited regions");
            };
            region_segments.push(Segment {
                range,
                meta: s.meta,
            });
        }
        let kept = segments.len();
        segments.extend(region_segments);
        is_dirty.extend(std::iter::repeat_n(true, segments.len() - kept));
        let mut order: Vec<usize> = (0..segments.len()).collect();
        order.sort_by_key(|&i| segments[i].range.start);
        segments = order.iter().map(|&i| segments[i].clone()).collect();
        is_dirty = order.iter().map(|&i| is_dirty[i]).collect();
        if segments
            .windows(2)
            .any(|w| w[0].range.end > w[1].range.start)
        {
            return Err("segments overlap after the edit");
        }
    } else {
        let targets: Vec<usize> = (0..segments.len()).filter(|&i| is_dirty[i]).collect();
        fill_meta(&first_module, &mut segments, &targets, &|o| {
            first
                .map_offset(o)
                .filter(|_| first.piece_of(o).is_some_and(|p| p.recompute))
        });
    }

    // Context beyond the imports: bases of the dirty classes, classes
    // deriving from them (re-checked too), imports nested elsewhere,
    // file-level suppressions.
    let mut dirty_names = old_names;
    for (s, d) in segments.iter().zip(&is_dirty) {
        if *d {
            dirty_names.extend(s.meta.classes.iter().map(|(n, _)| n.clone()));
        }
    }
    let mut recompute = is_dirty.clone();
    loop {
        let mut grew = false;
        for (i, s) in segments.iter().enumerate() {
            if recompute[i] {
                continue;
            }
            if s.meta
                .classes
                .iter()
                .any(|(_, bases)| bases.iter().any(|b| dirty_names.contains(b)))
            {
                recompute[i] = true;
                dirty_names.extend(s.meta.classes.iter().map(|(n, _)| n.clone()));
                grew = true;
            }
        }
        if !grew {
            break;
        }
    }
    let mut context = vec![false; segments.len()];
    let mut wanted: Vec<String> = segments
        .iter()
        .zip(&recompute)
        .filter(|(_, r)| **r)
        .flat_map(|(s, _)| {
            s.meta
                .classes
                .iter()
                .flat_map(|(_, b)| b.iter().cloned())
                .collect::<Vec<_>>()
        })
        .collect();
    let mut seen: HashSet<String> = HashSet::new();
    while let Some(name) = wanted.pop() {
        if name.contains('.') || !seen.insert(name.clone()) {
            continue;
        }
        for (i, s) in segments.iter().enumerate() {
            if let Some((_, bases)) = s.meta.classes.iter().find(|(n, _)| *n == name) {
                if !recompute[i] {
                    context[i] = true;
                }
                wanted.extend(bases.iter().cloned());
            }
        }
    }
    let mut lines: Vec<String> = Vec::new();
    let mut extra: Vec<(Range<usize>, bool)> = Vec::new();
    for (i, s) in segments.iter().enumerate() {
        if in_region(&s.range) || import_context.contains(&s.range) {
            continue;
        }
        if recompute[i] || context[i] {
            extra.push((s.range.clone(), recompute[i]));
        } else if s.meta.kind != SegmentKind::Import {
            // (A parenthesised multi-line import keeps its continuation
            // lines: inside brackets indentation is free.)
            lines.extend(
                s.meta
                    .nested_imports
                    .iter()
                    .chain(&s.meta.file_noqa)
                    .cloned(),
            );
        }
    }
    let second;
    let second_tree;
    let (synth, synth_tree) = if extra.is_empty() && lines.is_empty() {
        (&first, &first_tree)
    } else {
        second = build(&extra, &lines);
        second_tree = parse(&second.text, None);
        (&second, &second_tree)
    };
    let approximate =
        synth_tree.root_node().has_error() || segments.iter().any(|s| s.meta.has_error);
    let result = if std::ptr::eq(synth, &first) {
        check_module(&first_module, &job.settings, &*job.index, &job.module_name)
    } else {
        let module = Module::build(&synth.text, synth_tree);
        check_module(&module, &job.settings, &*job.index, &job.module_name)
    };

    // Merge: previous findings outside what was re-computed, new ones in it.
    let recomputed: Vec<Range<usize>> = synth
        .pieces
        .iter()
        .filter(|p| p.recompute)
        .map(|p| p.orig_start..p.orig_start + p.synth.len())
        .collect();
    let mut findings: Vec<Finding> = sh
        .findings
        .iter()
        .filter(|f| {
            !recomputed.iter().any(|r| {
                f.diag.range.start >= r.start && f.diag.range.start < r.end.max(r.start + 1)
            })
        })
        .cloned()
        .collect();
    for mut d in result.diagnostics {
        let Some(range) = synth.map(&d.range) else {
            continue;
        };
        d.range = range;
        if let Some(fix) = &mut d.fix {
            let mapped: Option<Vec<_>> = fix.edits.iter().map(|e| synth.map(&e.range)).collect();
            match mapped {
                Some(ranges) => {
                    for (edit, range) in fix.edits.iter_mut().zip(ranges) {
                        edit.range = range;
                    }
                }
                None => d.fix = None,
            }
        }
        let range = pos.range(&d.range);
        findings.push(Finding::new(d, range));
    }
    findings.sort_by(|a, b| {
        (a.diag.range.start, a.diag.code, a.diag.range.end).cmp(&(
            b.diag.range.start,
            b.diag.code,
            b.diag.range.end,
        ))
    });
    findings.dedup_by(|a, b| {
        a.diag.range == b.diag.range
            && a.diag.code == b.diag.code
            && a.diag.message == b.diag.message
    });

    let mut rule_errors = result.rule_errors;
    if job.fault_injection && rope_contains(rope, RULE_ERROR_MARKER) {
        rule_errors.push("rule DUN000 [injected-fault] panicked: injected fault".into());
    }
    Ok(Outcome {
        view: View {
            rev: job.rev,
            version: job.version,
            findings: Arc::new(findings),
            segments: Arc::new(segments),
            segments_valid: valid,
            exact: false,
            analysed: true,
            has_crlf: job.has_crlf,
        },
        exact: None,
        tree,
        rule_errors,
        mode: if fast { Mode::Partial } else { Mode::Reparsed },
        approximate,
        fallback_reason: None,
        entry: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Document;
    use dunderls_linter::check_source;
    use tower_lsp_server::ls_types::{TextDocumentContentChangeEvent, Uri};

    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n.max(1) as u64) as usize
        }
    }

    const BASE: &str = "import functools\nfrom collections import abc\n\n\nclass Base:\n    def __init__(self, a):\n        self.a = a\n\n    def __hash__(self):\n        return hash(self.a)\n\n    def __eq__(self, other):\n        return self.a == other.a\n\n\nclass Child(Base):\n    def __eq__(self, other):\n        return self.a == other.a\n\n\nclass Grand(Child):\n    \"\"\"Doc é中文😀\"\"\"\n\n    def __eq__(self, o):  # noqa: E501\n        return True\n\n\ndef helper(x):\n    return [y for y in x]\n\n\nclass Other:\n    def __eq__(self, o):\n        return self.b == o.b\n    __hash__ = None\n";

    const SNIPPETS: &[&str] = &[
        "    def __eq__(self, other):\n        return self.z == other.z\n",
        "    __hash__ = None\n",
        "class Extra(Base):\n    def __eq__(self, o):\n        return False\n\n",
        "class Base:\n    pass\n\n",
        "x = 1\n",
        "    # comment é\n",
        "\r\n",
        "\n\n",
        "def f():\n    class Local:\n        def __eq__(self, o):\n            return 1\n    return Local\n",
        "@functools.total_ordering\n",
        "    def __hash__(self):\n        return 1\n",
        "        pass\n",
        "(",
        "\"\"\"",
    ];

    fn boundary(text: &str, mut at: usize) -> usize {
        at = at.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    }

    fn line_starts(text: &str) -> Vec<usize> {
        std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect()
    }

    /// Mostly edits that keep the file valid (typing inside names,
    /// renaming, adding or removing whole statements), some destructive.
    fn random_edit(rng: &mut Rng, text: &str) -> (usize, usize, String) {
        let len = text.len();
        match rng.below(20) {
            0..=4 => {
                // Type a letter inside an identifier.
                let spots: Vec<usize> = text
                    .char_indices()
                    .filter(|&(i, c)| {
                        i > 0
                            && c.is_ascii_alphanumeric()
                            && text.as_bytes()[i - 1].is_ascii_alphanumeric()
                    })
                    .map(|(i, _)| i)
                    .collect();
                let at = spots.get(rng.below(spots.len())).copied().unwrap_or(0);
                (at, at, ["x", "y", "_"][rng.below(3)].to_string())
            }
            5..=7 => {
                let (from, to) = if rng.below(2) == 0 {
                    ("__hash__", "__hasx__")
                } else {
                    ("__hasx__", "__hash__")
                };
                let hits: Vec<usize> = text.match_indices(from).map(|(i, _)| i).collect();
                match hits.get(rng.below(hits.len())) {
                    Some(&at) => (at, at + from.len(), to.to_string()),
                    None => (0, 0, String::new()),
                }
            }
            8..=11 => {
                let starts = line_starts(text);
                let at = starts[rng.below(starts.len())];
                (at, at, SNIPPETS[rng.below(SNIPPETS.len())].to_string())
            }
            12 | 13 => {
                // Delete a whole line.
                let starts = line_starts(text);
                let i = rng.below(starts.len());
                (
                    starts[i],
                    starts.get(i + 1).copied().unwrap_or(len),
                    String::new(),
                )
            }
            14..=16 => {
                // Type in a comment or string.
                let spots: Vec<usize> =
                    text.match_indices(['#', '"']).map(|(i, _)| i + 1).collect();
                let at = spots.get(rng.below(spots.len())).copied().unwrap_or(0);
                (at, at, ["é", "中文", "😀", " "][rng.below(4)].to_string())
            }
            17 => {
                // Line ending change.
                let ends: Vec<usize> = text.match_indices('\n').map(|(i, _)| i).collect();
                match ends.get(rng.below(ends.len())) {
                    Some(&at) if !text[..at].ends_with('\r') => (at, at + 1, "\r\n".to_string()),
                    _ => (0, 0, String::new()),
                }
            }
            18 => {
                let at = boundary(text, rng.below(len + 1));
                let chars = ["a", " ", "\n", "é", "😀", ":", "(", ")", "\r\n", "\"\"\""];
                (at, at, chars[rng.below(chars.len())].to_string())
            }
            _ => {
                let at = boundary(text, rng.below(len + 1));
                let end = boundary(text, at + 1 + rng.below(6));
                (at, end.max(at), String::new())
            }
        }
    }

    fn compare(doc: &Document, enc: PositionEncoding, label: &str) {
        let text = doc.text();
        let expected = check_source(&text, &doc.settings).diagnostics;
        let index = LineIndex::new(&text);
        let pos = TextPositions::new(&text, &index, enc);
        let got: Vec<&Diagnostic> = doc.view.findings.iter().map(|f| &f.diag).collect();
        let want: Vec<&Diagnostic> = expected.iter().collect();
        if got != want {
            let show = |d: &Diagnostic| {
                format!(
                    "{} {:?} {:?}",
                    d.message,
                    d.range,
                    text.get(d.range.clone())
                )
            };
            let segs: Vec<_> = doc
                .view
                .segments
                .iter()
                .map(|s| {
                    format!(
                        "{:?} err={} {:?}",
                        s.range,
                        s.meta.has_error,
                        text.get(s.range.clone())
                            .map(|t| t.chars().take(30).collect::<String>())
                    )
                })
                .collect();
            panic!(
                "{label}\n--- text ---\n{text}\n--- got ---\n{:#?}\n--- want ---\n{:#?}\n--- segments ---\n{segs:#?}",
                got.iter().map(|d| show(d)).collect::<Vec<_>>(),
                want.iter().map(|d| show(d)).collect::<Vec<_>>()
            );
        }
        for f in doc.view.findings.iter() {
            assert_eq!(
                f.range,
                pos.range(&f.diag.range),
                "{label}: LSP range of {:?}\n{text}",
                f.diag
            );
        }
    }

    #[test]
    fn partial_checks_match_full_checks_under_random_edits() {
        for (seed, enc) in [
            (1u64, PositionEncoding::Utf16),
            (7, PositionEncoding::Utf8),
            (42, PositionEncoding::Utf16),
            (99, PositionEncoding::Utf32),
        ] {
            let mut rng = Rng(0x2545_f491_4f6c_dd1d ^ seed);
            let uri: Uri = "file:///t.py".parse().expect("uri");
            let mut doc = Document::new(uri, BASE, 1, 1, Arc::new(Settings::default()));
            let first = run(doc.job(enc, false, Arc::default()));
            doc.absorb(first);
            compare(&doc, enc, "initial");
            let mut counts = std::collections::BTreeMap::new();
            let mut reasons = std::collections::BTreeMap::new();
            let mut compared = 0;
            let mut version = 1;
            // Partial results after a re-parse of text with syntax errors
            // are approximate until the next full check (which the server
            // runs when the user pauses): compare only untainted states.
            let mut tainted = false;
            let mut good = BASE.to_string();
            let mut broken_for = 0;
            for step in 0..400 {
                let before = doc.text();
                let mut step_edits = Vec::new();
                for _ in 0..1 + rng.below(3) {
                    let text = doc.text();
                    let (start, end, insert) = if broken_for > 8 {
                        // Like a user fixing the file: back to the last good
                        // text, then pausing (the server's idle full check).
                        broken_for = 0;
                        doc.want_full = true;
                        (0, text.len(), good.clone())
                    } else {
                        random_edit(&mut rng, &text)
                    };
                    // LSP cannot address the middle of a CRLF.
                    let split =
                        |at: usize| text[..at].ends_with('\r') && text[at..].starts_with('\n');
                    let start = if split(start) { start + 1 } else { start };
                    let end = if split(end) { end + 1 } else { end }.max(start);
                    let rp = RopePositions::new(&doc.rope, enc);
                    let range = tower_lsp_server::ls_types::Range {
                        start: rp.position(start),
                        end: rp.position(end),
                    };
                    version += 1;
                    doc.apply_changes(
                        version,
                        vec![TextDocumentContentChangeEvent {
                            range: Some(range),
                            range_length: None,
                            text: insert.clone(),
                        }],
                        enc,
                    );
                    // The client's model of the text.
                    let expect_text = format!("{}{}{}", &text[..start], insert, &text[end..]);
                    step_edits.push((start, end, insert.clone()));
                    assert_eq!(doc.text(), expect_text, "edit {start}..{end} {insert:?}");
                }
                if step % 10 == 9 {
                    doc.want_full = true; // the idle check
                }
                let outcome = run(doc.job(enc, false, Arc::default()));
                let mode = outcome.mode;
                *counts
                    .entry(format!("{:?}", outcome.mode))
                    .or_insert(0usize) += 1;
                if let Some(why) = outcome.fallback_reason {
                    *reasons.entry(why).or_insert(0usize) += 1;
                }
                let text_has_errors = {
                    let text = doc.text();
                    let tree = dunderls_python::parse(&text, None);
                    let root = tree.root_node();
                    let mut cursor = root.walk();
                    let irregular = root
                        .children(&mut cursor)
                        .any(|c| c.kind() != "comment" && c.start_position().column != 0);
                    root.has_error() || irregular
                };
                if text_has_errors {
                    broken_for += 1;
                } else {
                    broken_for = 0;
                    good = doc.text();
                }
                if outcome.mode == Mode::Full {
                    tainted = false;
                } else if outcome.approximate {
                    tainted = true;
                }
                doc.absorb(outcome);
                if !tainted {
                    compare(&doc, enc, &format!("seed {seed} step {step} mode {mode:?} edits {step_edits:?}\n--- before ---\n{before}"));
                    compared += 1;
                }
            }
            eprintln!("seed {seed}: {counts:?} {reasons:?} compared {compared}");
            let fast = counts.get("Partial").copied().unwrap_or(0)
                + counts.get("Reparsed").copied().unwrap_or(0);
            assert!(
                fast > 200,
                "the fast paths should usually apply: {counts:?} {reasons:?}"
            );
            assert!(
                counts.get("Partial").copied().unwrap_or(0) > 25,
                "{counts:?} {reasons:?}"
            );
            assert!(
                compared > 100,
                "compared only {compared} states: {counts:?}"
            );
        }
    }
}
