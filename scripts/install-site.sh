#!/usr/bin/env bash
# Installs a built browser half into the site folder under content-hashed names, atomically.
#
#   scripts/install-site.sh BUILT_DIR CSS_FILE SITE_DIR
#
# BUILT_DIR holds wasm-bindgen's portico.js and portico_bg.wasm (after wasm-opt). The site gets
#   pkg/portico.<h>.js, pkg/portico.<h>_bg.wasm   (h: the hash of both; the JS names the wasm's exports)
#   pkg/portico.<c>.css                            (c: the hash of the stylesheet)
# each with a .gz beside it, and site/files.txt naming them, which the server reads. Files are
# written under temporary names and renamed into place, files.txt last: a server never sees a
# half-written file, and pages already loaded keep their old files — the last 3 builds are kept.
# Unchanged content keeps its name, so nothing is rewritten. Prints the sizes (raw and gzip).
set -euo pipefail
built=$1 css=$2 site=$3
pkg="$site/pkg"
mkdir -p "$pkg"

hash_of() { cat "$@" | sha256sum | cut -c1-16; }
app_hash=$(hash_of "$built/portico.js" "$built/portico_bg.wasm")
css_hash=$(hash_of "$css")
app="portico.$app_hash"
style="portico.$css_hash.css"

# Copies $1 to $pkg/$2 and a gzip beside it, unless a file of that name (the same content) is there.
place() {
  local from=$1 name=$2
  [ -s "$pkg/$name" ] && [ -s "$pkg/$name.gz" ] && return 0
  cp "$from" "$pkg/.$name.tmp"
  gzip -9 -c "$from" > "$pkg/.$name.gz.tmp"
  mv -f "$pkg/.$name.gz.tmp" "$pkg/$name.gz"
  mv -f "$pkg/.$name.tmp" "$pkg/$name"
}
place "$built/portico.js" "$app.js"
place "$built/portico_bg.wasm" "${app}_bg.wasm"
place "$css" "$style"

printf 'app: %s\ncss: %s\n' "$app" "$style" > "$site/.files.txt.tmp"
mv -f "$site/.files.txt.tmp" "$site/files.txt"

# Keep what the last 3 builds named; older hashed files go. history lists one build per line.
history="$site/.builds"
{ grep -v -x -F "$app $style" "$history" 2>/dev/null || true; echo "$app $style"; } | tail -n 3 > "$history.tmp"
mv -f "$history.tmp" "$history"
keep=$(tr ' ' '\n' < "$history")
for f in "$pkg"/portico[._]*; do
  [ -e "$f" ] || continue
  base=$(basename "$f")
  stem=${base%.gz}
  stem=${stem%_bg.wasm}
  stem=${stem%.js}
  if ! grep -q -x -F "$stem" <<<"$keep"; then rm -f "$f"; fi
done

size() { stat -c %s "$1"; }
wasm="$pkg/${app}_bg.wasm"
printf 'site: %s_bg.wasm %s bytes (%s gzip), %s.js %s bytes (%s gzip), %s %s bytes (%s gzip)\n' \
  "$app" "$(size "$wasm")" "$(size "$wasm.gz")" "$app" "$(size "$pkg/$app.js")" "$(size "$pkg/$app.js.gz")" \
  "$style" "$(size "$pkg/$style")" "$(size "$pkg/$style.gz")"
