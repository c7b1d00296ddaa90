//! Running the enabled rules over one module.

use std::cell::{Cell, OnceCell, RefCell};
use std::ops::Range;
use std::panic::{catch_unwind, AssertUnwindSafe};

use dunderls_python::{Class, Module, Node, Tree};

use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::hierarchy::{self, Ancestry, ClassIndex, NoIndex};
use crate::noqa;
use crate::rule::Rule;
use crate::settings::{RuleOptions, Settings};

/// What rules see: the module's facts, options, and the class index.
pub struct Checker<'a> {
    pub module: &'a Module<'a>,
    pub source: &'a str,
    pub options: &'a RuleOptions,
    pub index: &'a dyn ClassIndex,
    /// Dotted name of this file's module (`pkg.models`), or "" if unknown.
    pub module_name: &'a str,
    /// The line terminator the file uses (for inserted code).
    pub newline: &'static str,
    rule: Cell<Option<&'static Rule>>,
    diagnostics: RefCell<Vec<Diagnostic>>,
    ancestry_cache: RefCell<Vec<Option<std::rc::Rc<Ancestry>>>>,
    /// Class node id -> index in `module.classes` (a linear search per
    /// lookup would make big files quadratic).
    class_positions: std::collections::HashMap<usize, usize>,
    /// Offsets of the `\n`s of the source, computed on first use.
    newlines: OnceCell<Vec<usize>>,
}

impl<'a> Checker<'a> {
    pub fn new(
        module: &'a Module<'a>,
        options: &'a RuleOptions,
        index: &'a dyn ClassIndex,
        module_name: &'a str,
    ) -> Self {
        Checker {
            module,
            source: module.source,
            options,
            index,
            module_name,
            newline: if module.source.contains("\r\n") {
                "\r\n"
            } else {
                "\n"
            },
            rule: Cell::new(None),
            diagnostics: RefCell::new(Vec::new()),
            ancestry_cache: RefCell::new(vec![None; module.classes.len()]),
            class_positions: module
                .classes
                .iter()
                .enumerate()
                .map(|(i, c)| (c.node.id(), i))
                .collect(),
            newlines: OnceCell::new(),
        }
    }

    /// The 1-based line of a byte offset, counting `\n`s (for messages).
    pub fn line_number(&self, offset: usize) -> usize {
        let newlines = self.newlines.get_or_init(|| {
            self.source
                .bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i)
                .collect()
        });
        newlines.partition_point(|&i| i < offset) + 1
    }

    pub fn text(&self, node: Node) -> &'a str {
        self.module.text(node)
    }

    /// Report a finding of the running rule on `node`.
    pub fn report(&self, node: Node, message: impl Into<String>) {
        self.report_at(node.byte_range(), message, None, None);
    }

    pub fn report_with_fix(&self, node: Node, message: impl Into<String>, fix: Fix) {
        self.report_at(node.byte_range(), message, None, Some(fix));
    }

    /// Full control: range, a severity other than the rule's default, a fix.
    pub fn report_at(
        &self,
        range: Range<usize>,
        message: impl Into<String>,
        severity: Option<Severity>,
        fix: Option<Fix>,
    ) {
        let rule = self
            .rule
            .get()
            .expect("report is only called from a rule's check");
        self.diagnostics.borrow_mut().push(Diagnostic {
            code: rule.code,
            name: rule.name,
            message: message.into(),
            range,
            severity: severity.unwrap_or(rule.severity),
            fix,
        });
    }

    /// Index of a class in `module.classes` (for caches).
    fn class_index(&self, class: &Class) -> Option<usize> {
        self.class_positions.get(&class.node.id()).copied()
    }

    /// The resolved ancestors of a class, computed once per class.
    pub fn ancestry(&self, class: &Class) -> std::rc::Rc<Ancestry> {
        let idx = self.class_index(class);
        if let Some(Some(cached)) = idx.and_then(|i| self.ancestry_cache.borrow().get(i).cloned()) {
            return cached;
        }
        let computed = std::rc::Rc::new(hierarchy::ancestry(
            self.module,
            self.module_name,
            class,
            self.index,
        ));
        if let Some(i) = idx {
            self.ancestry_cache.borrow_mut()[i] = Some(computed.clone());
        }
        computed
    }
}

