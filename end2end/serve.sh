#!/usr/bin/env bash
# Starts a fresh portico for one Playwright project, with its own empty SQLite database.
set -euo pipefail
port=$1
dir=$(mktemp -d /tmp/portico-e2e-XXXXXX)
export PORTICO_BIND="127.0.0.1:$port"
export PORTICO_DATABASE_URL="sqlite://$dir/portico.db"
export PORTICO_DATA_DIR="$dir"
export PORTICO_ADMIN_PASSWORD="Initial-Admin-Pass-1"
export PORTICO_LOG="${PORTICO_LOG:-warn}"
# Browser journeys sign in often from one address; the limiter itself is tested in Rust.
export PORTICO_SIGN_IN_RATE_PER_MINUTE="${PORTICO_SIGN_IN_RATE_PER_MINUTE:-1000}"
exec "${PORTICO_BIN:-../target/release/portico}" serve --site-root "${PORTICO_SITE_ROOT:-../target/site}"
