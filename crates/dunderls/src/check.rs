//! `dunderls check`: discover files, resolve their configuration, check them
//! in parallel, optionally fix, and print.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use dunderls_linter::{fix::apply_fixes, Settings};
use dunderls_workspace::config::{self, Options, ResolvedConfig};
use dunderls_workspace::{discover_python_files, ConfigError, ProjectIndex};
use rayon::prelude::*;

use crate::cli::CheckArgs;
use crate::output::{self, FileReport};

pub fn run(args: CheckArgs) -> u8 {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let cli_options = Options {
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        extend_select: args.extend_select.clone(),
        ..Options::default()
    };
    // Validate the CLI's own selectors up front: a typo is a usage error.
    if let Err(e) = cli_options.resolve(None, None) {
        eprintln!("error: {}", e.message);
        return 2;
    }
    let configs = ConfigCache::new(cli_options, args.config.clone());
    let (files, mut errors) = discover_python_files(&paths);
    let roots = project_source_roots(&paths, &args);
    // Pass 1: every class of the checked files, for cross-module bases.
    let index = ProjectIndex::build(&files, &roots);
    let project = Project {
        configs: &configs,
        index: &index,
        roots: &roots,
    };
    let reports: Vec<Result<FileReport, String>> = files
        .par_iter()
        .map(|path| check_file(path, &project, &args))
        .collect();
    let mut ok = Vec::new();
    for r in reports {
        match r {
            Ok(report) => ok.push(report),
            Err(e) => errors.push(e),
        }
    }
    errors.sort();
    errors.dedup();
    let findings: usize = ok.iter().map(|r| r.diagnostics.len()).sum();
    output::print(&ok, &args);
    for e in &errors {
        eprintln!("error: {e}");
    }
    if !errors.is_empty() {
        2
    } else if findings > 0 && !args.exit_zero {
        1
    } else {
        0
    }
}

struct Project<'a> {
    configs: &'a ConfigCache,
    index: &'a ProjectIndex,
    roots: &'a [PathBuf],
}

impl Project<'_> {
    fn check(
        &self,
        source: &str,
        settings: &Settings,
        module_name: &str,
    ) -> dunderls_linter::CheckResult {
        let tree = dunderls_python::parse(source, None);
        dunderls_linter::checker::check_tree(source, &tree, settings, self.index, module_name)
    }
}

/// Source roots from the config governing the first path (or --config).
fn project_source_roots(paths: &[PathBuf], args: &CheckArgs) -> Vec<PathBuf> {
    let file = args.config.clone().or_else(|| {
        paths
            .first()
            .and_then(|p| config::find_config_file(&absolute(p)))
    });
    let options = file
        .as_deref()
        .and_then(|f| config::load_options(f).ok())
        .unwrap_or_default();
    config::source_roots(file.as_deref(), &options)
}

fn check_file(path: &Path, project: &Project, args: &CheckArgs) -> Result<FileReport, String> {
    let configs = project.configs;
    let module_name = dunderls_workspace::module_name_for(path, project.roots);
    let bytes = std::fs::read(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    let source = String::from_utf8(bytes).map_err(|e| {
        format!(
            "{}: not valid UTF-8 (invalid byte at offset {}); the file was not checked",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })?;
    let settings = configs.settings_for(path).map_err(|e| e.to_string())?;
    let mut result = project.check(&source, &settings, &module_name);
    let mut fixed_count = 0;
    let mut current = source.clone();
    if args.fix && !result.has_syntax_errors {
        // Fixes can enable others; iterate to a fixed point (bounded).
        for _ in 0..10 {
            let (next, applied) = apply_fixes(&current, &result.diagnostics, args.unsafe_fixes);
            if applied == 0 || next == current {
                break;
            }
            let next_result = project.check(&next, &settings, &module_name);
            if next_result.has_syntax_errors {
                break; // a fix that breaks the syntax is not applied
            }
            fixed_count += applied;
            current = next;
            result = next_result;
        }
        if current != source {
            write_atomically(path, &current)
                .map_err(|e| format!("{}: cannot write fixes: {e}", path.display()))?;
        }
    }
    let mut errors = Vec::new();
    for e in result.rule_errors {
        errors.push(format!("{}: internal error: {e}", path.display()));
    }
    Ok(FileReport {
        path: path.to_path_buf(),
        source: current,
        diagnostics: result.diagnostics,
        fixed: fixed_count,
        internal_errors: errors,
    })
}

/// Write through a temporary file in the same folder and rename over the
/// original, keeping its permissions.
fn write_atomically(path: &Path, content: &str) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(content.as_bytes())?;
    tmp.as_file().sync_all()?;
    if let Ok(meta) = std::fs::metadata(path) {
        std::fs::set_permissions(tmp.path(), meta.permissions())?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Config files are read once each, however many files they govern.
struct ConfigCache {
    cli: Options,
    explicit: Option<PathBuf>,
    by_file: Mutex<HashMap<Option<PathBuf>, Result<ResolvedConfig, ConfigError>>>,
}

impl ConfigCache {
    fn new(cli: Options, explicit: Option<PathBuf>) -> Self {
        ConfigCache {
            cli,
            explicit,
            by_file: Mutex::new(HashMap::new()),
        }
    }

    fn settings_for(&self, path: &Path) -> Result<Settings, ConfigError> {
        let file = match &self.explicit {
            Some(f) => Some(f.clone()),
            None => config::find_config_file(&absolute(path)),
        };
        let mut cache = self.by_file.lock().unwrap_or_else(|p| p.into_inner());
        let resolved = cache.entry(file.clone()).or_insert_with(|| {
            let options = match &file {
                Some(f) => config::load_options(f)?,
                None => Options::default(),
            };
            options
                .merged_with(&self.cli)
                .resolve(file.as_deref(), file.as_deref().and_then(Path::parent))
        });
        match resolved {
            Ok(r) => Ok(r.settings_for(&absolute(path))),
            Err(e) => Err(e.clone()),
        }
    }
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}
