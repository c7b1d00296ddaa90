//! One open document: its text (a rope), version, the log of edits since
//! the last analysis, and the latest analysis results.
//!
//! Edits are applied synchronously by the notification handler (see
//! `server.rs`): nothing here awaits. Every edit is recorded as an
//! `EditRecord` so that (a) the tree-sitter tree can be `edit`ed and
//! re-parsed incrementally and (b) the previous findings and top-level
//! segments can be shifted into the new coordinates by the fast path.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use dunderls_linter::Settings;
use dunderls_python::{InputEdit, Point, PositionEncoding};
use dunderls_workspace::ProjectIndex;
use ropey::Rope;
use tower_lsp_server::ls_types::{TextDocumentContentChangeEvent, Uri};

use crate::analysis::{Exact, Finding, Job, Outcome, View};
use crate::position::RopePositions;

/// One applied text change, in byte offsets and lines of the texts before
/// (`start`, `old_end`) and after (`start`, `new_end`) it.
#[derive(Debug, Clone)]
pub struct EditRecord {
    /// The document revision this edit produced.
    pub rev: u64,
    pub start: usize,
    pub old_end: usize,
    pub new_end: usize,
    pub start_line: u32,
    pub old_end_line: u32,
    pub new_end_line: u32,
    /// A full-text replacement: everything must be re-analysed.
    pub full: bool,
    pub input_edit: InputEdit,
}

impl EditRecord {
    pub fn delta(&self) -> isize {
        self.new_end as isize - self.old_end as isize
    }

    pub fn line_delta(&self) -> i64 {
        self.new_end_line as i64 - self.old_end_line as i64
    }

    /// Move a byte offset of the old text into the new one. Offsets inside
    /// the replaced range move to its end (callers drop such ranges).
    pub fn shift(&self, offset: usize) -> usize {
        if offset < self.start {
            offset
        } else if offset >= self.old_end {
            (offset as isize + self.delta()).max(0) as usize
        } else {
            self.new_end
        }
    }

    /// Whether a byte range of the old text touches the replaced range
    /// (closed intervals: adjacency counts).
    pub fn touches(&self, range: &Range<usize>) -> bool {
        range.start <= self.old_end && self.start <= range.end
    }
}

/// Anomalies in a change that was still applied (reported to the log).
#[derive(Debug, Default)]
pub struct ChangeReport {
    pub warnings: Vec<String>,
}

pub struct Document {
    pub uri: Uri,
    pub path: Option<PathBuf>,
    pub rope: Rope,
    pub version: i32,
    /// Increases with every accepted change notification.
    pub rev: u64,
    /// Bumped on every (re)open: results computed for an earlier opening
    /// are dropped.
    pub generation: u64,
    /// Edits since `view.rev` (and since `tree_rev`), oldest first.
    pub edits: Vec<EditRecord>,
    /// The latest analysis (possibly approximate: see `analysis`).
    pub view: Arc<View>,
    /// The latest analysis whose segments came from a parse without
    /// top-level errors. While the file is broken (an unclosed bracket
    /// turns the rest of it into one ERROR node), the next check rebases
    /// on this one: when the file parses again, only the regions edited
    /// since are re-checked.
    pub clean: Option<Arc<View>>,
    /// The latest exact analysis.
    pub exact: Option<Arc<Exact>>,
    /// The tree of the text at `tree_rev`, not yet `edit`ed.
    pub tree: Option<(dunderls_python::Tree, u64)>,
    pub settings: Arc<Settings>,
    /// The document's dotted module name in the workspace ("" when it is
    /// not a file).
    pub module_name: Arc<str>,
    // Scheduling.
    pub check_running: bool,
    pub check_again: bool,
    pub want_full: bool,
    pub exact_tx: tokio::sync::watch::Sender<u64>,
    /// The revision and findings last handed to the publisher.
    pub published: Option<(u64, Arc<Vec<Finding>>)>,
    changed_at: Option<std::time::Instant>,
    /// Number of `\r` in the text: with none (the usual case) there is no
    /// CRLF, without scanning.
    cr_count: usize,
    /// Rule errors already reported for this document (reported once).
    pub reported_errors: std::collections::HashSet<String>,
}

impl Document {
    pub fn new(
        uri: Uri,
        text: &str,
        version: i32,
        generation: u64,
        settings: Arc<Settings>,
    ) -> Self {
        let path = uri.to_file_path().map(|p| p.into_owned());
        let (exact_tx, _) = tokio::sync::watch::channel(0);
        Document {
            uri,
            path,
            rope: Rope::from_str(text),
            version,
            rev: 1,
            generation,
            edits: Vec::new(),
            view: Arc::new(View::empty()),
            clean: None,
            exact: None,
            tree: None,
            settings,
            module_name: Arc::from(""),
            check_running: false,
            check_again: false,
            want_full: true,
            exact_tx,
            published: None,
            reported_errors: Default::default(),
            changed_at: None,
            cr_count: text.bytes().filter(|b| *b == b'\r').count(),
        }
    }

    /// When the latest change arrived (for tracing).
    pub fn changed_at(&self) -> Option<std::time::Instant> {
        self.changed_at
    }

