#!/usr/bin/env bash
# Installs a built browser half into the site folder under content-hashed names, atomically.
#
#   scripts/install-site.sh BUILT_DIR CSS_FILE SITE_DIR
#
# BUILT_DIR holds wasm-bindgen's portico.js and portico_bg.wasm (after wasm-opt) and, when the wasm
# was split at its lazy routes, __wasm_split.js and the chunks it loads. The site gets
#   pkg/<h>/portico.js, pkg/<h>/portico_bg.wasm, pkg/<h>/...   (h: the hash of every built file)
#   pkg/portico.<c>.css                                       (c: the hash of the stylesheet)
# each with a .gz and a .br beside it (scripts/brotli.mjs), and site/files.txt naming them, which the server reads. One folder a
# build, because the files name each other by relative paths (the JS its wasm and the splitter's
# loader, the loader the chunks): a new build is a new folder, so no name ever changes meaning.
# Everything is written under temporary names and renamed into place, files.txt last: a server
# never sees a half-written file, and pages already loaded keep their old files — the last 3 builds
# are kept. Unchanged content keeps its name, so nothing is rewritten. Prints the sizes (raw and gzip).
set -euo pipefail
built=$1 css=$2 site=$3
pkg="$site/pkg"
mkdir -p "$pkg"

hash_of() { cat "$@" | sha256sum | cut -c1-16; }
# The names go into the hash too: a renamed chunk is a different build.
app_hash=$( (cd "$built" && find . -maxdepth 1 -type f -printf '%f\n' | LC_ALL=C sort | while read -r f; do echo "$f"; cat "$f"; done) | sha256sum | cut -c1-16)
css_hash=$(hash_of "$css")
app="$app_hash/portico"
style="portico.$css_hash.css"

if [ ! -s "$pkg/$app_hash/portico_bg.wasm.br" ]; then
  rm -rf "$pkg/.$app_hash.tmp"
  mkdir -p "$pkg/.$app_hash.tmp"
  for f in "$built"/*; do
    [ -f "$f" ] || continue
    name=$(basename "$f")
    cp "$f" "$pkg/.$app_hash.tmp/$name"
    gzip -9 -c "$f" > "$pkg/.$app_hash.tmp/$name.gz"
  done
  find "$pkg/.$app_hash.tmp" -maxdepth 1 -type f ! -name '*.gz' -print0 | xargs -0 -r -n 400 -P 2 node "$(dirname "$0")/brotli.mjs"
  rm -rf "$pkg/$app_hash"
  mv "$pkg/.$app_hash.tmp" "$pkg/$app_hash"
fi
if [ ! -s "$pkg/$style" ] || [ ! -s "$pkg/$style.gz" ] || [ ! -s "$pkg/$style.br" ]; then
  cp "$css" "$pkg/.$style.tmp"
  gzip -9 -c "$css" > "$pkg/.$style.gz.tmp"
  node "$(dirname "$0")/brotli.mjs" "$pkg/.$style.tmp"
  mv -f "$pkg/.$style.tmp.br" "$pkg/$style.br"
  mv -f "$pkg/.$style.gz.tmp" "$pkg/$style.gz"
  mv -f "$pkg/.$style.tmp" "$pkg/$style"
fi

printf 'app: %s\ncss: %s\n' "$app" "$style" > "$site/.files.txt.tmp"
mv -f "$site/.files.txt.tmp" "$site/files.txt"

# Keep what the last 3 builds named; older builds go. history lists one build per line.
history="$site/.builds"
{ grep -v -x -F "$app_hash $style" "$history" 2>/dev/null || true; echo "$app_hash $style"; } | tail -n 3 > "$history.tmp"
mv -f "$history.tmp" "$history"
keep=$(tr ' ' '\n' < "$history")
for f in "$pkg"/*; do
  [ -e "$f" ] || continue
  base=$(basename "$f")
  stem=${base%.gz}
  stem=${stem%.br}
  # Site files of other kinds (none today) are not this script's to remove.
  [[ -d "$f" && "$base" =~ ^[0-9a-f]{16}$ ]] || [[ "$stem" =~ ^portico[._] ]] || continue
  if ! grep -q -x -F "$stem" <<<"$keep"; then rm -rf "$f"; fi
done

size() { stat -c %s "$1"; }
dir="$pkg/$app_hash"
chunks_raw=0 chunks_gz=0 chunks=0
for w in "$dir"/*.wasm; do
  [ "$(basename "$w")" = portico_bg.wasm ] && continue
  [ -e "$w" ] || continue
  chunks=$((chunks + 1)) chunks_raw=$((chunks_raw + $(size "$w"))) chunks_gz=$((chunks_gz + $(size "$w.gz")))
done
printf 'site: %s_bg.wasm %s bytes (%s gzip), %s.js %s bytes (%s gzip), %s lazy chunks %s bytes (%s gzip), %s %s bytes (%s gzip)\n' \
  "$app" "$(size "$dir/portico_bg.wasm")" "$(size "$dir/portico_bg.wasm.gz")" "$app" "$(size "$dir/portico.js")" \
  "$(size "$dir/portico.js.gz")" "$chunks" "$chunks_raw" "$chunks_gz" "$style" "$(size "$pkg/$style")" "$(size "$pkg/$style.gz")"
