//! Findings -> LSP diagnostics.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::OnceLock;

use dunderls_linter::{Applicability, Severity};
use serde_json::json;
use tower_lsp_server::ls_types::{
    CodeDescription, Diagnostic, DiagnosticSeverity, DiagnosticTag, NumberOrString, Uri,
};

use crate::analysis::Finding;

pub const SOURCE: &str = "dunderls";

pub fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Information => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}

/// `codeDescription.href` per rule code, parsed once.
fn rule_urls() -> &'static HashMap<&'static str, Uri> {
    static URLS: OnceLock<HashMap<&'static str, Uri>> = OnceLock::new();
    URLS.get_or_init(|| {
        dunderls_linter::all_rules()
            .iter()
            .filter_map(|r| Uri::from_str(&r.url()).ok().map(|u| (r.code, u)))
            .collect()
    })
}

/// Tags that follow from the rule's nature (kept generic: by name).
fn tags(name: &str) -> Option<Vec<DiagnosticTag>> {
    let mut tags = Vec::new();
    if name.starts_with("unnecessary-")
        || name.starts_with("unused-")
        || name.starts_with("redundant-")
    {
        tags.push(DiagnosticTag::UNNECESSARY);
    }
    if name.contains("deprecated") {
        tags.push(DiagnosticTag::DEPRECATED);
    }
    (!tags.is_empty()).then_some(tags)
}

/// The LSP diagnostic. `data` carries what the code-action handler needs to
/// find the finding again in an exact analysis (code and name, fix title
/// and applicability).
pub fn to_lsp(finding: &Finding) -> Diagnostic {
    let d = &finding.diag;
    let fix = d.fix.as_ref().map(|f| {
        json!({
            "title": f.title,
            "applicability": match f.applicability {
                Applicability::Safe => "safe",
                Applicability::Unsafe => "unsafe",
            },
        })
    });
    Diagnostic {
        range: finding.range,
        severity: Some(severity(d.severity)),
        code: Some(NumberOrString::String(d.code.to_string())),
        code_description: rule_urls()
            .get(d.code)
            .map(|href| CodeDescription { href: href.clone() }),
        source: Some(SOURCE.to_string()),
        message: d.message.clone(),
        related_information: None,
        tags: tags(d.name),
        data: Some(json!({ "code": d.code, "name": d.name, "fix": fix })),
    }
}

/// Whether two finding lists would show the same diagnostics.
pub fn same(a: &[Finding], b: &[Finding]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            x.range == y.range
                && x.diag.code == y.diag.code
                && x.diag.message == y.diag.message
                && x.diag.severity == y.diag.severity
        })
}

/// A hash of what a list of findings shows (pull result ids).
pub fn fingerprint(diagnostics: &[dunderls_linter::Diagnostic]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for d in diagnostics {
        (d.code, &d.range, &d.message, format!("{:?}", d.severity)).hash(&mut hasher);
    }
    hasher.finish()
}

/// The JSON of a finding's diagnostic after its range (`"severity":...}`),
/// cached in the finding.
fn json_tail(finding: &Finding) -> &str {
    finding.json_tail.get_or_init(|| {
        let mut d = to_lsp(finding);
        d.range = Default::default();
        let full = serde_json::to_string(&d).unwrap_or_default();
        let range = serde_json::to_string(&d.range).unwrap_or_default();
        // `{"range":<range>,<tail>`: keep `<tail>`.
        let prefix = format!("{{\"range\":{range},");
        full.strip_prefix(&prefix)
            .map(str::to_string)
            .unwrap_or_default()
    })
}

/// A complete `textDocument/publishDiagnostics` message (JSON-RPC frame
/// included), built from the cached per-finding JSON: publishing on every
/// keystroke costs a string concatenation instead of building and
/// serialising a few thousand JSON values.
pub fn publish_frame(uri: &Uri, version: Option<i32>, findings: &[Finding]) -> Vec<u8> {
    let mut body = String::with_capacity(96 + findings.len() * 400);
    body.push_str(
        r#"{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":"#,
    );
    body.push_str(&serde_json::to_string(uri.as_str()).unwrap_or_else(|_| "\"\"".into()));
    body.push_str(r#","diagnostics":["#);
    for (i, f) in findings.iter().enumerate() {
        if i > 0 {
            body.push(',');
        }
        let tail = json_tail(f);
        if tail.is_empty() {
            // Never expected; fall back to the slow path for this one.
            body.push_str(&serde_json::to_string(&to_lsp(f)).unwrap_or_default());
            continue;
        }
        let r = &f.range;
        body.push_str(&format!(
            r#"{{"range":{{"start":{{"line":{},"character":{}}},"end":{{"line":{},"character":{}}}}},"#,
            r.start.line, r.start.character, r.end.line, r.end.character
        ));
        body.push_str(tail);
    }
    match version {
        Some(v) => body.push_str(&format!(r#"],"version":{v}}}}}"#)),
        None => body.push_str("]}}"),
    }
    let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    frame.extend_from_slice(body.as_bytes());
    frame
}

#[cfg(test)]
mod tests {
    use super::*;
    use dunderls_linter::{check_source, Settings};
    use dunderls_python::{LineIndex, PositionEncoding};

    #[test]
    fn the_fast_publish_json_equals_the_serialised_structs() {
        let src = "class A:\n    def __eq__(self, o):\n        return self.x == o.x\nclass B:\n    def __eq__(self, o):\n        return 1\n";
        let index = LineIndex::new(src);
        let pos = crate::position::TextPositions::new(src, &index, PositionEncoding::Utf16);
        let findings: Vec<Finding> = check_source(src, &Settings::default())
            .diagnostics
            .into_iter()
            .map(|d| {
                let range = pos.range(&d.range);
                Finding::new(d, range)
            })
            .collect();
        assert_eq!(findings.len(), 2);
        let uri: Uri = "file:///a%20b/%C3%A9.py".parse().expect("uri");
        let frame = publish_frame(&uri, Some(7), &findings);
        let text = String::from_utf8(frame).expect("utf-8");
        let (header, body) = text.split_once("\r\n\r\n").expect("header");
        assert_eq!(header, format!("Content-Length: {}", body.len()));
        let got: serde_json::Value = serde_json::from_str(body).expect("json");
        let params = tower_lsp_server::ls_types::PublishDiagnosticsParams::new(
            uri,
            findings.iter().map(to_lsp).collect(),
            Some(7),
        );
        let want = json!({"jsonrpc": "2.0", "method": "textDocument/publishDiagnostics", "params": params});
        assert_eq!(got, want);
    }
}
