//! The language server: state, the ordering discipline, and the handlers.
//!
//! Ordering. tower-lsp-server polls every handler on one task and starts
//! them in arrival order, but interleaves them at their first `.await`.
//! So every handler that changes a document (`didOpen`, `didChange`,
//! `didClose`) commits its change *synchronously*, before any await, and
//! only then schedules work; a later request always sees the text of every
//! earlier notification. No dashmap guard is ever held across an await.
//!
//! Checks. Each document has at most one check loop running. A change
//! bumps the document's revision and either starts the loop or sets
//! `check_again`; the loop takes a snapshot of the latest revision, checks
//! it (the fast partial check inline, anything slower on the blocking
//! pool), commits, and repeats while `check_again` is set. A burst of
//! edits therefore costs at most one extra check, always of the latest
//! text. Publishing happens under one lock that also re-checks that the
//! result is still the document's latest revision, so diagnostics for an
//! older version never follow a newer one (nor a close). After a partial
//! check, a full check follows once the document has been idle for a
//! moment (300 ms plus 0.5 ms per KiB), and publishes again only if the
//! findings differ.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock, Weak};
use std::time::Duration;

use dashmap::DashMap;
use dunderls_python::PositionEncoding;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use crate::analysis::{self, Exact, Finding, Outcome};
use crate::code_actions::{self, Action, ActionKind, ByteEdit, FIX_ALL_KIND};
use crate::config::{parse_editor_settings, ConfigState};
use crate::diagnostics::{publish_frame, to_lsp};
use crate::document::Document;
use crate::position::{encoding_kind, negotiate, RopePositions, TextPositions};
use crate::workspace::{Folder, Workspace};
use crate::{completion, hover};
use dunderls_linter::hierarchy::public_module;
use dunderls_workspace::discovery::is_python;
use dunderls_workspace::{module_name_for, ModuleEntry};

/// What the client told us it supports.
#[derive(Debug, Clone, Default)]
pub struct Caps {
    pub enc: PositionEncoding,
    /// The client pulls diagnostics (`textDocument/diagnostic`): no push.
    pub pull: bool,
    pub snippets: bool,
    pub config_pull: bool,
    pub watch_dynamic: bool,
    pub config_dynamic: bool,
    pub document_changes: bool,
    pub diagnostic_refresh: bool,
    pub work_done_progress: bool,
}

/// Messages to the client, sent in order by the publisher task
/// (diagnostics are published directly, see `Inner::publish`).
enum Out {
    Log(MessageType, String),
    Show(MessageType, String),
    Refresh,
}

pub struct Inner {
    client: Client,
    docs: DashMap<Uri, Document>,
    caps: RwLock<Caps>,
    config: Mutex<ConfigState>,
    roots: RwLock<Vec<PathBuf>>,
    /// Every class of the workspace folders, for bases in other modules.
    workspace: Workspace,
    out: mpsc::UnboundedSender<Out>,
    generation: AtomicU64,
    shutdown: Arc<AtomicBool>,
    fault_injection: bool,
    /// Messages already shown (each configuration problem once).
    shown: Mutex<HashSet<String>>,
    /// Messages produced before `initialized` (the client may not take
    /// notifications before it has the initialize result).
    early: Mutex<Vec<(MessageType, String, bool)>>,
    initialized: AtomicBool,
    /// Becomes true once the editor settings were pulled after
    /// `initialized` (or could not be): a pull of diagnostics waits for it,
    /// so the first answer already honours the editor's settings.
    settings_loaded: tokio::sync::watch::Sender<bool>,
    idle: Duration,
    /// Testing aid (only with DUNDERLS_FAULT_INJECTION=1): indexing
    /// starts this much later (DUNDERLS_TEST_INDEX_DELAY_MS), so a test can
    /// make requests while it runs.
    test_index_delay: Duration,
    /// DUNDERLS_TRACE=1: timings of every check on stderr.
    trace: bool,
    /// Held while publishing diagnostics: the last published
    /// (generation, revision) per document. Checking that a result is
    /// still the latest and sending it happen under this lock, so a
    /// publication never overtakes a newer one or a close.
    published: tokio::sync::Mutex<HashMap<Uri, (u64, u64)>>,
    /// The stdio writer, when serving stdio: diagnostics bypass
    /// tower-lsp's serialisation.
    raw_out: Option<std::sync::mpsc::Sender<crate::stdio::OutMsg>>,
}

/// Diagnostics ready to publish.
struct Publication {
    uri: Uri,
    version: i32,
    rev: u64,
    generation: u64,
    findings: Arc<Vec<Finding>>,
}

