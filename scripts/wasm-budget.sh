#!/usr/bin/env bash
# The wasm budget: what the first page load downloads (the sign-in page, then home — today the one
# wasm and its JS glue, gzipped as served) must stay within BUDGET_KB. `make test` runs it after
# `make site`; the figure it prints is the one to watch.
#
#   scripts/wasm-budget.sh SITE_DIR BUDGET_KB
set -euo pipefail
site=$1 budget_kb=$2
app=$(sed -n 's/^app: *//p' "$site/files.txt")
wasm="$site/pkg/${app}_bg.wasm.gz"
js="$site/pkg/${app}.js.gz"
first_load=$(( $(stat -c %s "$wasm") + $(stat -c %s "$js") ))
raw=$(stat -c %s "$site/pkg/${app}_bg.wasm")
kb=$(( (first_load + 1023) / 1024 ))
echo "wasm budget: first load ${kb} KB gzip (wasm raw $(( raw / 1024 )) KB), budget ${budget_kb} KB"
if [ "$kb" -gt "$budget_kb" ]; then
  echo "wasm budget exceeded: ${kb} KB > ${budget_kb} KB gzip on the first page load" >&2
  exit 1
fi
