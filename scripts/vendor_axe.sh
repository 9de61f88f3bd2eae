#!/usr/bin/env bash
# Vendor axe-core's browser script for the accessibility tests:
#
#   axe-core -> tests/browser/vendor/axe-core/
#                 axe.min.js   (verbatim from the npm package)
#                 LICENSE      (MPL-2.0, the package's own file, verbatim)
#                 VERSION      (the version, one line)
#
# tests/browser/test_accessibility.py injects axe.min.js into each main page and fails
# on any serious or critical WCAG 2.x A/AA violation. It is a test tool, never served
# by the app, so it lives under tests/ rather than src/fairload/web/static/.
#
# The tarball is fetched with `npm pack` (the ordinary npm client, exact version) into
# a temporary directory that is removed on exit; nothing is installed. Its sha512 is
# computed here from the tarball's bytes and must equal both the integrity pinned
# below and the one the registry publishes (`npm view axe-core@V dist.integrity`).
#
# Updating: set AXE_VERSION, put `npm view axe-core@V dist.integrity` in
# AXE_INTEGRITY, run this script, read the diff and the axe-core release notes (new
# rules may find new violations), then run `pytest tests/browser`.
#
# Usage: scripts/vendor_axe.sh     (from anywhere; needs node + npm)
set -euo pipefail

AXE_VERSION="4.14.1"
AXE_INTEGRITY="sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$repo_root/tests/browser/vendor/axe-core"

command -v npm >/dev/null || { echo "vendor_axe: npm is required" >&2; exit 1; }
command -v node >/dev/null || { echo "vendor_axe: node is required" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

spec="axe-core@$AXE_VERSION"
echo "vendor_axe: fetching $spec"
published="$(cd "$work" && npm view "$spec" dist.integrity 2>/dev/null)"
if [[ "$published" != "$AXE_INTEGRITY" ]]; then
  echo "vendor_axe: the registry's integrity for $spec is not the pinned one" >&2
  echo "  pinned    $AXE_INTEGRITY" >&2
  echo "  published ${published:-(none)}" >&2
  exit 1
fi

(cd "$work" && npm pack --ignore-scripts --silent --pack-destination "$work" "$spec" >/dev/null 2>&1)
tarball="$work/axe-core-$AXE_VERSION.tgz"
[[ -f "$tarball" ]] || { echo "vendor_axe: npm pack did not write $tarball" >&2; exit 1; }

# The Subresource-Integrity form npm uses: "sha512-" + base64 of the tarball's digest.
got="sha512-$(node -e '
  const crypto = require("crypto"), fs = require("fs");
  process.stdout.write(crypto.createHash("sha512").update(fs.readFileSync(process.argv[1])).digest("base64"));
' "$tarball")"
if [[ "$got" != "$AXE_INTEGRITY" ]]; then
  echo "vendor_axe: integrity mismatch for $spec" >&2
  echo "  expected $AXE_INTEGRITY" >&2
  echo "  got      $got" >&2
  exit 1
fi

mkdir -p "$work/x"
tar -xzf "$tarball" -C "$work/x"
src="$work/x/package"

# The licence must still be MPL-2.0, in package.json and in the file we copy.
license="$(node -e 'process.stdout.write(require(process.argv[1]).license || "")' "$src/package.json")"
[[ "$license" == "MPL-2.0" ]] || { echo "vendor_axe: licence is now '$license', not MPL-2.0" >&2; exit 1; }
grep -q "Mozilla Public License" "$src/LICENSE" \
  || { echo "vendor_axe: LICENSE is not the Mozilla Public License" >&2; exit 1; }
# The script must carry the version we asked for.
node -e '
  const src = require("fs").readFileSync(process.argv[1], "utf8");
  if (!src.includes(process.argv[2])) { console.error("vendor_axe: axe.min.js does not carry version " + process.argv[2]); process.exit(1); }
' "$src/axe.min.js" "$AXE_VERSION"

rm -rf "$out"
mkdir -p "$out"
cp "$src/axe.min.js" "$out/axe.min.js"
cp "$src/LICENSE" "$out/LICENSE"
printf '%s\n' "$AXE_VERSION" >"$out/VERSION"

echo "vendor_axe: wrote $spec (MPL-2.0) to ${out#"$repo_root"/}:"
for f in axe.min.js LICENSE VERSION; do
  printf '  %-11s %9s bytes\n' "$f" "$(wc -c <"$out/$f" | tr -d ' ')"
done