pub struct Backend {
    inner: Arc<Inner>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn read<T>(m: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    m.read().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn write<T>(m: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    m.write().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Parameters of the `dunderls/documentText` request (used by tests).
#[derive(Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentTextParams {
    pub text_document: TextDocumentIdentifier,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentTextResult {
    pub uri: Uri,
    pub version: i32,
    pub text: String,
}

impl Backend {
    pub fn new(
        client: Client,
        shutdown: Arc<AtomicBool>,
        raw_out: Option<std::sync::mpsc::Sender<crate::stdio::OutMsg>>,
    ) -> Backend {
        let (out, rx) = mpsc::unbounded_channel();
        let idle = std::env::var("DUNDERLS_IDLE_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .map(Duration::from_millis)
            .unwrap_or(Duration::from_millis(300));
        let fault_injection = std::env::var("DUNDERLS_FAULT_INJECTION").is_ok_and(|v| v == "1");
        let test_index_delay = std::env::var("DUNDERLS_TEST_INDEX_DELAY_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .filter(|_| fault_injection)
            .map(Duration::from_millis)
            .unwrap_or_default();
        let inner = Arc::new(Inner {
            client,
            docs: DashMap::new(),
            caps: RwLock::new(Caps::default()),
            config: Mutex::new(ConfigState::default()),
            roots: RwLock::new(Vec::new()),
            workspace: Workspace::default(),
            out,
            generation: AtomicU64::new(0),
            shutdown,
            fault_injection,
            shown: Mutex::new(HashSet::new()),
            early: Mutex::new(Vec::new()),
            initialized: AtomicBool::new(false),
            settings_loaded: tokio::sync::watch::Sender::new(false),
            idle,
            test_index_delay,
            trace: std::env::var("DUNDERLS_TRACE").is_ok_and(|v| v == "1"),
            published: tokio::sync::Mutex::new(HashMap::new()),
            raw_out,
        });
        tokio::spawn(publisher(Arc::downgrade(&inner), rx));
        Backend { inner }
    }

    /// `dunderls/documentText`: the server's copy of an open document.
    pub async fn document_text(
        &self,
        params: DocumentTextParams,
    ) -> Result<Option<DocumentTextResult>> {
        Ok(self
            .inner
            .docs
            .get(&params.text_document.uri)
            .map(|d| DocumentTextResult {
                uri: d.uri.clone(),
                version: d.version,
                text: d.text(),
            }))
    }
}

async fn publisher(inner: Weak<Inner>, mut rx: mpsc::UnboundedReceiver<Out>) {
    while let Some(msg) = rx.recv().await {
        let Some(inner) = inner.upgrade() else { break };
        match msg {
            Out::Log(typ, message) => inner.client.log_message(typ, message).await,
            Out::Show(typ, message) => inner.client.show_message(typ, message).await,
            Out::Refresh => {
                let _ = tokio::time::timeout(
                    Duration::from_secs(10),
                    inner.client.workspace_diagnostic_refresh(),
                )
                .await;
            }
        }
    }
}

fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

impl Inner {
    fn caps(&self) -> Caps {
        read(&self.caps).clone()
    }

    fn enc(&self) -> PositionEncoding {
        read(&self.caps).enc
    }

    fn send(&self, msg: Out) {
        let _ = self.out.send(msg);
    }

    pub fn log(&self, typ: MessageType, message: impl Into<String>) {
        let message = message.into();
        if self.initialized.load(Ordering::SeqCst) {
            self.send(Out::Log(typ, message));
        } else {
            lock(&self.early).push((typ, message, false));
        }
    }

    /// Show a message once (and log it).
    pub fn show_once(&self, typ: MessageType, message: impl Into<String>) {
        let message = message.into();
        if !lock(&self.shown).insert(message.clone()) {
            return;
        }
        eprintln!("dunderls: {message}");
        if self.initialized.load(Ordering::SeqCst) {
            self.send(Out::Log(typ, message.clone()));
            self.send(Out::Show(typ, message));
        } else {
            lock(&self.early).push((typ, message, true));
        }
    }

    fn first_root(&self) -> Option<PathBuf> {
        read(&self.roots).first().cloned()
    }

    /// Start the document's check loop, or ask the running one to go
    /// again. Called with the document locked; never awaits.
    fn schedule(self: &Arc<Self>, uri: &Uri, doc: &mut Document) {
        if doc.check_running {
            doc.check_again = true;
            return;
        }
        doc.check_running = true;
        doc.check_again = false;
        let inner = self.clone();
        let uri = uri.clone();
        let generation = doc.generation;
        tokio::spawn(async move { inner.check_loop(uri, generation).await });
    }

    async fn check_loop(self: Arc<Self>, uri: Uri, generation: u64) {
        loop {
            // Let notifications already queued (a burst of edits) commit
            // first: one check then covers them all.
            tokio::task::yield_now().await;
            let job = {
                let Some(mut doc) = self.docs.get_mut(&uri) else {
                    return;
                };
                if doc.generation != generation {
                    return;
                }
                doc.check_again = false;
                let changed_at = doc.changed_at();
                let index = self.workspace.snapshot();
                (doc.job(self.enc(), self.fault_injection, index), changed_at)
            };
            let (job, changed_at) = job;
            let rev = job.rev;
            let job_settings = job.settings.clone();
            let queued = std::time::Instant::now();
            let trace = self.trace;
            let traced = move |outcome: Outcome, started: std::time::Instant, place: &str| {
                if trace {
                    eprintln!(
                        "dunderls trace: rev {rev} {:?} ({}) approximate={} {place} wait {:?} check {:?}",
                        outcome.mode,
                        outcome.fallback_reason.unwrap_or("-"),
                        outcome.approximate,
                        started - queued,
                        started.elapsed()
                    );
                }
                outcome
            };
            // The fast path (no re-parse of the file, well under a
            // millisecond on big files) runs right here; anything slower
            // goes to the blocking pool.
            let started = std::time::Instant::now();
            let inline = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
                analysis::run_fast(job)
            }));
            let result = match inline {
                Ok(Ok(outcome)) => Ok(traced(outcome, started, "inline")),
                Ok(Err(job)) => tokio::task::spawn_blocking(move || {
                    let started = std::time::Instant::now();
                    traced(analysis::run(*job), started, "blocking")
                })
                .await
                .map_err(|e| -> Box<dyn std::any::Any + Send> {
                    if e.is_panic() {
                        e.into_panic()
                    } else {
                        Box::new(e.to_string())
                    }
                }),
                Err(panic) => Err(panic),
            };
            match result {
                Ok(outcome) => {
                    let commit_start = std::time::Instant::now();
                    let publication = self.commit(&uri, generation, &job_settings, outcome);
                    let committed = commit_start.elapsed();
                    let published = publication.is_some();
                    if let Some(publication) = publication {
                        self.publish(publication).await;
                    }
                    if trace {
                        eprintln!(
                            "dunderls trace: rev {rev} change->job {:?} commit {committed:?} published={published} total {:?} change->published {:?}",
                            changed_at.map(|c| queued - c),
                            queued.elapsed(),
                            changed_at.map(|c| c.elapsed())
                        );
                    }
                }
                Err(panic) => {
                    let why = panic_message(panic);
                    self.log(
                        MessageType::ERROR,
                        format!(
                            "dunderls: internal error while checking {}: {why}",
                            uri.as_str()
                        ),
                    );
                    if let Some(doc) = self.docs.get(&uri) {
                        // Wake anyone waiting for an exact result: none is coming.
                        doc.exact_tx.send_replace(rev);
                    }
                }
            }
            let again = {
                let Some(mut doc) = self.docs.get_mut(&uri) else {
                    return;
                };
                if doc.generation != generation {
                    return;
                }
                if doc.check_again {
                    true
                } else {
                    doc.check_running = false;
                    false
                }
            };
            if !again {
                return;
            }
        }
    }

    fn commit(
        self: &Arc<Self>,
        uri: &Uri,
        generation: u64,
        settings: &Arc<dunderls_linter::Settings>,
        outcome: Outcome,
    ) -> Option<Publication> {
        let pull = read(&self.caps).pull;
        let rev = outcome.view.rev;
        let mut outcome = outcome;
        let entry = outcome.entry.take();
        let mut index_update = None;
        let mut publish = None;
        let mut idle = None;
        let view;
        let new_errors;
        {
            let mut doc = self.docs.get_mut(uri)?;
            if doc.generation != generation {
                return None;
            }
            if !Arc::ptr_eq(&doc.settings, settings) {
                // Checked with settings that changed meanwhile: its
                // severities and selection are stale; check again.
                doc.check_again = true;
                doc.want_full = true;
                return None;
            }
            (view, new_errors) = doc.absorb(outcome);
            if doc.rev == rev {
                let unchanged = doc
                    .published
                    .as_ref()
                    .is_some_and(|(r, f)| *r == rev && crate::diagnostics::same(f, &view.findings));
                if !pull && !unchanged {
                    publish = Some((doc.version, doc.generation));
                    doc.published = Some((rev, view.findings.clone()));
                }
                idle = (!view.exact).then(|| doc.rope.len_bytes());
                index_update = entry.map(|e| (doc.module_name.clone(), e));
            }
        }
        if let Some((module_name, entry)) = index_update {
            let related = self.workspace.update(&module_name, Some(entry));
            self.refresh_modules(&related);
        }
        for e in new_errors {
            self.log(
                MessageType::ERROR,
                format!(
                    "dunderls: {e} (while checking {}); other rules still ran",
                    uri.as_str()
                ),
            );
        }
        let publication = publish.map(|(version, generation)| Publication {
            uri: uri.clone(),
            version,
            rev,
            generation,
            findings: view.findings.clone(),
        });
        if let Some(len) = idle {
            let inner = self.clone();
            let uri = uri.clone();
            // Bigger files wait longer before their (costlier) full check.
            let delay = inner.idle + Duration::from_micros(len as u64 / 2);
            tokio::spawn(async move {
                tokio::time::sleep(delay).await;
                let Some(mut doc) = inner.docs.get_mut(&uri) else {
                    return;
                };
                if doc.generation == generation && doc.rev == rev && !doc.view.exact {
                    doc.want_full = true;
                    inner.schedule(&uri, &mut doc);
                }
            });
        }
        publication
    }

    async fn publish(&self, p: Publication) {
        let mut last = self.published.lock().await;
        let current = self
            .docs
            .get(&p.uri)
            .is_some_and(|d| d.generation == p.generation && d.rev == p.rev);
        let older = last
            .get(&p.uri)
            .is_some_and(|&(g, r)| g == p.generation && r > p.rev);
        if !current || older {
            return;
        }
        last.insert(p.uri.clone(), (p.generation, p.rev));
        match &self.raw_out {
            // Straight to the output thread, pre-serialised (see
            // `diagnostics::publish_frame`).
            Some(out) => {
                let _ = out.send(crate::stdio::OutMsg::Frame(publish_frame(
                    &p.uri,
                    Some(p.version),
                    &p.findings,
                )));
            }
            None => {
                let diagnostics = p.findings.iter().map(to_lsp).collect();
                self.client
                    .publish_diagnostics(p.uri, diagnostics, Some(p.version))
                    .await;
            }
        }
    }

    /// Publish an empty list (a closed document).
    async fn clear(&self, uri: Uri) {
        let mut last = self.published.lock().await;
        last.remove(&uri);
        match &self.raw_out {
            Some(out) => {
                let _ = out.send(crate::stdio::OutMsg::Frame(publish_frame(&uri, None, &[])));
            }
            None => self.client.publish_diagnostics(uri, Vec::new(), None).await,
        }
    }

    /// An exact analysis of the document as of now (waiting for one).
    async fn ensure_exact(self: &Arc<Self>, uri: &Uri) -> Option<(Arc<Exact>, u64)> {
        let (target, mut rx) = {
            let mut doc = self.docs.get_mut(uri)?;
            if let Some(exact) = &doc.exact {
                if exact.rev == doc.rev {
                    return Some((exact.clone(), doc.generation));
                }
            }
            doc.want_full = true;
            let rx = doc.exact_tx.subscribe();
            let target = doc.rev;
            self.schedule(uri, &mut doc);
            (target, rx)
        };
        let waited =
            tokio::time::timeout(Duration::from_secs(300), rx.wait_for(|r| *r >= target)).await;
        if !matches!(waited, Ok(Ok(_))) {
            return None;
        }
        let doc = self.docs.get(uri)?;
        doc.exact
            .clone()
            .filter(|e| e.rev >= target)
            .map(|e| (e, doc.generation))
    }

    /// Recompute every open document's settings and re-check it.
    fn reconfigure_all(self: &Arc<Self>) {
        let docs: Vec<(Uri, Option<PathBuf>)> = self
            .docs
            .iter()
            .map(|d| (d.uri.clone(), d.path.clone()))
            .collect();
        let root = self.first_root();
        let mut resolved = Vec::new();
        {
            let mut config = lock(&self.config);
            for (uri, path) in docs {
                let r = config.resolve(path.as_deref(), root.as_deref());
                resolved.push((uri, r));
            }
        }
        for (uri, r) in resolved {
            for e in &r.errors {
                self.show_once(MessageType::ERROR, e.clone());
            }
            if let Some(mut doc) = self.docs.get_mut(&uri) {
                doc.module_name = module_name_of(doc.path.as_deref(), &r.source_roots);
                doc.settings = r.settings;
                doc.published = None;
                self.recheck(&uri, &mut doc);
            }
        }
        self.request_pull_refresh();
    }

    /// Check a document again although its text did not change (its
    /// settings or the classes it depends on did). The exact result is
    /// dropped so that pulls and hovers wait for the new one.
    fn recheck(self: &Arc<Self>, uri: &Uri, doc: &mut Document) {
        doc.want_full = true;
        doc.exact = None;
        let before = doc.rev.saturating_sub(1);
        doc.exact_tx.send_replace(before);
        self.schedule(uri, doc);
    }

    /// Pull clients: ask them to pull again (findings changed without an
    /// edit of their document).
    fn request_pull_refresh(&self) {
        let caps = self.caps();
        if caps.pull && caps.diagnostic_refresh {
            self.send(Out::Refresh);
        }
    }

    /// Re-check the open documents that are one of `modules` (public
    /// module names), after the index entry of a module they depend on
    /// changed.
    fn refresh_modules(self: &Arc<Self>, modules: &[String]) {
        if !modules.is_empty() {
            self.refresh_where(|d| {
                !d.module_name.is_empty()
                    && modules.iter().any(|m| m == public_module(&d.module_name))
            });
        }
    }

    /// Re-check every open document (the index was rebuilt).
    fn refresh_all(self: &Arc<Self>) {
        self.refresh_where(|_| true);
    }

    fn refresh_where(self: &Arc<Self>, wanted: impl Fn(&Document) -> bool) {
        let uris: Vec<Uri> = self
            .docs
            .iter()
            .filter(|d| wanted(d))
            .map(|d| d.uri.clone())
            .collect();
        for uri in &uris {
            if let Some(mut doc) = self.docs.get_mut(uri) {
                self.recheck(uri, &mut doc);
            }
        }
        if !uris.is_empty() {
            self.request_pull_refresh();
        }
    }

    /// Index the workspace folders in the background, reporting progress
    /// when the client supports it; then re-check the open documents.
    async fn index_workspace(self: Arc<Self>) {
        let roots = read(&self.roots).clone();
        let folders: Vec<Folder> = {
            let mut config = lock(&self.config);
            roots
                .iter()
                .map(|root| Folder {
                    path: root.clone(),
                    source_roots: config.resolve(None, Some(root)).source_roots,
                })
                .collect()
        };
        if folders.is_empty() && self.workspace.snapshot().module_count() == 0 {
            return; // no folders (a single file opened): nothing to index
        }
        let epoch = self.workspace.begin_build();
        let progress = if self.caps().work_done_progress && !folders.is_empty() {
            let token = ProgressToken::String(format!("dunderls/indexing/{epoch}"));
            let created = tokio::time::timeout(
                Duration::from_secs(10),
                self.client.create_work_done_progress(token.clone()),
            )
            .await;
            match created {
                Ok(Ok(())) => Some(
                    self.client
                        .progress(token, "dunderls: indexing")
                        .with_percentage(0)
                        .with_message("finding Python files")
                        .begin()
                        .await,
                ),
                _ => None,
            }
        } else {
            None
        };
        let (tx, rx) = tokio::sync::watch::channel((0usize, 0usize));
        let inner = self.clone();
        let delay = self.test_index_delay;
        let mut build = tokio::task::spawn_blocking(move || {
            std::thread::sleep(delay);
            // One core stays free for the checks of what the user types.
            let threads = std::thread::available_parallelism().map_or(1, |n| n.get().max(2) - 1);
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build();
            let run = || {
                inner.workspace.build(epoch, &folders, &|done, total| {
                    tx.send_replace((done, total));
                })
            };
            match pool {
                Ok(pool) => pool.install(run),
                Err(_) => run(),
            }
        });
        let result = loop {
            match tokio::time::timeout(Duration::from_millis(200), &mut build).await {
                Ok(result) => break result,
                Err(_) => {
                    let (done, total) = *rx.borrow();
                    if let (Some(progress), true) = (&progress, total > 0) {
                        let percent = (done * 100 / total) as u32;
                        progress
                            .report_with_message(format!("{done}/{total} files"), percent)
                            .await;
                    }
                }
            }
        };
        let message = match result {
            Ok(Some(report)) => {
                let message = format!(
                    "indexed {} modules ({} classes) from {} files in {} ms",
                    report.modules,
                    report.classes,
                    report.files,
                    report.elapsed.as_millis()
                );
                self.log(MessageType::INFO, format!("dunderls: {message}"));
                self.refresh_all();
                message
            }
            Ok(None) => "superseded by a newer indexing".to_string(),
            Err(e) => {
                let why = if e.is_panic() {
                    panic_message(e.into_panic())
                } else {
                    e.to_string()
                };
                self.log(
                    MessageType::ERROR,
                    format!("dunderls: indexing the workspace failed: {why}"),
                );
                format!("failed: {why}")
            }
        };
        if let Some(progress) = progress {
            progress.finish_with_message(message).await;
        }
    }

    /// A Python file changed on disk (not through the editor): re-index it.
    async fn reindex_from_disk(self: &Arc<Self>, path: PathBuf) {
        let root = self.first_root();
        let source_roots = lock(&self.config)
            .resolve(Some(&path), root.as_deref())
            .source_roots;
        let module_name = module_name_for(&path, &source_roots);
        let indexed = tokio::task::spawn_blocking(move || {
            let entry = std::fs::read_to_string(&path)
                .ok()
                .map(|source| ModuleEntry::from_source(&source, &module_name));
            (module_name, entry)
        })
        .await;
        if let Ok((module_name, entry)) = indexed {
            let related = self.workspace.update(&module_name, entry);
            self.refresh_modules(&related);
        }
    }

    async fn pull_configuration(self: &Arc<Self>) -> bool {
        if !self.caps().config_pull {
            return false;
        }
        let items = vec![ConfigurationItem {
            scope_uri: None,
            section: Some("dunderls".into()),
        }];
        match tokio::time::timeout(Duration::from_secs(10), self.client.configuration(items)).await
        {
            Ok(Ok(values)) => {
                let value = values.into_iter().next().unwrap_or(Value::Null);
                let parsed =
                    parse_editor_settings(&value, "editor settings (workspace/configuration)");
                self.report_settings_problems(&parsed);
                lock(&self.config).pulled = Some(parsed);
                true
            }
            Ok(Err(e)) => {
                self.log(
                    MessageType::WARNING,
                    format!("dunderls: workspace/configuration failed: {}", e.message),
                );
                false
            }
            Err(_) => {
                self.log(
                    MessageType::WARNING,
                    "dunderls: workspace/configuration timed out",
                );
                false
            }
        }
    }

    fn report_settings_problems(&self, s: &crate::config::EditorSettings) {
        for e in &s.errors {
            self.show_once(MessageType::ERROR, format!("invalid dunderls setting: {e}"));
        }
        for w in &s.warnings {
            self.log(MessageType::WARNING, format!("dunderls: {w}"));
        }
    }

    fn lsp_edits(&self, pos: &TextPositions, edits: &[ByteEdit]) -> Vec<TextEdit> {
        edits
            .iter()
            .map(|e| TextEdit {
                range: pos.range(&e.range),
                new_text: e.text.clone(),
            })
            .collect()
    }

    fn workspace_edit(&self, uri: &Uri, version: i32, edits: Vec<TextEdit>) -> WorkspaceEdit {
        if self.caps().document_changes {
            WorkspaceEdit {
                document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit {
                    text_document: OptionalVersionedTextDocumentIdentifier {
                        uri: uri.clone(),
                        version: Some(version),
                    },
                    edits: edits.into_iter().map(OneOf::Left).collect(),
                }])),
                ..WorkspaceEdit::default()
            }
        } else {
            WorkspaceEdit {
                changes: Some(HashMap::from([(uri.clone(), edits)])),
                ..WorkspaceEdit::default()
            }
        }
    }
}

