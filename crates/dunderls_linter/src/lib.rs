//! The dunderls rules and everything needed to run them on one file:
//! the registry, diagnostics and fixes, `# noqa` suppression, settings, the
//! class hierarchy view rules use for bases, and rule documentation.

pub mod checker;
pub mod diagnostic;
pub mod docs;
pub mod fix;
pub mod hierarchy;
pub mod mro;
pub mod noqa;
pub mod registry;
pub mod rule;
mod rules;
pub mod settings;

pub use checker::{check_module, check_source, CheckResult, Checker};
pub use diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
pub use hierarchy::{ClassIndex, ClassSummary, NoIndex};
pub use registry::{all_rules, rule_by_code_or_name};
pub use rule::{FixAvailability, Group, Rule};
pub use settings::{RuleOptions, RuleSelector, Settings};

/// Base URL of the generated rule pages (docs/rules/<CODE>.md in the repo).
pub const DOCS_BASE_URL: &str = "https://github.com/dunderls/dunderls/blob/main/docs/rules";
