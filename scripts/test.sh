#!/usr/bin/env bash
# Sets up the machine (idempotent), then runs every test: formatting, lints (native and wasm32),
# native unit/property tests, the release build with its load check, browser tests of the Rust
# API (wasm-bindgen-test in headless Chromium), and the end-to-end suites (node:test +
# playwright-core against the Rust reference server and the official Node socket.io server).
# Servers it starts are stopped by PID on exit, also when a step fails. Exits non-zero on any
# failure.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER=/usr/bin/chromedriver

bash scripts/setup.sh

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

step() { printf '\n==> %s\n' "$*"; }
started=$(date +%s)

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (native, all targets) -D warnings"
cargo clippy --workspace --all-targets --quiet -- -D warnings

step "cargo clippy (wasm32) -D warnings"
cargo clippy -p socketio-wasm --target wasm32-unknown-unknown --all-targets --quiet -- -D warnings
# ... and the shipped build: no_std (scripts/build.sh builds with --no-default-features).
cargo clippy -p socketio-wasm --target wasm32-unknown-unknown --lib --no-default-features --quiet -- -D warnings

step "native tests (unit, scenario, property, doc)"
cargo test --workspace --quiet

step "fuzz targets compile (they build src/protocol in by path; scripts/fuzz.sh runs them)"
cargo check --manifest-path fuzz/Cargo.toml --bins --quiet

step "doc examples of the Rust API on wasm32 (compiled; the pure ones run)"
cargo test -p socketio-wasm --doc --target wasm32-unknown-unknown --quiet

step "TypeScript declarations: the typed example compiles (tsc --noEmit)"
node node_modules/typescript/bin/tsc -p tests/types/tsconfig.json

step "stable build of the package (SIO_STABLE=1) with its load check, and the socket suite on it"
SIO_STABLE=1 bash scripts/build.sh
node --test --test-concurrency=1 tests/e2e/socket.test.mjs

step "release build of the package (pkg/, pinned nightly build-std) with its Chromium load check"
bash scripts/build.sh

step "size budget of the shipped files (bench/size-budget.json)"
node bench/size.mjs --check

step "tests of the browser driver's timers and listeners (wasm-bindgen-test, Node)"
cargo test -p socketio-wasm --target wasm32-unknown-unknown --lib browser::

step "browser tests of the Rust API against both servers (wasm-pack test --headless --chrome)"
bash scripts/test-rust-api.sh

step "the Leptos example (examples/leptos-chat -> dist/, served at /leptos-chat/)"
bash scripts/build-examples.sh

step "end-to-end suites (node:test + playwright-core, both servers)"
node --test --test-concurrency=1 tests/support/*.test.mjs tests/e2e/*.test.mjs

echo
echo "all tests passed in $(( $(date +%s) - started )) s"
