#!/usr/bin/env bash
# The wasm budget: what the first page load downloads (the sign-in page, then home: the main wasm,
# its JS glue and the splitter's loader, compressed as served — brotli, which every current browser
# takes; gzip when a build has no .br; both pages are in the main module, and a
# Playwright journey checks that they load no chunk) must stay within BUDGET_KB. `make test` runs it
# after `make site`; the figure it prints is the one to watch.
#
#   scripts/wasm-budget.sh SITE_DIR BUDGET_KB
set -euo pipefail
site=$1 budget_kb=$2
app=$(sed -n 's/^app: *//p' "$site/files.txt")
dir="$site/pkg/$(dirname "$app")"
first_load=0 first_load_gz=0
for f in "$site/pkg/${app}_bg.wasm" "$site/pkg/${app}.js" "$dir/__wasm_split.js"; do
  [ -e "$f.gz" ] || continue
  first_load_gz=$((first_load_gz + $(stat -c %s "$f.gz")))
  if [ -e "$f.br" ]; then served="$f.br"; else served="$f.gz"; fi
  first_load=$((first_load + $(stat -c %s "$served")))
done
encoding=gzip
[ -e "$site/pkg/${app}_bg.wasm.br" ] && encoding=brotli
raw=$(stat -c %s "$site/pkg/${app}_bg.wasm")
total=$(find "$dir" -name '*.wasm.gz' -printf '%s\n' | awk '{s+=$1} END {print s+0}')
total_raw=$(find "$dir" -name '*.wasm' -printf '%s\n' | awk '{s+=$1} END {print s+0}')
kb=$(( (first_load + 1023) / 1024 ))
echo "wasm budget: first load ${kb} KB ${encoding} ($(( (first_load_gz + 1023) / 1024 )) KB gzip; main wasm raw $(( raw / 1024 )) KB); all wasm $(( total_raw / 1024 )) KB raw, $(( total / 1024 )) KB gzip; budget ${budget_kb} KB"
if [ "$kb" -gt "$budget_kb" ]; then
  echo "wasm budget exceeded: ${kb} KB > ${budget_kb} KB ${encoding} on the first page load" >&2
  exit 1
fi