#[derive(Debug, Default)]
pub struct CheckResult {
    pub diagnostics: Vec<Diagnostic>,
    /// Internal errors (a rule panicked): the other rules still ran.
    pub rule_errors: Vec<String>,
    pub has_syntax_errors: bool,
}

/// Parse and check one file's text.
pub fn check_source(source: &str, settings: &Settings) -> CheckResult {
    let tree = dunderls_python::parse(source, None);
    check_tree(source, &tree, settings, &NoIndex, "")
}

pub fn check_tree(
    source: &str,
    tree: &Tree,
    settings: &Settings,
    index: &dyn ClassIndex,
    module_name: &str,
) -> CheckResult {
    let module = Module::build(source, tree);
    check_module(&module, settings, index, module_name)
}

pub fn check_module(
    module: &Module,
    settings: &Settings,
    index: &dyn ClassIndex,
    module_name: &str,
) -> CheckResult {
    let checker = Checker::new(module, &settings.options, index, module_name);
    let mut rule_errors = Vec::new();
    for rule in settings.enabled_rules() {
        checker.rule.set(Some(rule));
        let before = checker.diagnostics.borrow().len();
        let outcome = catch_unwind(AssertUnwindSafe(|| (rule.check)(&checker)));
        if let Err(panic) = outcome {
            // Drop what the rule reported before it died: it may be partial.
            checker.diagnostics.borrow_mut().truncate(before);
            let why = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            rule_errors.push(format!(
                "rule {} [{}] panicked: {why}",
                rule.code, rule.name
            ));
        }
    }
    let mut diagnostics = checker.diagnostics.into_inner();
    diagnostics.retain(|d| !module.in_error_region(&d.range));
    suppress(module, &mut diagnostics);
    for d in &mut diagnostics {
        if let Some(rule) = crate::registry::rule_by_code_or_name(d.code) {
            d.severity = settings.severity_of(rule, d.severity);
        }
    }
    diagnostics.sort_by(|a, b| {
        (a.range.start, a.code, a.range.end).cmp(&(b.range.start, b.code, b.range.end))
    });
    diagnostics.dedup_by(|a, b| a.range == b.range && a.code == b.code && a.message == b.message);
    CheckResult {
        diagnostics,
        rule_errors,
        has_syntax_errors: !module.error_ranges.is_empty(),
    }
}

/// Drop findings suppressed by a `# noqa`-style comment.
fn suppress(module: &Module, diagnostics: &mut Vec<Diagnostic>) {
    if module.comments.is_empty() {
        return;
    }
    let index = dunderls_python::LineIndex::new(module.source);
    let mut file_level = Vec::new();
    let mut by_line: std::collections::HashMap<usize, Vec<noqa::Directive>> = Default::default();
    for comment in &module.comments {
        for d in noqa::parse_comment(module.text(*comment), comment.start_byte()) {
            match d.scope {
                noqa::Scope::File => file_level.push(d),
                noqa::Scope::Line => by_line
                    .entry(index.line_of(comment.start_byte()))
                    .or_default()
                    .push(d),
            }
        }
    }
    diagnostics.retain(|diag| {
        let Some(rule) = crate::registry::rule_by_code_or_name(diag.code) else {
            return true;
        };
        if file_level.iter().any(|d| d.suppresses(rule)) {
            return false;
        }
        let line = index.line_of(diag.range.start);
        !by_line
            .get(&line)
            .is_some_and(|ds| ds.iter().any(|d| d.suppresses(rule)))
    });
}