    pub fn text(&self) -> String {
        self.rope.to_string()
    }

    /// Apply the content changes of one `didChange`, in order. Never
    /// panics: ranges are clamped (past the end -> end of line / text),
    /// reversed ranges are swapped, positions inside a character snap to
    /// its start.
    pub fn apply_changes(
        &mut self,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
        enc: PositionEncoding,
    ) -> ChangeReport {
        let mut report = ChangeReport::default();
        if version < self.version {
            report.warnings.push(format!(
                "version went backwards ({} -> {version}); applying the change anyway",
                self.version
            ));
        }
        self.rev += 1;
        self.changed_at = Some(std::time::Instant::now());
        let rev = self.rev;
        for change in changes {
            let (start, old_end, full) = match change.range {
                None => (0, self.rope.len_bytes(), true),
                Some(range) => {
                    let pos = RopePositions::new(&self.rope, enc);
                    let mut start = pos.offset(range.start);
                    let mut end = pos.offset(range.end);
                    if end < start {
                        report.warnings.push(format!(
                            "change range ends before it starts ({:?}); treating it as reversed",
                            range
                        ));
                        std::mem::swap(&mut start, &mut end);
                    }
                    (start, end, false)
                }
            };
            let record = self.replace(start, old_end, &change.text, rev, full);
            self.edits.push(record);
        }
        self.version = version;
        report
    }

    /// Replace bytes `start..old_end` (char boundaries) with `text`.
    fn replace(
        &mut self,
        start: usize,
        old_end: usize,
        text: &str,
        rev: u64,
        full: bool,
    ) -> EditRecord {
        let rope = &mut self.rope;
        let point = |rope: &Rope, offset: usize| {
            let row = rope.byte_to_line(offset);
            Point::new(row, offset - rope.line_to_byte(row))
        };
        let start_position = point(rope, start);
        let old_end_position = point(rope, old_end);
        let start_char = rope.byte_to_char(start);
        let old_end_char = rope.byte_to_char(old_end);
        let removed_cr: usize = rope
            .byte_slice(start..old_end)
            .chunks()
            .map(|c| c.bytes().filter(|b| *b == b'\r').count())
            .sum();
        self.cr_count = self.cr_count - removed_cr.min(self.cr_count)
            + text.bytes().filter(|b| *b == b'\r').count();
        let rope = &mut self.rope;
        rope.remove(start_char..old_end_char);
        rope.insert(start_char, text);
        let new_end = start + text.len();
        let new_end_position = point(rope, new_end);
        EditRecord {
            rev,
            start,
            old_end,
            new_end,
            start_line: start_position.row as u32,
            old_end_line: old_end_position.row as u32,
            new_end_line: new_end_position.row as u32,
            full,
            input_edit: InputEdit {
                start_byte: start,
                old_end_byte: old_end,
                new_end_byte: new_end,
                start_position,
                old_end_position,
                new_end_position,
            },
        }
    }

    /// Snapshot everything a check needs (cheap: the rope and tree are
    /// shared copies).
    pub fn job(
        &mut self,
        enc: PositionEncoding,
        fault_injection: bool,
        index: Arc<ProjectIndex>,
    ) -> Job {
        let force_full = std::mem::take(&mut self.want_full);
        let view = match &self.clean {
            Some(clean) if !self.view.segments_valid && self.view.analysed => clean.clone(),
            _ => self.view.clone(),
        };
        let view_edits = self
            .edits
            .iter()
            .filter(|e| e.rev > view.rev)
            .cloned()
            .collect();
        let (tree, tree_rev) = match &self.tree {
            Some((t, r)) => (Some(t.clone()), *r),
            None => (None, 0),
        };
        let tree_edits = self
            .edits
            .iter()
            .filter(|e| e.rev > tree_rev)
            .map(|e| e.input_edit)
            .collect();
        Job {
            rope: self.rope.clone(),
            rev: self.rev,
            version: self.version,
            enc,
            view,
            view_edits,
            tree,
            tree_edits,
            settings: self.settings.clone(),
            index,
            module_name: self.module_name.clone(),
            force_full,
            has_crlf: self.has_crlf(),
            fault_injection,
        }
    }

