#!/usr/bin/env bash
# Runs every test of the project; `.ci/run` calls exactly this.
# Needs only the Rust toolchain and python3: the test virtualenv (NumPy for
# the NumPy examples, Neovim for the editor test) is created here.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "test virtualenv (.venv)"
if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r tests/requirements.txt

step "build"
cargo build --workspace --all-targets --locked

step "cargo test"
cargo test --workspace --locked --no-fail-fast

step "formatting and lints"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings

step "generated docs are up to date"
if [ -x target/debug/dunderls ] && [ -d docs ] && [ -f docs/rules/README.md ]; then
    : # checked by a cargo test (docs_up_to_date)
fi

if [ -f editors/vscode/ci.sh ]; then
    step "VS Code extension: typecheck, unit tests, package"
    bash editors/vscode/ci.sh
fi

if [ -f editors/nvim/test/run.sh ]; then
    step "Neovim end-to-end"
    bash editors/nvim/test/run.sh
fi

step "all tests passed"
