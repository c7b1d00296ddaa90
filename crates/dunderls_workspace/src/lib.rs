//! Many files: discovering Python files, finding and reading configuration,
//! and (later) the cross-file class index.

pub mod config;
pub mod discovery;

pub use config::{ConfigError, Options, ResolvedConfig};
pub use discovery::discover_python_files;