    /// Store a check's results (views and exact results only move
    /// forward) and drop the edits nobody needs any more. Returns the
    /// stored view, and the rule errors not reported before.
    pub fn absorb(&mut self, outcome: Outcome) -> (Arc<View>, Vec<String>) {
        let rev = outcome.view.rev;
        let view = Arc::new(outcome.view);
        if rev >= self.view.rev {
            self.view = view.clone();
        }
        if view.segments_valid && self.clean.as_ref().is_none_or(|c| c.rev <= rev) {
            self.clean = Some(view.clone());
        }
        if let Some(tree) = outcome.tree {
            if self.tree.as_ref().is_none_or(|(_, r)| *r < rev) {
                self.tree = Some((tree, rev));
            }
        }
        if let Some(exact) = outcome.exact {
            if self.exact.as_ref().is_none_or(|e| e.rev <= exact.rev) {
                self.tree = Some((exact.tree.clone(), exact.rev));
                self.exact = Some(Arc::new(exact));
            }
            self.exact_tx.send_replace(rev);
        }
        // Rebasing on an old clean view is only worth it for a while.
        if self
            .clean
            .as_ref()
            .is_some_and(|c| self.edits.iter().filter(|e| e.rev > c.rev).count() > 256)
        {
            self.clean = None;
        }
        // Fast checks never re-parse the whole file, so during long
        // typing without a pause the tree's edit log grows: past a bound,
        // forget the tree (the next full check parses from scratch).
        if self.edits.len() > 4096 {
            self.tree = None;
            self.clean = None;
        }
        let tree_rev = self.tree.as_ref().map_or(self.view.rev, |t| t.1);
        let clean_rev = self.clean.as_ref().map_or(u64::MAX, |c| c.rev);
        let keep_after = self.view.rev.min(tree_rev).min(clean_rev);
        self.edits.retain(|e| e.rev > keep_after);
        let new_errors = outcome
            .rule_errors
            .into_iter()
            .filter(|e| self.reported_errors.insert(e.clone()))
            .collect();
        (view, new_errors)
    }

    /// Whether the text contains a CRLF (for fix text in partial checks).
    pub fn has_crlf(&self) -> bool {
        if self.cr_count == 0 {
            return false;
        }
        let mut prev_cr = false;
        for chunk in self.rope.chunks() {
            if prev_cr && chunk.starts_with('\n') || chunk.contains("\r\n") {
                return true;
            }
            prev_cr = chunk.ends_with('\r');
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp_server::ls_types::{Position, Range as LspRange};

    fn doc(text: &str) -> Document {
        let uri: Uri = "file:///t.py".parse().expect("uri");
        Document::new(uri, text, 1, 1, Arc::new(Settings::default()))
    }

    fn change(l0: u32, c0: u32, l1: u32, c1: u32, text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(LspRange {
                start: Position::new(l0, c0),
                end: Position::new(l1, c1),
            }),
            range_length: None,
            text: text.into(),
        }
    }

    #[test]
    fn applies_utf16_changes_with_multibyte_and_crlf() {
        let mut d = doc("a = 'é😀'\r\nb = 2\r\n");
        // Replace the emoji (UTF-16 columns 6..8) with "中".
        d.apply_changes(2, vec![change(0, 6, 0, 8, "中")], PositionEncoding::Utf16);
        assert_eq!(d.text(), "a = 'é中'\r\nb = 2\r\n");
        // Insert a line after the CRLF.
        d.apply_changes(
            3,
            vec![change(1, 0, 1, 0, "c = 3\r\n")],
            PositionEncoding::Utf16,
        );
        assert_eq!(d.text(), "a = 'é中'\r\nc = 3\r\nb = 2\r\n");
        let e = &d.edits[1];
        assert_eq!((e.start_line, e.old_end_line, e.new_end_line), (1, 1, 2));
        assert_eq!(d.version, 3);
    }

    #[test]
    fn odd_ranges_never_panic() {
        let mut d = doc("ab\ncd");
        let report = d.apply_changes(2, vec![change(0, 2, 0, 0, "X")], PositionEncoding::Utf16);
        assert_eq!(d.text(), "X\ncd");
        assert_eq!(report.warnings.len(), 1);
        d.apply_changes(3, vec![change(9, 9, 12, 0, "!")], PositionEncoding::Utf16);
        assert_eq!(d.text(), "X\ncd!");
        let report = d.apply_changes(1, vec![change(0, 99, 0, 99, "?")], PositionEncoding::Utf8);
        assert_eq!(d.text(), "X?\ncd!");
        assert!(!report.warnings.is_empty());
        // Inside a surrogate pair: snaps to the character start.
        let mut d = doc("😀x");
        d.apply_changes(2, vec![change(0, 1, 0, 1, "_")], PositionEncoding::Utf16);
        assert_eq!(d.text(), "_😀x");
        // A full replacement.
        d.apply_changes(
            3,
            vec![TextDocumentContentChangeEvent {
                range: None,
                range_length: None,
                text: "new".into(),
            }],
            PositionEncoding::Utf16,
        );
        assert_eq!(d.text(), "new");
        assert!(d.edits.last().is_some_and(|e| e.full));
    }

    #[test]
    fn shift_moves_offsets_after_the_edit() {
        let e = EditRecord {
            rev: 1,
            start: 10,
            old_end: 12,
            new_end: 15,
            start_line: 0,
            old_end_line: 0,
            new_end_line: 0,
            full: false,
            input_edit: InputEdit {
                start_byte: 10,
                old_end_byte: 12,
                new_end_byte: 15,
                start_position: Point::new(0, 10),
                old_end_position: Point::new(0, 12),
                new_end_position: Point::new(0, 15),
            },
        };
        assert_eq!(e.shift(5), 5);
        assert_eq!(e.shift(12), 15);
        assert_eq!(e.shift(20), 23);
        assert!(e.touches(&(12..14)));
        assert!(e.touches(&(3..10)));
        assert!(!e.touches(&(3..9)));
    }
}