fn client_caps(params: &InitializeParams) -> Caps {
    let c = &params.capabilities;
    let td = c.text_document.as_ref();
    let ws = c.workspace.as_ref();
    Caps {
        enc: negotiate(
            c.general
                .as_ref()
                .and_then(|g| g.position_encodings.as_deref()),
        ),
        // Findings also change without an edit of their document (settings,
        // a base class in another module): a pull client that cannot be
        // asked to pull again (`workspace/diagnostic/refresh`; Neovim 0.11)
        // would keep stale ones, so such clients get pushed diagnostics.
        pull: td.is_some_and(|t| t.diagnostic.is_some())
            && ws
                .and_then(|w| w.diagnostics.as_ref())
                .and_then(|d| d.refresh_support)
                .unwrap_or(false),
        snippets: td
            .and_then(|t| t.completion.as_ref())
            .and_then(|c| c.completion_item.as_ref())
            .and_then(|i| i.snippet_support)
            .unwrap_or(false),
        config_pull: ws.and_then(|w| w.configuration).unwrap_or(false),
        watch_dynamic: ws
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false),
        config_dynamic: ws
            .and_then(|w| w.did_change_configuration.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false),
        document_changes: ws
            .and_then(|w| w.workspace_edit.as_ref())
            .and_then(|e| e.document_changes)
            .unwrap_or(false),
        diagnostic_refresh: ws
            .and_then(|w| w.diagnostics.as_ref())
            .and_then(|d| d.refresh_support)
            .unwrap_or(false),
        work_done_progress: c
            .window
            .as_ref()
            .and_then(|w| w.work_done_progress)
            .unwrap_or(false),
    }
}

