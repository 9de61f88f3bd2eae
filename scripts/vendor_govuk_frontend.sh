#!/usr/bin/env bash
# Vendor the front-end assets fairload's web app serves as static files:
#
#   govuk-frontend  -> src/fairload/web/static/govuk/
#                        govuk-frontend.min.css  (modified, see below)
#                        govuk-frontend.min.js   (an ES module: load with <script type="module">)
#                        LICENSE.txt             (MIT)
#                        VERSION
#   htmx.org (2.x)  -> src/fairload/web/static/fairload/
#                        htmx.min.js             (verbatim)
#                        htmx.LICENSE.txt        (0BSD, the package's LICENSE)
#                        htmx.VERSION
#
# Both packages are fetched with `npm pack` (the ordinary npm client, pinned version,
# integrity checked) into a temporary directory that is removed on exit. Nothing is
# installed globally and nothing but the files above is left in the repository.
#
# What is deliberately NOT vendored, and why (see docs/frontend.md):
#   * dist/govuk/assets/fonts/*   - GDS Transport is licensed for GOV.UK only.
#   * dist/govuk/assets/images/*  - every image in the package is GOV.UK branding
#     (favicon/app icons and mask icon = the GOV.UK crown, govuk-crest.svg = the
#     royal coat of arms, the Open Graph image = the GOV.UK logotype), which only
#     GOV.UK may use. fairload ships its own favicon inline in base.html.
#   * dist/govuk/assets/manifest.json - it only lists those GOV.UK icons.
#   * *.map source maps - the CSS is modified (so its map would lie) and Django's
#     ManifestStaticFilesStorage fails collectstatic on a sourceMappingURL whose
#     file is missing, so the sourceMappingURL comments are stripped instead.
#
# How the compiled CSS is changed (it is prebuilt, so we cannot set $govuk-font-family
# in Sass; this is the equivalent done on the output, and checked afterwards):
#   1. the two `@font-face{font-family:GDS Transport;...}` rules are deleted, so the
#      browser never requests /assets/fonts/*.woff2 files that do not exist;
#   2. every `font-family:GDS Transport,arial,sans-serif` (the value of
#      $govuk-font-family in the build) becomes
#      `font-family:var(--fl-font-family,<system font stack>)`; fairload.css sets
#      --fl-font-family on :root, and the fallback is the same stack, so the CSS
#      works on its own too;
#   3. the `.govuk-footer__copyright-logo:before` rules (which draw the royal crest
#      from /assets/images/govuk-crest.svg) are deleted; fairload's footer does
#      not use that class anyway;
#   4. the sourceMappingURL comment is removed and a banner comment recording the
#      version, licence and these changes is prepended.
# The script fails if any `GDS Transport` or `/assets/` reference survives.
#
# Updating: change the versions (and the integrity strings, from
# `npm pack --dry-run --json govuk-frontend@X.Y.Z`) below, run this script, read
# the diff of src/fairload/web/static/ and the govuk-frontend release notes (class
# names used by templates/base.html and templates/includes/ can change between
# majors), then update docs/frontend.md.
#
# Usage: scripts/vendor_govuk_frontend.sh     (from anywhere; needs node + npm)
set -euo pipefail

GOVUK_FRONTEND_VERSION="6.6.0"
GOVUK_FRONTEND_INTEGRITY="sha512-xctkWrQvLnvQt7fyjQ3MGX9S0wz0x0RQuLxCeoXF+s8EjGICG81/DYQGKN5qgO+0KVT12UAaRwUsGY6fulRcRg=="
HTMX_VERSION="2.0.11"
HTMX_INTEGRITY="sha512-Thx/WtpeOQqSrqBCw/A1cwGJGg4UrVa3+sW0GmrM3p4gJgO89ecH4qtbnyzDDWFvBTqjnIMCgELTNt636dtamA=="

# The font stack that replaces GDS Transport. Keep in step with fairload.css.
FONT_STACK='system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif'

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
static_dir="$repo_root/src/fairload/web/static"
govuk_out="$static_dir/govuk"
fairload_out="$static_dir/fairload"

