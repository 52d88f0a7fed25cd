#!/usr/bin/env bash
# Builds examples/leptos-chat (its own Cargo workspace and Cargo.lock) into
# examples/leptos-chat/dist: cargo (wasm32, release) -> wasm-bindgen --target web (the CLI that
# scripts/setup.sh installs) -> wasm-opt -Oz (binaryen from npm; Debian's 108 breaks the output)
# -> index.html. No trunk. The reference server serves dist/ at /leptos-chat/.
set -euo pipefail
cd "$(dirname "$0")/../examples/leptos-chat"
export PATH="$PWD/../../node_modules/.bin:$HOME/.cargo/bin:$PATH"

cargo build --release --target wasm32-unknown-unknown --locked --quiet
rm -rf dist
wasm-bindgen --target web --no-typescript --out-dir dist \
  target/wasm32-unknown-unknown/release/leptos_chat.wasm
wasm-opt -Oz --enable-bulk-memory --enable-sign-ext --enable-mutable-globals \
  --enable-nontrapping-float-to-int --enable-reference-types --enable-multivalue \
  dist/leptos_chat_bg.wasm -o dist/leptos_chat_bg.wasm
cp index.html dist/index.html
ls -l dist | awk 'NR > 1 { print "  " $5 "\t" $9 }'
