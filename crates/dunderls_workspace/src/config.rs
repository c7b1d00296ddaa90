//! `[tool.dunderls]` in pyproject.toml, or dunderls.toml, found by walking
//! up from each file; the same keys arrive from editors as JSON.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use dunderls_linter::{RuleSelector, Settings, Severity};
use serde::Deserialize;

/// The user-facing keys. Every field is optional so that layers (project
/// file, editor settings, CLI flags) can be merged key by key.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Options {
    pub select: Option<Vec<String>>,
    pub ignore: Option<Vec<String>>,
    pub extend_select: Option<Vec<String>>,
    /// Glob (relative to the config file's folder) -> codes to ignore.
    pub per_file_ignores: Option<BTreeMap<String, Vec<String>>>,
    /// Rule code -> error | warning | information | hint.
    pub severity: Option<BTreeMap<String, String>>,
    /// Call names DUN101/DUN303 treat as expensive (replaces the default).
    pub expensive_calls: Option<Vec<String>>,
    /// Dunder names that are not misspellings (DUN001).
    pub allowed_dunders: Option<Vec<String>>,
    /// Source roots for module names (relative to the config file), like
    /// ruff's `src`. Default: the config's folder and its `src/`.
    pub src: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub file: Option<PathBuf>,
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.file {
            Some(file) => write!(
                f,
                "invalid configuration in {}: {}",
                file.display(),
                self.message
            ),
            None => write!(f, "invalid configuration: {}", self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

impl Options {
    /// `over`'s keys win where set.
    pub fn merged_with(&self, over: &Options) -> Options {
        Options {
            select: over.select.clone().or_else(|| self.select.clone()),
            ignore: over.ignore.clone().or_else(|| self.ignore.clone()),
            extend_select: over
                .extend_select
                .clone()
                .or_else(|| self.extend_select.clone()),
            per_file_ignores: over
                .per_file_ignores
                .clone()
                .or_else(|| self.per_file_ignores.clone()),
            severity: over.severity.clone().or_else(|| self.severity.clone()),
            expensive_calls: over
                .expensive_calls
                .clone()
                .or_else(|| self.expensive_calls.clone()),
            allowed_dunders: over
                .allowed_dunders
                .clone()
                .or_else(|| self.allowed_dunders.clone()),
            src: over.src.clone().or_else(|| self.src.clone()),
        }
    }

    /// Parse from editor settings (JSON, same keys; camelCase accepted too).
    pub fn from_json(value: &serde_json::Value) -> Result<Options, ConfigError> {
        let mut value = value.clone();
        if let Some(obj) = value.as_object_mut() {
            let renamed: serde_json::Map<_, _> = std::mem::take(obj)
                .into_iter()
                .map(|(k, v)| (camel_to_kebab(&k), v))
                .collect();
            *obj = renamed;
        }
        Options::deserialize(value).map_err(|e| ConfigError {
            file: None,
            message: e.to_string(),
        })
    }

    /// Validate and turn into linter settings. `base` is the folder that
    /// per-file-ignores globs are relative to.
    pub fn resolve(
        &self,
        file: Option<&Path>,
        base: Option<&Path>,
    ) -> Result<ResolvedConfig, ConfigError> {
        let err = |key: &str, message: String| ConfigError {
            file: file.map(Path::to_path_buf),
            message: format!("`{key}`: {message}"),
        };
        let selectors =
            |key: &str, list: &Option<Vec<String>>| -> Result<Vec<RuleSelector>, ConfigError> {
                list.iter()
                    .flatten()
                    .map(|s| RuleSelector::parse(s).map_err(|m| err(key, m)))
                    .collect()
            };
        let mut settings = Settings {
            select: selectors("select", &self.select)?,
            ignore: selectors("ignore", &self.ignore)?,
            extend_select: selectors("extend-select", &self.extend_select)?,
            ..Settings::default()
        };
        for (code, level) in self.severity.iter().flatten() {
            let rule = dunderls_linter::rule_by_code_or_name(code)
                .ok_or_else(|| err("severity", format!("`{code}` is not a dunderls rule code")))?;
            let sev = Severity::parse(level).ok_or_else(|| {
                err(
                    "severity",
                    format!("`{level}` for {code}: expected error, warning, information or hint"),
                )
            })?;
            settings.severity.insert(rule.code.to_string(), sev);
        }
        if let Some(calls) = &self.expensive_calls {
            settings.options.expensive_calls = calls.clone();
        }
        if let Some(names) = &self.allowed_dunders {
            settings.options.allowed_dunders = names.clone();
        }
        let mut per_file = Vec::new();
        for (pattern, codes) in self.per_file_ignores.iter().flatten() {
            let glob = globset::GlobBuilder::new(pattern)
                .literal_separator(false)
                .build()
                .map_err(|e| err("per-file-ignores", format!("bad glob `{pattern}`: {e}")))?
                .compile_matcher();
            let sels = codes
                .iter()
                .map(|c| RuleSelector::parse(c).map_err(|m| err("per-file-ignores", m)))
                .collect::<Result<Vec<_>, _>>()?;
            per_file.push((glob, sels));
        }
        Ok(ResolvedConfig {
            settings,
            per_file_ignores: per_file,
            base: base.map(Path::to_path_buf),
        })
    }
}

fn camel_to_kebab(key: &str) -> String {
    let mut out = String::new();
    for ch in key.chars() {
        if ch.is_ascii_uppercase() {
            out.push('-');
            out.push(ch.to_ascii_lowercase());
        } else {
            out.push(ch);
        }
    }
    out
}

/// Settings ready to apply, plus the path-dependent part.
#[derive(Debug, Clone, Default)]
pub struct ResolvedConfig {
    pub settings: Settings,
    per_file_ignores: Vec<(globset::GlobMatcher, Vec<RuleSelector>)>,
    base: Option<PathBuf>,
}

impl ResolvedConfig {
    /// The settings for one file: per-file-ignores added to `ignore`.
    pub fn settings_for(&self, path: &Path) -> Settings {
        let mut settings = self.settings.clone();
        let relative = self
            .base
            .as_ref()
            .and_then(|b| path.strip_prefix(b).ok())
            .unwrap_or(path);
        for (glob, selectors) in &self.per_file_ignores {
            let name_only = relative.file_name().map(Path::new);
            if glob.is_match(relative) || name_only.is_some_and(|n| glob.is_match(n)) {
                settings.ignore.extend(selectors.iter().cloned());
            }
        }
        settings
    }
}

/// The nearest config file at or above `start`: `dunderls.toml`, or a
/// `pyproject.toml` that has a `[tool.dunderls]` table.
pub fn find_config_file(start: &Path) -> Option<PathBuf> {
    let mut dir = if start.is_dir() {
        Some(start)
    } else {
        start.parent()
    };
    while let Some(d) = dir {
        let own = d.join("dunderls.toml");
        if own.is_file() {
            return Some(own);
        }
        let pyproject = d.join("pyproject.toml");
        if pyproject.is_file()
            && std::fs::read_to_string(&pyproject).is_ok_and(|t| t.contains("[tool.dunderls"))
        {
            return Some(pyproject);
        }
        dir = d.parent();
    }
    None
}

/// Read the options of a config file (pyproject.toml's `[tool.dunderls]` or
/// a whole dunderls.toml). Errors quote the offending line and key.
pub fn load_options(path: &Path) -> Result<Options, ConfigError> {
    #[derive(Deserialize)]
    struct PyProject {
        tool: Option<Tool>,
    }
    #[derive(Deserialize)]
    struct Tool {
        dunderls: Option<Options>,
    }
    let fail = |message: String| ConfigError {
        file: Some(path.to_path_buf()),
        message,
    };
    let text = std::fs::read_to_string(path).map_err(|e| fail(format!("cannot read: {e}")))?;
    let parsed = if path.file_name().is_some_and(|n| n == "pyproject.toml") {
        toml::from_str::<PyProject>(&text)
            .map(|p| p.tool.and_then(|t| t.dunderls).unwrap_or_default())
    } else {
        toml::from_str::<Options>(&text)
    };
    parsed.map_err(|e| fail(e.to_string().trim_end().to_string()))
}

/// Load and resolve the config governing `path` (none found: defaults).
pub fn config_for(path: &Path) -> Result<(Option<PathBuf>, ResolvedConfig), ConfigError> {
    match find_config_file(path) {
        Some(file) => {
            let options = load_options(&file)?;
            let resolved = options.resolve(Some(&file), file.parent())?;
            Ok((Some(file), resolved))
        }
        None => Ok((None, ResolvedConfig::default())),
    }
}

/// The source roots a config file declares (absolute paths).
pub fn source_roots(config_file: Option<&Path>, options: &Options) -> Vec<PathBuf> {
    let Some(base) = config_file.and_then(Path::parent) else {
        return Vec::new();
    };
    match &options.src {
        Some(list) => list.iter().map(|s| base.join(s)).collect(),
        None => [base.to_path_buf(), base.join("src")]
            .into_iter()
            .filter(|p| p.is_dir())
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_config_names_file_key_and_expectation() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pyproject.toml");
        std::fs::write(&file, "[tool.dunderls]\nselect = [\"DUN999\"]\n").unwrap();
        let err = config_for(&file).unwrap_err().to_string();
        assert!(
            err.contains("pyproject.toml") && err.contains("`select`") && err.contains("DUN999"),
            "{err}"
        );
        std::fs::write(&file, "[tool.dunderls]\nselekt = [\"DUN4\"]\n").unwrap();
        let err = config_for(&file).unwrap_err().to_string();
        assert!(
            err.contains("selekt") && err.contains("expected one of"),
            "{err}"
        );
        std::fs::write(&file, "[tool.dunderls]\nseverity = { DUN401 = \"loud\" }\n").unwrap();
        let err = config_for(&file).unwrap_err().to_string();
        assert!(
            err.contains("loud") && err.contains("expected error, warning"),
            "{err}"
        );
    }

    #[test]
    fn per_file_ignores_and_json_keys() {
        let opts = Options::from_json(&serde_json::json!({
            "perFileIgnores": {"tests/*.py": ["DUN4"]},
            "select": ["ALL"]
        }))
        .unwrap();
        let resolved = opts.resolve(None, Some(Path::new("/p"))).unwrap();
        let s = resolved.settings_for(Path::new("/p/tests/test_a.py"));
        assert!(!s.enabled_rules().iter().any(|r| r.code.starts_with("DUN4")));
        let s = resolved.settings_for(Path::new("/p/src/a.py"));
        assert!(s.enabled_rules().iter().any(|r| r.code == "DUN401"));
    }
}