command -v npm >/dev/null || { echo "vendor: npm is required" >&2; exit 1; }
command -v node >/dev/null || { echo "vendor: node is required" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# pack SPEC EXPECTED_INTEGRITY DEST_DIR: npm pack into $work, check the integrity
# npm reports against the pinned one, extract into DEST_DIR (as DEST_DIR/package).
pack() {
  local spec="$1" expected="$2" dest="$3" json got file
  json="$(cd "$work" && npm pack --json --ignore-scripts --pack-destination "$work" "$spec" 2>/dev/null)"
  got="$(printf '%s' "$json" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s)[0];console.log(j.integrity+" "+j.filename)})')"
  file="${got#* }"
  got="${got%% *}"
  if [[ "$got" != "$expected" ]]; then
    echo "vendor: integrity mismatch for $spec" >&2
    echo "  expected $expected" >&2
    echo "  got      $got" >&2
    exit 1
  fi
  mkdir -p "$dest"
  tar -xzf "$work/$file" -C "$dest"
}

echo "vendor: fetching govuk-frontend@$GOVUK_FRONTEND_VERSION and htmx.org@$HTMX_VERSION"
pack "govuk-frontend@$GOVUK_FRONTEND_VERSION" "$GOVUK_FRONTEND_INTEGRITY" "$work/govuk"
pack "htmx.org@$HTMX_VERSION" "$HTMX_INTEGRITY" "$work/htmx"

gsrc="$work/govuk/package"
hsrc="$work/htmx/package"

# ---------------------------------------------------------------- govuk-frontend
rm -rf "$govuk_out"
mkdir -p "$govuk_out"

GOVUK_FRONTEND_VERSION="$GOVUK_FRONTEND_VERSION" FONT_STACK="$FONT_STACK" \
node - "$gsrc/dist/govuk" "$govuk_out" <<'JS'
const fs = require("fs");
const path = require("path");
const [src, out] = process.argv.slice(2);
const version = process.env.GOVUK_FRONTEND_VERSION;
const stack = process.env.FONT_STACK;
const fail = (msg) => { console.error("vendor: " + msg); process.exit(1); };

// ---- CSS
let css = fs.readFileSync(path.join(src, "govuk-frontend.min.css"), "utf8");

// 1. the Transport @font-face rules
const fontFace = /@font-face\{[^{}]*font-family:\s*["']?GDS Transport["']?[^{}]*\}/g;
const nFontFace = (css.match(fontFace) || []).length;
if (nFontFace === 0) fail("no GDS Transport @font-face found: has the build changed?");
css = css.replace(fontFace, "");

// 2. the font stack ($govuk-font-family as compiled)
const family = /font-family:\s*["']?GDS Transport["']?,\s*arial,\s*sans-serif/g;
const nFamily = (css.match(family) || []).length;
if (nFamily === 0) fail("no `GDS Transport,arial,sans-serif` font-family found: has the build changed?");
css = css.replace(family, `font-family:var(--fl-font-family,${stack})`);

// 3. the royal crest drawn by the footer copyright logo: every
// `.govuk-footer__copyright-logo:before{...}` rule, wherever it sits (6.x has one at
// top level, one in @supports(mask-position) and one in a forced-colors @media inside
// that); the @supports/@media wrappers are left empty, which is valid CSS.
const crestRule = /\.govuk-footer__copyright-logo:before\{[^{}]*\}/g;
const nCrest = (css.match(crestRule) || []).length;
css = css.replace(crestRule, "");

// 4. source map comment
css = css.replace(/\/\*#\s*sourceMappingURL=[^*]*\*\/\s*$/, "");

if (/GDS Transport/i.test(css)) fail("a GDS Transport reference survived in the CSS");
if (/\/assets\//.test(css)) fail("an /assets/ url() survived in the CSS: " + css.match(/.{80}\/assets\/.{40}/)[0]);
if (/sourceMappingURL/.test(css)) fail("a sourceMappingURL survived in the CSS");

const cssBanner =
  `/*! govuk-frontend ${version} | MIT licence, see LICENSE.txt | (C) Crown Copyright (Government Digital Service)\n` +
  ` * Modified for fairload by scripts/vendor_govuk_frontend.sh: GDS Transport @font-face rules removed,\n` +
  ` * font stack replaced by var(--fl-font-family,<system fonts>), crest (copyright logo) rules removed,\n` +
  ` * source map comment removed. */\n`;
// @charset must stay the very first thing in the file, so the banner goes after it.
const charset = css.match(/^@charset "[^"]*";/);
css = charset ? charset[0] + "\n" + cssBanner + css.slice(charset[0].length) : cssBanner + css;
fs.writeFileSync(path.join(out, "govuk-frontend.min.css"), css.trimEnd() + "\n");
console.log(`vendor: css: removed ${nFontFace} @font-face, replaced ${nFamily} font stacks, removed ${nCrest} copyright-logo crest rules`);

// ---- JS (an ES module: `export{...,initAll,...}`)
let js = fs.readFileSync(path.join(src, "govuk-frontend.min.js"), "utf8");
if (!/export\s*\{[^}]*\binitAll\b/.test(js)) fail("govuk-frontend.min.js no longer exports initAll");
js = js.replace(/\/\/#\s*sourceMappingURL=\S*\s*$/, "");
if (/sourceMappingURL/.test(js)) fail("a sourceMappingURL survived in the JS");
if (/\/assets\//.test(js)) fail("the JS references /assets/");
const jsBanner = `/*! govuk-frontend ${version} | MIT licence, see LICENSE.txt | (C) Crown Copyright (Government Digital Service) | ES module; source map comment removed */\n`;
fs.writeFileSync(path.join(out, "govuk-frontend.min.js"), jsBanner + js.trimEnd() + "\n");

// ---- licence check: the package says MIT in package.json
const pkg = JSON.parse(fs.readFileSync(path.join(src, "..", "..", "package.json"), "utf8"));
if (pkg.version !== version) fail(`package.json says ${pkg.version}, expected ${version}`);
if (pkg.license !== "MIT") fail(`govuk-frontend's licence is now ${pkg.license}: review before vendoring`);
JS

# LICENSE.txt: the npm tarball of govuk-frontend 5.x/6.x ships no licence file (only
# "license": "MIT" in package.json, checked above), so use the package's own file if a
# future release adds one, and otherwise the project's LICENSE.txt from the
# alphagov/govuk-frontend repository, reproduced verbatim here.
shopt -s nullglob
lic=("$gsrc"/LICEN[CS]E* "$gsrc"/licen[cs]e*)
shopt -u nullglob
if (( ${#lic[@]} )); then
  cp "${lic[0]}" "$govuk_out/LICENSE.txt"
else
  cat > "$govuk_out/LICENSE.txt" <<'LICENSE'
The MIT License (MIT)

Copyright (C) 2017 Crown Copyright (Government Digital Service)

Permission is hereby granted, free of charge, to any person obtaining a copy of
this software and associated documentation files (the "Software"), to deal in
the Software without restriction, including without limitation the rights to
use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies
of the Software, and to permit persons to whom the Software is furnished to do
so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
LICENSE
fi
printf '%s\n' "$GOVUK_FRONTEND_VERSION" > "$govuk_out/VERSION"

# ---------------------------------------------------------------------- htmx.org
mkdir -p "$fairload_out"
rm -f "$fairload_out/htmx.min.js" "$fairload_out/htmx.LICENSE.txt" "$fairload_out/htmx.VERSION"
hver="$(node -p 'require(process.argv[1]).version' "$hsrc/package.json")"
[[ "$hver" == "$HTMX_VERSION" ]] || { echo "vendor: htmx package.json says $hver" >&2; exit 1; }
[[ -f "$hsrc/LICENSE" ]] || { echo "vendor: htmx.org ships no LICENSE" >&2; exit 1; }
if grep -q sourceMappingURL "$hsrc/dist/htmx.min.js"; then
  echo "vendor: htmx.min.js now has a sourceMappingURL: strip it or vendor the map" >&2
  exit 1
fi
cp "$hsrc/dist/htmx.min.js" "$fairload_out/htmx.min.js"
cp "$hsrc/LICENSE" "$fairload_out/htmx.LICENSE.txt"
printf '%s\n' "$HTMX_VERSION" > "$fairload_out/htmx.VERSION"

# ----------------------------------------------------------------------- report
echo "vendor: wrote (bytes):"
( cd "$static_dir" && wc -c govuk/* fairload/htmx.* | sed 's/^/  /' )
