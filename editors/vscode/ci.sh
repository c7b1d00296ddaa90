#!/usr/bin/env bash
# CI for the VS Code extension: clean install, typecheck, unit + smoke tests,
# package the .vsix and check its contents. Exits non-zero on any failure.
# Usage: bash editors/vscode/ci.sh   (from anywhere)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

step() { printf '\n==> %s\n' "$*"; }

command -v node >/dev/null || { echo "ci.sh: node is not installed" >&2; exit 1; }
command -v npm >/dev/null || { echo "ci.sh: npm is not installed" >&2; exit 1; }
node -e 'const [maj] = process.versions.node.split(".").map(Number); if (maj < 20) { console.error(`ci.sh: Node >= 20 required, found ${process.version}`); process.exit(1); }'
echo "node $(node --version), npm $(npm --version)"

step "npm ci"
npm ci --no-audit --no-fund

step "npm run typecheck"
npm run typecheck

step "npm test"
npm test

step "npm run package"
version="$(node -p 'require("./package.json").version')"
vsix="dunderls-${version}.vsix"
rm -f ./*.vsix
npm run package

step "check ${vsix}"
[ -s "$vsix" ] || { echo "ci.sh: $vsix was not produced" >&2; exit 1; }
# List the archive with Node (vsce's own zip reader), so unzip is not required.
listing="$(node -e '
  const yauzl = require("yauzl");
  yauzl.open(process.argv[1], { lazyEntries: true }, (err, zip) => {
    if (err) { console.error(err.message); process.exit(1); }
    const names = [];
    zip.on("entry", (e) => { names.push(e.fileName); zip.readEntry(); });
    zip.on("end", () => console.log(names.sort().join("\n")));
    zip.on("error", (e) => { console.error(e.message); process.exit(1); });
    zip.readEntry();
  });
' "$vsix")"
echo "$listing"
expected="$(printf '%s\n' '[Content_Types].xml' extension.vsixmanifest extension/LICENSE.txt extension/dist/extension.js extension/package.json extension/readme.md | LC_ALL=C sort)"
grep -qx 'extension/dist/extension.js' <<<"$listing" || { echo "ci.sh: $vsix lacks extension/dist/extension.js" >&2; exit 1; }
if [ "$(LC_ALL=C sort <<<"$listing")" != "$expected" ]; then
  echo "ci.sh: unexpected files in $vsix; expected exactly:" >&2
  echo "$expected" >&2
  exit 1
fi
echo "vscode extension CI OK: $(pwd)/$vsix"
