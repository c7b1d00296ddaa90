//! The workspace's class index as the server keeps it: built from the files
//! on disk in the background at start-up, then kept current from the
//! editor's buffers (each exact check of an open document contributes its
//! module's entry) and from file events on disk. A check takes a snapshot
//! (an `Arc`) and never waits for indexing: until the first build ends,
//! bases in other modules are unresolved and the cross-file rules stay
//! silent, as they do for any unresolvable base.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use dunderls_workspace::{discover_python_files, ModuleEntry, ProjectIndex};

/// One workspace folder to index, with the source roots its project file
/// configures.
#[derive(Debug, Clone)]
pub struct Folder {
    pub path: PathBuf,
    pub source_roots: Vec<PathBuf>,
}

#[derive(Default)]
pub struct Workspace {
    index: RwLock<Arc<ProjectIndex>>,
    /// Bumped when a build starts: a build that ends after a newer one
    /// started is dropped.
    epoch: AtomicU64,
}

/// What a finished build found.
pub struct BuildReport {
    pub modules: usize,
    pub classes: usize,
    pub files: usize,
    pub elapsed: std::time::Duration,
}

impl Workspace {
    pub fn snapshot(&self) -> Arc<ProjectIndex> {
        self.index.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Set (`Some`) or forget (`None`) one module's entry. Returns the
    /// modules whose findings may change with it: those importing it and
    /// those it imports (before and after the change; a base class's
    /// findings can depend on how other modules use it). Empty when the
    /// entry did not change.
    pub fn update(&self, module_name: &str, entry: Option<ModuleEntry>) -> Vec<String> {
        let mut guard = self.index.write().unwrap_or_else(|p| p.into_inner());
        let mut related = related(&guard, module_name);
        let index = Arc::make_mut(&mut guard);
        let changed = match entry {
            Some(entry) => index.update(module_name, entry),
            None => index.remove(module_name),
        };
        if !changed {
            return Vec::new();
        }
        related.extend(self::related(index, module_name));
        related.sort();
        related.dedup();
        related
    }

    /// Start a build; pass the returned epoch to `finish_build`.
    pub fn begin_build(&self) -> u64 {
        self.epoch.fetch_add(1, Ordering::SeqCst) + 1
    }

    /// Index every Python file of `folders` (blocking; call it on the
    /// blocking pool). `progress(done, total)` is called as files are
    /// indexed. Installs the result unless a newer build started.
    pub fn build(
        &self,
        epoch: u64,
        folders: &[Folder],
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Option<BuildReport> {
        let started = std::time::Instant::now();
        let lists: Vec<(Vec<PathBuf>, &Folder)> = folders
            .iter()
            .map(|f| (discover_python_files(std::slice::from_ref(&f.path)).0, f))
            .collect();
        let total: usize = lists.iter().map(|(files, _)| files.len()).sum();
        let mut index = ProjectIndex::default();
        let mut offset = 0;
        for (files, folder) in &lists {
            let before = offset;
            let part = ProjectIndex::build_with_progress(files, &folder.source_roots, &|done| {
                progress(before + done, total)
            });
            index.extend(part);
            offset += files.len();
        }
        if self.epoch.load(Ordering::SeqCst) != epoch {
            return None;
        }
        let report = BuildReport {
            modules: index.module_count(),
            classes: index.class_count(),
            files: total,
            elapsed: started.elapsed(),
        };
        *self.index.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(index);
        Some(report)
    }
}

fn related(index: &ProjectIndex, module_name: &str) -> Vec<String> {
    let mut out = index.dependents_of(module_name);
    out.extend(index.dependencies_of(module_name));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use dunderls_linter::ClassIndex;

    fn entry(source: &str, module: &str) -> Option<ModuleEntry> {
        Some(ModuleEntry::from_source(source, module))
    }

    #[test]
    fn updates_report_the_modules_to_refresh_only_when_the_entry_changes() {
        let ws = Workspace::default();
        ws.update("app.base", entry("class Base:\n    pass\n", "app.base"));
        let related = ws.update(
            "app.sub",
            entry(
                "from app.base import Base\nclass Sub(Base):\n    pass\n",
                "app.sub",
            ),
        );
        assert_eq!(related, ["app.base"]);
        let snapshot = ws.snapshot();
        let related = ws.update(
            "app.base",
            entry(
                "class Base:\n    def __hash__(self):\n        return 1\n",
                "app.base",
            ),
        );
        assert_eq!(related, ["app.sub"]);
        // The snapshot taken before is unaffected (checks keep theirs).
        assert!(snapshot
            .entry("app.base")
            .is_some_and(|e| e.classes[0].methods.is_empty()));
        // Same entry again (an edit inside a method body): nothing to do.
        let related = ws.update(
            "app.base",
            entry(
                "class Base:\n    def __hash__(self):\n        return 2\n",
                "app.base",
            ),
        );
        assert!(related.is_empty());
        assert_eq!(ws.update("app.base", None), ["app.sub"]);
        assert!(ws.update("app.base", None).is_empty());
    }

    #[test]
    fn a_build_overtaken_by_a_newer_one_is_dropped() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("m.py"), "class A:\n    pass\n").expect("write");
        let ws = Workspace::default();
        let folder = Folder {
            path: dir.path().to_path_buf(),
            source_roots: vec![dir.path().to_path_buf()],
        };
        let old = ws.begin_build();
        let new = ws.begin_build();
        assert!(ws
            .build(old, std::slice::from_ref(&folder), &|_, _| {})
            .is_none());
        assert_eq!(ws.snapshot().module_count(), 0);
        let seen = std::sync::Mutex::new(Vec::new());
        let report = ws
            .build(new, &[folder], &|done, total| {
                seen.lock().unwrap().push((done, total))
            })
            .expect("installed");
        assert_eq!((report.files, report.modules, report.classes), (1, 1, 1));
        assert_eq!(*seen.lock().unwrap(), [(1, 1)]);
        assert!(ws.snapshot().lookup("m.A").is_some());
    }
}
