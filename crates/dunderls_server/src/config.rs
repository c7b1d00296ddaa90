//! Settings: the project file (`pyproject.toml` `[tool.dunderls]` or
//! `dunderls.toml`, found by walking up from each document) overridden key
//! by key by the editor's settings (`initializationOptions`, then
//! `workspace/configuration` section "dunderls", which wins where both
//! set a key).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use dunderls_linter::Settings;
use dunderls_workspace::config::{find_config_file, load_options};
use dunderls_workspace::{ConfigError, Options};
use serde_json::Value;

/// Keys that editors put in the same settings section but that configure
/// the client, not the linter: ignored without a warning.
const CLIENT_KEYS: &[&str] = &[
    "trace",
    "enable",
    "path",
    "interpreter",
    "logLevel",
    "log-level",
    "server",
    "args",
    "env",
];

/// Editor settings parsed from JSON, with problems to report.
#[derive(Debug, Default, Clone)]
pub struct EditorSettings {
    pub options: Options,
    /// Invalid values (shown to the user).
    pub errors: Vec<String>,
    /// Unknown keys (logged).
    pub warnings: Vec<String>,
}

/// Accept the keys directly, or nested under "dunderls" or "settings"
/// (what various clients send as initializationOptions or as the
/// didChangeConfiguration payload).
pub fn unwrap_section(value: &Value) -> Option<&Value> {
    match value {
        Value::Null => None,
        Value::Object(map) => {
            if let Some(inner) = map.get("dunderls").or_else(|| map.get("settings")) {
                if inner.is_object() {
                    return unwrap_section(inner);
                }
            }
            Some(value)
        }
        other => Some(other),
    }
}

pub fn parse_editor_settings(value: &Value, origin: &str) -> EditorSettings {
    let mut out = EditorSettings::default();
    let Some(value) = unwrap_section(value) else {
        return out;
    };
    let Some(map) = value.as_object() else {
        out.errors.push(format!(
            "{origin}: expected an object of dunderls settings, got `{value}`"
        ));
        return out;
    };
    // Sort the keys into known and unknown by asking the parser one key at
    // a time, so that keys added to `Options` later are picked up.
    let mut known = serde_json::Map::new();
    for (key, val) in map {
        if val.is_null() {
            continue;
        }
        let single = serde_json::json!({ key.clone(): val.clone() });
        match Options::from_json(&single) {
            Ok(_) => {
                known.insert(key.clone(), val.clone());
            }
            Err(e) if e.message.contains("unknown field") => {
                if !CLIENT_KEYS.contains(&key.as_str()) {
                    out.warnings
                        .push(format!("{origin}: unknown setting `{key}` ignored"));
                }
            }
            Err(e) => out.errors.push(format!("{origin}: `{key}`: {}", e.message)),
        }
    }
    match Options::from_json(&Value::Object(known)) {
        Ok(options) => {
            // Validate values (selectors, severities, globs) now, so that
            // the user hears about a typo once, at the source.
            if let Err(e) = options.resolve(None, None) {
                out.errors.push(format!("{origin}: {}", e.message));
            } else {
                out.options = options;
            }
        }
        Err(e) => out.errors.push(format!("{origin}: {}", e.message)),
    }
    out
}

#[derive(Default)]
pub struct ConfigState {
    pub init: EditorSettings,
    pub pulled: Option<EditorSettings>,
    /// Parsed project files, by path.
    files: HashMap<PathBuf, Result<Options, ConfigError>>,
}

/// The settings for one document and the problems met on the way.
pub struct Resolved {
    pub settings: Arc<Settings>,
    pub config_file: Option<PathBuf>,
    /// Where module names start (`src` of the project file or the editor).
    pub source_roots: Vec<PathBuf>,
    pub errors: Vec<String>,
}

impl ConfigState {
    /// Editor options: initializationOptions overridden by the pulled
    /// workspace configuration.
    pub fn editor_options(&self) -> Options {
        match &self.pulled {
            Some(p) => self.init.options.merged_with(&p.options),
            None => self.init.options.clone(),
        }
    }