fn markdown(value: String) -> MarkupContent {
    MarkupContent {
        kind: MarkupKind::Markdown,
        value,
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let caps = client_caps(&params);
        let enc = caps.enc;
        let pull = caps.pull;
        *write(&self.inner.caps) = caps;
        let mut roots: Vec<PathBuf> = params
            .workspace_folders
            .iter()
            .flatten()
            .filter_map(|f| f.uri.to_file_path().map(|p| p.into_owned()))
            .collect();
        #[allow(deprecated)]
        if roots.is_empty() {
            if let Some(p) = params.root_uri.as_ref().and_then(|u| u.to_file_path()) {
                roots.push(p.into_owned());
            }
        }
        *write(&self.inner.roots) = roots;
        if let Some(options) = &params.initialization_options {
            let parsed = parse_editor_settings(options, "initializationOptions");
            self.inner.report_settings_problems(&parsed);
            lock(&self.inner.config).init = parsed;
        }
        let code_action_kinds = vec![CodeActionKind::QUICKFIX, CodeActionKind::new(FIX_ALL_KIND)];
        Ok(InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(encoding_kind(enc)),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        ..TextDocumentSyncOptions::default()
                    },
                )),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                completion_provider: Some(CompletionOptions {
                    resolve_provider: Some(false),
                    ..CompletionOptions::default()
                }),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(code_action_kinds),
                        resolve_provider: Some(false),
                        ..CodeActionOptions::default()
                    },
                )),
                diagnostic_provider: pull.then(|| {
                    DiagnosticServerCapabilities::Options(DiagnosticOptions {
                        identifier: Some("dunderls".into()),
                        inter_file_dependencies: true,
                        workspace_diagnostics: false,
                        ..DiagnosticOptions::default()
                    })
                }),
                workspace: Some(WorkspaceServerCapabilities {
                    workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                        supported: Some(true),
                        change_notifications: Some(OneOf::Left(true)),
                    }),
                    file_operations: None,
                }),
                ..ServerCapabilities::default()
            },
            server_info: Some(ServerInfo {
                name: "dunderls".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        let inner = &self.inner;
        inner.initialized.store(true, Ordering::SeqCst);
        for (typ, message, show) in std::mem::take(&mut *lock(&inner.early)) {
            inner.send(Out::Log(typ, message.clone()));
            if show {
                inner.send(Out::Show(typ, message));
            }
        }
        let caps = inner.caps();
        let mut registrations = Vec::new();
        if caps.watch_dynamic {
            let watchers = [
                "**/pyproject.toml",
                "**/dunderls.toml",
                "**/*.py",
                "**/*.pyi",
            ]
            .into_iter()
            .map(|g| FileSystemWatcher {
                glob_pattern: GlobPattern::String(g.into()),
                kind: None,
            })
            .collect();
            registrations.push(Registration {
                id: "dunderls-watched-files".into(),
                method: "workspace/didChangeWatchedFiles".into(),
                register_options: serde_json::to_value(DidChangeWatchedFilesRegistrationOptions {
                    watchers,
                })
                .ok(),
            });
        }
        if caps.config_dynamic {
            registrations.push(Registration {
                id: "dunderls-configuration".into(),
                method: "workspace/didChangeConfiguration".into(),
                register_options: None,
            });
        }
        if !registrations.is_empty() {
            let result = tokio::time::timeout(
                Duration::from_secs(10),
                inner.client.register_capability(registrations),
            )
            .await;
            if !matches!(result, Ok(Ok(()))) {
                inner.log(
                    MessageType::WARNING,
                    "dunderls: the client did not accept the file watcher registration",
                );
            }
        }
        if inner.pull_configuration().await {
            inner.reconfigure_all();
        }
        inner.settings_loaded.send_replace(true);
        tokio::spawn(inner.clone().index_workspace());
    }

    async fn shutdown(&self) -> Result<()> {
        self.inner.shutdown.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        // Synchronous until the document is stored (see the module docs).
        let inner = &self.inner;
        let item = params.text_document;
        let path = item.uri.to_file_path().map(|p| p.into_owned());
        let root = inner.first_root();
        let resolved = lock(&inner.config).resolve(path.as_deref(), root.as_deref());
        for e in &resolved.errors {
            inner.show_once(MessageType::ERROR, e.clone());
        }
        let generation = inner.generation.fetch_add(1, Ordering::SeqCst) + 1;
        let mut doc = Document::new(
            item.uri.clone(),
            &item.text,
            item.version,
            generation,
            resolved.settings,
        );
        doc.module_name = module_name_of(path.as_deref(), &resolved.source_roots);
        inner.docs.insert(item.uri.clone(), doc);
        if let Some(mut doc) = inner.docs.get_mut(&item.uri) {
            inner.schedule(&item.uri, &mut doc);
        }
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        // Synchronous: the edit is committed before this future first
        // yields, so later messages always see it.
        let inner = &self.inner;
        let uri = params.text_document.uri;
        let enc = inner.enc();
        let report = {
            let Some(mut doc) = inner.docs.get_mut(&uri) else {
                inner.log(
                    MessageType::WARNING,
                    format!(
                        "dunderls: ignoring a change to {}, which is not open",
                        uri.as_str()
                    ),
                );
                return;
            };
            let report =
                doc.apply_changes(params.text_document.version, params.content_changes, enc);
            inner.schedule(&uri, &mut doc);
            report
        };
        for w in report.warnings {
            inner.log(
                MessageType::WARNING,
                format!("dunderls: {}: {w}", uri.as_str()),
            );
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let removed = self.inner.docs.remove(&uri);
        // (Committed; awaiting from here on is fine.)
        let Some((_, doc)) = removed else { return };
        if !self.inner.caps().pull {
            self.inner.clear(uri).await;
        }
        // The index holds the editor's (maybe unsaved) text: back to disk.
        if let (Some(path), false) = (doc.path, doc.module_name.is_empty()) {
            self.inner.reindex_from_disk(path).await;
        }
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let inner = &self.inner;
        if !inner.pull_configuration().await {
            let parsed =
                parse_editor_settings(&params.settings, "editor settings (didChangeConfiguration)");
            inner.report_settings_problems(&parsed);
            lock(&inner.config).pulled = Some(parsed);
        }
        inner.reconfigure_all();
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let inner = &self.inner;
        let config_changed = params.changes.iter().any(|c| {
            let path = c.uri.path().as_str();
            path.ends_with("/pyproject.toml") || path.ends_with("/dunderls.toml")
        });
        if config_changed {
            lock(&inner.config).invalidate_files();
            lock(&inner.shown).clear();
            inner.reconfigure_all();
            // Source roots may have moved: module names change.
            tokio::spawn(inner.clone().index_workspace());
            return;
        }
        for change in params.changes {
            // An open document's index entry follows the editor's text.
            if inner.docs.contains_key(&change.uri) {
                continue;
            }
            let Some(path) = change.uri.to_file_path().map(|p| p.into_owned()) else {
                continue;
            };
            if is_python(&path) {
                inner.reindex_from_disk(path).await;
            }
        }
    }

    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        let mut roots = write(&self.inner.roots);
        for removed in params.event.removed {
            if let Some(p) = removed.uri.to_file_path() {
                roots.retain(|r| r.as_path() != p.as_ref());
            }
        }
        for added in params.event.added {
            if let Some(p) = added.uri.to_file_path() {
                roots.push(p.into_owned());
            }
        }
        drop(roots);
        tokio::spawn(self.inner.clone().index_workspace());
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let inner = &self.inner;
        let uri = params.text_document_position_params.text_document.uri;
        let position = params.text_document_position_params.position;
        let Some((exact, _)) = inner.ensure_exact(&uri).await else {
            return Ok(None);
        };
        let enc = inner.enc();
        let result = tokio::task::spawn_blocking(move || {
            let pos = exact.positions(enc);
            let offset = pos.offset(position);
            hover::hover(
                &exact.text,
                &exact.tree,
                &exact.diagnostics,
                offset,
                (&*exact.project, &exact.module_name),
            )
            .map(|h| Hover {
                contents: HoverContents::Markup(markdown(h.markdown)),
                range: Some(pos.range(&h.range)),
            })
        })
        .await;
        result.map_err(|e| internal("hover", e))
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let inner = &self.inner;
        let uri = params.text_document_position.text_document.uri;
        let position = params.text_document_position.position;
        let Some(rope) = inner.docs.get(&uri).map(|d| d.rope.clone()) else {
            return Ok(None);
        };
        let caps = inner.caps();
        let result = tokio::task::spawn_blocking(move || {
            let pos = RopePositions::new(&rope, caps.enc);
            let offset = pos.offset(position);
            let text = rope.to_string();
            let completion = completion::complete(&text, offset)?;
            let range = pos.range(&completion.replace);
            let items = completion
                .candidates
                .into_iter()
                .map(|c| CompletionItem {
                    label: c.name.to_string(),
                    kind: Some(CompletionItemKind::METHOD),
                    detail: Some(c.detail),
                    documentation: Some(Documentation::MarkupContent(markdown(c.documentation))),
                    sort_text: Some(format!("{:04}", c.rank)),
                    filter_text: Some(c.name.to_string()),
                    insert_text_format: Some(if caps.snippets {
                        InsertTextFormat::SNIPPET
                    } else {
                        InsertTextFormat::PLAIN_TEXT
                    }),
                    insert_text_mode: Some(InsertTextMode::AS_IS),
                    text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                        range,
                        new_text: if caps.snippets { c.snippet } else { c.plain },
                    })),
                    preselect: (c.rank == 0).then_some(true),
                    ..CompletionItem::default()
                })
                .collect();
            Some(CompletionResponse::List(CompletionList {
                is_incomplete: false,
                items,
            }))
        })
        .await;
        result.map_err(|e| internal("completion", e))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let inner = self.inner.clone();
        let uri = params.text_document.uri;
        let Some((exact, _)) = inner.ensure_exact(&uri).await else {
            return Ok(None);
        };
        let only: Option<Vec<String>> = params
            .context
            .only
            .map(|kinds| kinds.iter().map(|k| k.as_str().to_string()).collect());
        let requested = params.range;
        let enc = inner.enc();
        let result = tokio::task::spawn_blocking(move || {
            let pos = exact.positions(enc);
            let range = pos.offset(requested.start)..pos.offset(requested.end);
            let mut actions: Vec<Action> = Vec::new();
            if code_actions::kind_allowed("quickfix", only.as_deref()) {
                actions.extend(code_actions::quick_fixes(
                    &exact.text,
                    &exact.tree,
                    &exact.diagnostics,
                    &range,
                ));
            }
            let any_safe = exact.diagnostics.iter().any(|d| {
                d.fix
                    .as_ref()
                    .is_some_and(|f| f.applicability == dunderls_linter::Applicability::Safe)
            });
            if any_safe && code_actions::kind_allowed(FIX_ALL_KIND, only.as_deref()) {
                if let Some((edit, n)) =
                    code_actions::fix_all(&exact.text, &exact.diagnostics, &exact.settings)
                {
                    actions.push(Action {
                        title: format!("Fix all auto-fixable dunderls problems ({n})"),
                        kind: ActionKind::FixAll,
                        edits: vec![edit],
                        preferred: false,
                        diagnostic: None,
                    });
                }
            }
            let response: CodeActionResponse = actions
                .into_iter()
                .map(|a| {
                    let edits = inner.lsp_edits(&pos, &a.edits);
                    CodeActionOrCommand::CodeAction(CodeAction {
                        title: a.title,
                        kind: Some(match a.kind {
                            ActionKind::QuickFix => CodeActionKind::QUICKFIX,
                            ActionKind::FixAll => CodeActionKind::new(FIX_ALL_KIND),
                        }),
                        diagnostics: a
                            .diagnostic
                            .map(|d| vec![to_lsp(&Finding::new(d.clone(), pos.range(&d.range)))]),
                        edit: Some(inner.workspace_edit(&uri, exact.version, edits)),
                        is_preferred: a.preferred.then_some(true),
                        ..CodeAction::default()
                    })
                })
                .collect();
            response
        })
        .await;
        match result {
            Ok(actions) if actions.is_empty() => Ok(None),
            Ok(actions) => Ok(Some(actions)),
            Err(e) => Err(internal("codeAction", e)),
        }
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let inner = &self.inner;
        // Clients pull right after didOpen, often before the settings they
        // were asked for arrive; answering then would publish findings with
        // the wrong severities until the next edit.
        let mut loaded = inner.settings_loaded.subscribe();
        let _ = tokio::time::timeout(Duration::from_secs(3), loaded.wait_for(|done| *done)).await;
        let uri = params.text_document.uri;
        let enc = inner.enc();
        let full = |result_id: Option<String>, items: Vec<Diagnostic>| {
            DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(
                RelatedFullDocumentDiagnosticReport {
                    related_documents: None,
                    full_document_diagnostic_report: FullDocumentDiagnosticReport {
                        result_id,
                        items,
                    },
                },
            ))
        };
        if let Some((exact, generation)) = inner.ensure_exact(&uri).await {
            // The findings can change without an edit (settings, other
            // modules): the id names the findings, not just the text.
            let result_id = format!(
                "{generation}:{}:{:x}",
                exact.rev,
                crate::diagnostics::fingerprint(&exact.diagnostics)
            );
            if params.previous_result_id.as_deref() == Some(result_id.as_str()) {
                return Ok(DocumentDiagnosticReportResult::Report(
                    DocumentDiagnosticReport::Unchanged(RelatedUnchangedDocumentDiagnosticReport {
                        related_documents: None,
                        unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                            result_id,
                        },
                    }),
                ));
            }
            let pos = exact.positions(enc);
            let items = exact
                .diagnostics
                .iter()
                .map(|d| to_lsp(&Finding::new(d.clone(), pos.range(&d.range))))
                .collect();
            return Ok(full(Some(result_id), items));
        }
        // Not open: check the file on disk, if it is one.
        let Some(path) = uri.to_file_path().map(|p| p.into_owned()) else {
            return Ok(full(None, Vec::new()));
        };
        let root = inner.first_root();
        let resolved = lock(&inner.config).resolve(Some(&path), root.as_deref());
        let settings = resolved.settings;
        let module_name = module_name_of(Some(&path), &resolved.source_roots);
        let index = inner.workspace.snapshot();
        let items = tokio::task::spawn_blocking(move || {
            let Ok(text) = std::fs::read_to_string(&path) else {
                return Vec::new();
            };
            let tree = dunderls_python::parse(&text, None);
            let module = dunderls_python::Module::build(&text, &tree);
            let result = dunderls_linter::check_module(&module, &settings, &*index, &module_name);
            let index = dunderls_python::LineIndex::new(&text);
            let pos = TextPositions::new(&text, &index, enc);
            result
                .diagnostics
                .into_iter()
                .map(|d| to_lsp(&Finding::new(d.clone(), pos.range(&d.range))))
                .collect()
        })
        .await
        .map_err(|e| internal("diagnostic", e))?;
        Ok(full(None, items))
    }
}

/// A document's module name: from its path and the source roots, for
/// Python files only ("" otherwise: untitled buffers, other languages).
fn module_name_of(path: Option<&std::path::Path>, source_roots: &[PathBuf]) -> Arc<str> {
    match path {
        Some(path) if is_python(path) => Arc::from(module_name_for(path, source_roots)),
        _ => Arc::from(""),
    }
}

fn internal(what: &str, e: tokio::task::JoinError) -> Error {
    let why = if e.is_panic() {
        panic_message(e.into_panic())
    } else {
        e.to_string()
    };
    eprintln!("dunderls: internal error in {what}: {why}");
    Error {
        code: tower_lsp_server::jsonrpc::ErrorCode::InternalError,
        message: format!("internal error in {what}: {why}").into(),
        data: None,
    }
}
