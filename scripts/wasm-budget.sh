#!/usr/bin/env bash
# The wasm budget: what the first page load downloads (the sign-in page, then home: the main wasm,
# its JS glue and the splitter's loader, gzipped as served; both pages are in the main module, and a
# Playwright journey checks that they load no chunk) must stay within BUDGET_KB. `make test` runs it
# after `make site`; the figure it prints is the one to watch.
#
#   scripts/wasm-budget.sh SITE_DIR BUDGET_KB
set -euo pipefail
site=$1 budget_kb=$2
app=$(sed -n 's/^app: *//p' "$site/files.txt")
dir="$site/pkg/$(dirname "$app")"
first_load=0
for f in "$site/pkg/${app}_bg.wasm.gz" "$site/pkg/${app}.js.gz" "$dir/__wasm_split.js.gz"; do
  [ -e "$f" ] && first_load=$((first_load + $(stat -c %s "$f")))
done
raw=$(stat -c %s "$site/pkg/${app}_bg.wasm")
total=$(find "$dir" -name '*.wasm.gz' -printf '%s\n' | awk '{s+=$1} END {print s+0}')
total_raw=$(find "$dir" -name '*.wasm' -printf '%s\n' | awk '{s+=$1} END {print s+0}')
kb=$(( (first_load + 1023) / 1024 ))
echo "wasm budget: first load ${kb} KB gzip (main wasm raw $(( raw / 1024 )) KB); all wasm $(( total_raw / 1024 )) KB raw, $(( total / 1024 )) KB gzip; budget ${budget_kb} KB"
if [ "$kb" -gt "$budget_kb" ]; then
  echo "wasm budget exceeded: ${kb} KB > ${budget_kb} KB gzip on the first page load" >&2
  exit 1
fi
