//! The dunderls language server (placeholder until the server lands).

/// Serve LSP over stdin/stdout; returns the process exit code.
pub fn run_stdio() -> u8 {
    eprintln!("dunderls server: not available in this build");
    2
}
