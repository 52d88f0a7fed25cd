#!/usr/bin/env bash
# Builds the release package into pkg/: cargo (wasm32, opt-level z, LTO) -> wasm-bindgen
# (--target web; its doc comments stripped) -> wasm-opt -Oz (binaryen from npm; Debian's 108 breaks the output) ->
# one minified module of the JS face, the glue and its snippet (pkg/index.js, scripts/bundle.mjs)
# -> a load check in headless Chromium. Fails if any step fails or the package does not load.
# Runs the idempotent set-up first (under a second when everything is there), so that a fresh
# clone builds with `npm run build` alone.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

bash scripts/setup.sh >/dev/null

cargo build --release --target wasm32-unknown-unknown --lib --no-default-features --quiet
rm -rf pkg
wasm-bindgen --target web --out-dir pkg \
  target/wasm32-unknown-unknown/release/socketio_wasm.wasm
node scripts/strip-glue.mjs pkg/socketio_wasm.js
wasm-opt -Oz --enable-bulk-memory --enable-sign-ext --enable-mutable-globals \
  --enable-nontrapping-float-to-int --enable-reference-types --enable-multivalue \
  pkg/socketio_wasm_bg.wasm -o pkg/socketio_wasm_bg.wasm
node scripts/bundle.mjs
node scripts/size.mjs
node scripts/check-load.mjs
