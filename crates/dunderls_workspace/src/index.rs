//! The cross-file class index: module names for files, and every top-level
//! class of the project by qualified name, so that a subclass in one module
//! sees its base in another.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use dunderls_linter::hierarchy::public_module;
use dunderls_linter::{ClassIndex, ClassSummary};
use dunderls_python::{absolute_module, Module};
use rayon::prelude::*;

/// The dotted module name of a file: relative to the deepest configured
/// source root that contains it, else to the first folder above it that is
/// not a package (has no `__init__.py`). `pkg/__init__.py` is `pkg.__init__`.
pub fn module_name_for(path: &Path, source_roots: &[PathBuf]) -> String {
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut parts = vec![stem];
    let root = source_roots
        .iter()
        .filter_map(|r| std::path::absolute(r).ok())
        .filter(|r| path.starts_with(r))
        .max_by_key(|r| r.components().count());
    let mut dir = path.parent();
    while let Some(d) = dir {
        let stop = match &root {
            Some(r) => d == r.as_path(),
            None => !d.join("__init__.py").is_file(),
        };
        if stop {
            break;
        }
        match d.file_name() {
            Some(name) => parts.push(name.to_string_lossy().into_owned()),
            None => break,
        }
        dir = d.parent();
    }
    parts.reverse();
    parts.join(".")
}

/// What one module contributes to the index.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ModuleEntry {
    pub classes: Vec<Arc<ClassSummary>>,
    /// Names bound by imports: name -> qualified target (for re-exports,
    /// e.g. `from .models import Base` in a package `__init__`).
    pub imports: HashMap<String, String>,
    /// `with X(...) as name` bindings whose name is read: (qualified `X`,
    /// 1-based line).
    pub with_as: Vec<(String, usize)>,
}

impl ModuleEntry {
    pub fn from_source(source: &str, module_name: &str) -> ModuleEntry {
        let tree = dunderls_python::parse(source, None);
        let module = Module::build(source, &tree);
        ModuleEntry::from_module(&module, module_name)
    }

    pub fn from_module(module: &Module, module_name: &str) -> ModuleEntry {
        let classes = module
            .classes
            .iter()
            .filter(|c| c.parent.is_none() && !c.in_function)
            .map(|c| Arc::new(ClassSummary::from_class(module, module_name, c)))
            .collect();
        let imports = module
            .imports
            .iter()
            .map(|i| {
                let target = match &i.name {
                    Some(n) => format!("{}.{n}", absolute_module(i, module_name)),
                    None => absolute_module(i, module_name),
                };
                (i.bound.clone(), target)
            })
            .collect();
        let with_as = module
            .with_as_bindings()
            .into_iter()
            .filter(|w| w.target_used)
            .filter_map(|w| {
                let callee = dunderls_python::syntax::callee_name(module.source, w.call)?;
                let qualified = if module
                    .imports
                    .iter()
                    .any(|i| Some(i.bound.as_str()) == callee.split('.').next())
                {
                    module.qualified_name_in(callee, module_name)
                } else {
                    format!("{}.{callee}", public_module(module_name))
                };
                let line = module.source[..w.call.start_byte()].matches('\n').count() + 1;
                Some((qualified, line))
            })
            .collect();
        ModuleEntry {
            classes,
            imports,
            with_as,
        }
    }
}

/// Classes of the whole project by qualified name. Entries are shared, so a
/// copy (the server's snapshot for one check) costs a pointer per module.
#[derive(Debug, Default, Clone)]
pub struct ProjectIndex {
    /// Public module name (`pkg`, not `pkg.__init__`) -> its entry.
    modules: HashMap<String, Arc<ModuleEntry>>,
}

impl ProjectIndex {
    /// Index files in parallel (unreadable or non-UTF-8 files are skipped:
    /// the check itself reports them).
    pub fn build(files: &[PathBuf], source_roots: &[PathBuf]) -> ProjectIndex {
        ProjectIndex::build_with_progress(files, source_roots, &|_| {})
    }

    /// Like `build`, calling `progress(files_done)` as files are indexed
    /// (from the worker threads, in no particular order).
    pub fn build_with_progress(
        files: &[PathBuf],
        source_roots: &[PathBuf],
        progress: &(dyn Fn(usize) + Sync),
    ) -> ProjectIndex {
        let done = std::sync::atomic::AtomicUsize::new(0);
        let entries: Vec<(String, ModuleEntry)> = files
            .par_iter()
            .filter_map(|path| {
                let indexed = index_file(path, source_roots);
                progress(done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1);
                indexed
            })
            .collect();
        let mut index = ProjectIndex::default();
        for (name, entry) in entries {
            index.update(&name, entry);
        }
        index
    }

    /// Replace one module's entry (the server calls this on edits). False
    /// when the entry was already the same.
    pub fn update(&mut self, module_name: &str, entry: ModuleEntry) -> bool {
        let key = public_module(module_name);
        if self.modules.get(key).is_some_and(|old| **old == entry) {
            return false;
        }
        self.modules.insert(key.to_string(), Arc::new(entry));
        true
    }

    /// Forget a module; false when it was not indexed.
    pub fn remove(&mut self, module_name: &str) -> bool {
        self.modules.remove(public_module(module_name)).is_some()
    }

    /// Add every module of `other` (a second workspace folder).
    pub fn extend(&mut self, other: ProjectIndex) {
        self.modules.extend(other.modules);
    }

    pub fn entry(&self, module_name: &str) -> Option<&ModuleEntry> {
        self.modules.get(public_module(module_name)).map(|e| &**e)
    }

    pub fn module_count(&self) -> usize {
        self.modules.len()
    }

    pub fn class_count(&self) -> usize {
        self.modules.values().map(|m| m.classes.len()).sum()
    }

