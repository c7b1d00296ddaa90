use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Finds bugs in how Python code implements special ("dunder") methods.
#[derive(Debug, Parser)]
#[command(name = "dunderls", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check Python files and print findings.
    Check(CheckArgs),
    /// List all rules.
    Rules(RulesArgs),
    /// Print a rule's documentation (by code or name).
    Explain(ExplainArgs),
    /// Run the language server over stdin/stdout.
    Server,
    /// Regenerate docs/ from the rule documentation and the data model.
    #[command(hide = true)]
    GenerateDocs(GenerateDocsArgs),
}

#[derive(Debug, Args)]
pub struct GenerateDocsArgs {
    /// The repository root (docs/ is written below it).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Only report out-of-date files (exit 1 if any).
    #[arg(long)]
    pub check: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum OutputFormat {
    /// Each finding with a source snippet.
    #[default]
    Full,
    /// One line per finding.
    Concise,
    /// A JSON array in ruff's shape.
    Json,
    /// GitHub Actions workflow commands.
    Github,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or folders to check (default: the current folder).
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t)]
    pub output_format: OutputFormat,
    /// Only these rules (codes, prefixes like DUN4, names, or ALL); comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub select: Option<Vec<String>>,
    /// Rules to add to the selection.
    #[arg(long, value_delimiter = ',')]
    pub extend_select: Option<Vec<String>>,
    /// Rules to skip.
    #[arg(long, value_delimiter = ',')]
    pub ignore: Option<Vec<String>>,
    /// Print the number of findings per rule instead of the findings.
    #[arg(long)]
    pub statistics: bool,
    /// Apply safe fixes in place.
    #[arg(long)]
    pub fix: bool,
    /// With --fix, apply unsafe fixes too.
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Exit 0 even when there are findings.
    #[arg(long)]
    pub exit_zero: bool,
    /// Use this config file instead of discovering pyproject.toml/dunderls.toml.
    #[arg(long)]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[arg(long, value_enum, default_value = "full")]
    pub output_format: RulesFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Full,
    Json,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A rule code (DUN401) or name (eq-without-hash).
    pub rule: String,
}
