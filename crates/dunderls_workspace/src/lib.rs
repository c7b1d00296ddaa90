//! Many files: discovering Python files, finding and reading configuration,
//! and (later) the cross-file class index.

pub mod config;
pub mod discovery;
pub mod index;

pub use config::{ConfigError, Options, ResolvedConfig};
pub use discovery::discover_python_files;
pub use index::{module_name_for, ModuleEntry, ProjectIndex};