    /// Modules whose classes have a base in `module_name` (to refresh their
    /// findings when it changes).
    pub fn dependents_of(&self, module_name: &str) -> Vec<String> {
        let public = public_module(module_name);
        self.modules
            .iter()
            .filter(|(name, entry)| {
                name.as_str() != public && entry.imports.values().any(|t| within(t, public))
            })
            .map(|(name, _)| name.clone())
            .collect()
    }

    /// The indexed modules `module_name` imports from (whose findings can
    /// depend on how it uses their classes, e.g. `with X() as x`).
    pub fn dependencies_of(&self, module_name: &str) -> Vec<String> {
        let Some(entry) = self.entry(module_name) else {
            return Vec::new();
        };
        let public = public_module(module_name);
        self.modules
            .keys()
            .filter(|name| {
                name.as_str() != public && entry.imports.values().any(|t| within(t, name))
            })
            .cloned()
            .collect()
    }

    fn find(&self, qualified: &str, hops: usize) -> Option<Arc<ClassSummary>> {
        let (module, name) = qualified.rsplit_once('.')?;
        let entry = self.modules.get(module)?;
        if let Some(class) = entry.classes.iter().rev().find(|c| c.name == name) {
            return Some(class.clone());
        }
        // A re-export: `pkg/__init__.py` doing `from .models import Base`.
        let target = entry.imports.get(name)?;
        if hops == 0 || target == qualified {
            return None;
        }
        self.find(target, hops - 1)
    }
}

/// `target` (a qualified import target) is `module` or something in it.
fn within(target: &str, module: &str) -> bool {
    target
        .strip_prefix(module)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
}

/// One file's module name (public form) and entry; None when it cannot be
/// read as UTF-8.
pub fn index_file(path: &Path, source_roots: &[PathBuf]) -> Option<(String, ModuleEntry)> {
    let source = std::fs::read_to_string(path).ok()?;
    let name = module_name_for(path, source_roots);
    let entry = ModuleEntry::from_source(&source, &name);
    Some((public_module(&name).to_string(), entry))
}

impl ClassIndex for ProjectIndex {
    fn lookup(&self, qualified_name: &str) -> Option<Arc<ClassSummary>> {
        self.find(qualified_name, 8)
    }

    fn with_as_sites(&self, provider: &str) -> Vec<String> {
        let mut sites = Vec::new();
        for (module, entry) in &self.modules {
            for (class, line) in &entry.with_as {
                if self.provider_of(class, "__enter__").as_deref() == Some(provider) {
                    sites.push(format!("{module}:{line}"));
                }
            }
        }
        sites.sort();
        sites
    }
}

impl ProjectIndex {
    /// The first project class, breadth-first from `class` through its
    /// bases, that defines `method` (qualified name).
    fn provider_of(&self, class: &str, method: &str) -> Option<String> {
        let mut queue = std::collections::VecDeque::from([class.to_string()]);
        let mut seen = std::collections::HashSet::new();
        while let Some(name) = queue.pop_front() {
            if !seen.insert(name.clone()) || seen.len() > 64 {
                continue;
            }
            let summary = self.lookup(&name)?;
            if summary.methods.iter().any(|m| m == method) {
                return Some(summary.qualified_name.clone());
            }
            queue.extend(summary.bases.iter().cloned());
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_names_follow_packages_and_roots() {
        let dir = tempfile::tempdir().unwrap();
        let pkg = dir.path().join("src/shop/models");
        std::fs::create_dir_all(&pkg).unwrap();
        std::fs::write(dir.path().join("src/shop/__init__.py"), "").unwrap();
        std::fs::write(pkg.join("__init__.py"), "").unwrap();
        std::fs::write(pkg.join("base.py"), "").unwrap();
        assert_eq!(
            module_name_for(&pkg.join("base.py"), &[]),
            "shop.models.base"
        );
        assert_eq!(
            module_name_for(&pkg.join("__init__.py"), &[]),
            "shop.models.__init__"
        );
        let root = dir.path().join("src");
        assert_eq!(
            module_name_for(&pkg.join("base.py"), &[root]),
            "shop.models.base"
        );
        assert_eq!(
            module_name_for(&pkg.join("base.py"), &[dir.path().to_path_buf()]),
            "src.shop.models.base"
        );
    }

    #[test]
    fn lookups_follow_reexports_and_relative_imports() {
        let mut index = ProjectIndex::default();
        index.update(
            "shop.models",
            ModuleEntry::from_source(
                "class Base:\n    def __hash__(self): return 1\n",
                "shop.models",
            ),
        );
        index.update(
            "shop.__init__",
            ModuleEntry::from_source("from .models import Base\n", "shop.__init__"),
        );
        assert_eq!(
            index.lookup("shop.models.Base").unwrap().qualified_name,
            "shop.models.Base"
        );
        assert_eq!(
            index.lookup("shop.Base").unwrap().qualified_name,
            "shop.models.Base"
        );
        assert!(index.lookup("shop.Missing").is_none());
        assert_eq!(index.dependents_of("shop.models"), vec!["shop".to_string()]);
        index.update(
            "shop.io",
            ModuleEntry::from_source(
                "class Exporter:\n    def __enter__(self):\n        pass\n",
                "shop.io",
            ),
        );
        index.update(
            "shop.csv",
            ModuleEntry::from_source(
                "from .io import Exporter\nclass Csv(Exporter):\n    pass\n\nwith Csv() as out:\n    out.write()\nwith Csv() as unused:\n    pass\n",
                "shop.csv",
            ),
        );
        assert_eq!(
            index.with_as_sites("shop.io.Exporter"),
            vec!["shop.csv:5".to_string()]
        );
        assert!(index.with_as_sites("shop.csv.Csv").is_empty());
    }
}