    /// Forget parsed project files (one changed on disk).
    pub fn invalidate_files(&mut self) {
        self.files.clear();
    }

    pub fn resolve(&mut self, path: Option<&Path>, fallback_root: Option<&Path>) -> Resolved {
        let mut errors = Vec::new();
        let start = path.or(fallback_root);
        let config_file = start.and_then(find_config_file);
        let project = match &config_file {
            Some(file) => {
                let entry = self
                    .files
                    .entry(file.clone())
                    .or_insert_with(|| load_options(file));
                match entry {
                    Ok(options) => options.clone(),
                    Err(e) => {
                        errors.push(format!("{e}; using the defaults for this file's settings"));
                        Options::default()
                    }
                }
            }
            None => Options::default(),
        };
        let editor = self.editor_options();
        let merged = project.merged_with(&editor);
        let source_roots =
            dunderls_workspace::config::source_roots(config_file.as_deref(), &merged);
        let base = config_file.as_deref().and_then(Path::parent);
        let resolved = match merged.resolve(config_file.as_deref(), base) {
            Ok(r) => r,
            Err(e) => {
                errors.push(format!("{e}; falling back"));
                project
                    .resolve(config_file.as_deref(), base)
                    .or_else(|_| editor.resolve(None, None))
                    .unwrap_or_default()
            }
        };
        let settings = match path {
            Some(p) => resolved.settings_for(p),
            None => resolved.settings.clone(),
        };
        Resolved {
            settings: Arc::new(settings),
            config_file,
            source_roots,
            errors,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn editor_settings_sections_and_errors() {
        let s = parse_editor_settings(
            &json!({"dunderls": {"ignore": ["DUN401"], "trace": {"server": "off"}}}),
            "init",
        );
        assert!(s.errors.is_empty(), "{:?}", s.errors);
        assert!(s.warnings.is_empty(), "{:?}", s.warnings);
        assert_eq!(s.options.ignore, Some(vec!["DUN401".to_string()]));
        let s = parse_editor_settings(&json!({"select": ["DUN999"], "bogus": 1}), "cfg");
        assert_eq!(s.errors.len(), 1, "{:?}", s.errors);
        assert!(s.errors[0].contains("DUN999"));
        assert_eq!(s.warnings.len(), 1);
        let s = parse_editor_settings(&json!({"extendSelect": ["DUN4"]}), "cfg");
        assert!(s.errors.is_empty(), "{:?}", s.errors);
        assert_eq!(s.options.extend_select, Some(vec!["DUN4".to_string()]));
        assert!(parse_editor_settings(&Value::Null, "x").errors.is_empty());
    }

    #[test]
    fn editor_overrides_project_key_by_key() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            dir.path().join("pyproject.toml"),
            "[tool.dunderls]\nignore = [\"DUN401\"]\nseverity = { DUN401 = \"error\" }\n",
        )
        .expect("write");
        let file = dir.path().join("a.py");
        let mut state = ConfigState::default();
        let r = state.resolve(Some(&file), None);
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        assert!(!r
            .settings
            .enabled_rules()
            .iter()
            .any(|x| x.code == "DUN401"));
        state.init = parse_editor_settings(&json!({"ignore": []}), "init");
        let r = state.resolve(Some(&file), None);
        assert!(r
            .settings
            .enabled_rules()
            .iter()
            .any(|x| x.code == "DUN401"));
        // The project's severity key still applies.
        assert_eq!(
            r.settings.severity.get("DUN401"),
            Some(&dunderls_linter::Severity::Error)
        );
        // A broken project file is reported, not ignored silently.
        std::fs::write(
            dir.path().join("pyproject.toml"),
            "[tool.dunderls]\nselekt = 1\n",
        )
        .expect("write");
        state.invalidate_files();
        let r = state.resolve(Some(&file), None);
        assert_eq!(r.errors.len(), 1);
        assert!(r.errors[0].contains("selekt"), "{:?}", r.errors);
    }
}
