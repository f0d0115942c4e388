#!/usr/bin/env bash
# Installs what building and testing Portico needs on Debian 12, from package registries only.
# Idempotent: when everything is already there it prints nothing and takes about a second.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# Debian's rustc-web/cargo-web (1.96) build both halves: rustup cannot fetch a wasm32 target here, so
# the browser half builds its own std from rust-web-src. lld-22 links wasm. chromium runs the browser tests.
# rust-web-clippy is `make lint`'s clippy, for the same rustc. cmake, make and libpcre2-dev build the
# libyang that the yang2 crate bundles (the Configuration Designer's "From YANG" mode).
apt_packages=(rustc-web cargo-web rust-web-src rust-web-clippy lld-22 chromium fonts-dejavu-core gcc libc6-dev pkg-config ca-certificates curl cmake make libpcre2-dev)
command -v node >/dev/null 2>&1 || apt_packages+=(nodejs)
command -v npm >/dev/null 2>&1 || apt_packages+=(npm)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "ensure-deps: installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# rustc links wasm with `rust-lld -flavor wasm`; Debian's lld-22 is that linker under another name.
if [ ! -e /usr/bin/rust-lld ]; then
  echo "ensure-deps: linking /usr/bin/rust-lld to lld-22"
  as_root ln -s lld-22 /usr/bin/rust-lld
fi

# wasm-bindgen's CLI must be exactly the version of the wasm-bindgen crate in Cargo.lock.
want=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"$/\1/p')
export PATH="$HOME/.cargo/bin:$PATH"
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  echo "ensure-deps: installing wasm-bindgen-cli $want (about 2 minutes, once)"
  RUSTC=/usr/bin/rustc /usr/bin/cargo install --quiet --force wasm-bindgen-cli --version "$want"
fi

# The wasm splitter (Leptos' lazy routes): the CLI of wasm_split_cli_support, the version of the
# wasm_split_helpers crate the app links (the two agree on the markers the splitter looks for).
want=$(grep -A1 '^name = "wasm_split_helpers"$' Cargo.lock | sed -n 's/^version = "\(.*\)"$/\1/p')
if ! /usr/bin/cargo install --list 2>/dev/null | grep -q -x -F "wasm_split_cli_support v$want:"; then
  echo "ensure-deps: installing wasm_split_cli_support $want (about a minute, once)"
  RUSTC=/usr/bin/rustc /usr/bin/cargo install --quiet --force wasm_split_cli_support --version "$want" --features build-binary
fi

# Playwright and binaryen's wasm-opt (Debian's binaryen is too old: its output fails to hydrate).
if [ ! -x end2end/node_modules/.bin/wasm-opt ] || [ ! -x end2end/node_modules/.bin/playwright ] \
   || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
  echo "ensure-deps: installing end2end/node_modules"
  (cd end2end && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
