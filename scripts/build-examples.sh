#!/usr/bin/env bash
# Builds the Rust examples, each its own Cargo workspace with its own Cargo.lock, into its
# dist/: cargo (wasm32, release) -> wasm-bindgen --target web (the CLI that scripts/setup.sh
# installs) -> wasm-opt -Oz (binaryen from npm; Debian's 108 breaks the output) -> its
# index.html when it has one. No trunk.
#   examples/leptos-chat  the chat demo in Rust + Leptos, served at /leptos-chat/
#   examples/bench-api    the Rust API's rows of `npm run bench`
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

build() {
  local dir="examples/$1" name="$2"
  (
    cd "$dir"
    cargo build --release --target wasm32-unknown-unknown --locked --quiet
    rm -rf dist
    wasm-bindgen --target web --no-typescript --out-dir dist \
      "target/wasm32-unknown-unknown/release/$name.wasm"
    wasm-opt -Oz --enable-bulk-memory --enable-sign-ext --enable-mutable-globals \
      --enable-nontrapping-float-to-int --enable-reference-types --enable-multivalue \
      "dist/${name}_bg.wasm" -o "dist/${name}_bg.wasm"
    if [ -f index.html ]; then cp index.html dist/index.html; fi
    echo "$dir/dist:"
    ls -l dist | awk 'NR > 1 && $1 !~ /^d/ { print "  " $5 "\t" $9 }'
  )
}

build leptos-chat leptos_chat
build bench-api bench_api
