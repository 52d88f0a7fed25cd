#!/usr/bin/env bash
# Builds and runs the parser benchmark (BENCHMARKS.md): installs the pinned official parsers,
# builds our codecs natively and for wasm32 (with the shipped size-optimised profile), then runs
# bench.js, which measures everything in one go and prints the table.
#
#   bench/parsers/run.sh [--quick]
#
# Needs: node + npm, the Rust toolchain of rust-toolchain.toml with wasm32-unknown-unknown, and
# wasm-bindgen-cli 0.2.130 (scripts/setup.sh installs them). Run it on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")"
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '[bench] %s\n' "$*"; }

if ! [ -d node_modules/socket.io-parser ] || ! [ -d node_modules/engine.io-parser ]; then
  say "npm ci (socket.io-parser, engine.io-parser)"
  npm ci --no-audit --no-fund --loglevel=error
fi

say "building the native runner"
cargo build --release --quiet

# WASM_PROFILE=wasm-speed builds the module at opt-level 3 instead, for comparison.
WASM_PROFILE="${WASM_PROFILE:-wasm-ship}"
say "building the wasm module (profile $WASM_PROFILE)"
cargo build --profile "$WASM_PROFILE" --target wasm32-unknown-unknown --lib --quiet
wasm-bindgen --target nodejs --out-dir pkg \
  "target/wasm32-unknown-unknown/$WASM_PROFILE/socketio_wasm_parser_bench.wasm"

RUSTC_VERSION="$(rustc --version)" WASM_PROFILE="$WASM_PROFILE" node bench.js "$@"
