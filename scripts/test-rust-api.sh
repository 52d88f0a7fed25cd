#!/usr/bin/env bash
# Browser tests of the Rust API (tests/api.rs) as Rust users run theirs: starts the Rust
# reference server and the official Node server in test mode on ports chosen at run time,
# passes their URLs at compile time (SERVER_URL, NODE_SERVER_URL), and runs
# `wasm-pack test --headless --chrome --mode no-install` (wasm-pack and wasm-bindgen-cli come
# from scripts/setup.sh). The servers are stopped by PID on exit, also when a step fails.
# Extra arguments go to cargo test, e.g. `bash scripts/test-rust-api.sh -- auth`.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"

pids=()
logs=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for log in "${logs[@]}"; do rm -f "$log"; done
}
trap cleanup EXIT

# Starts a server that prints `LISTENING <url>` and echoes that URL.
start() {
  local log
  log=$(mktemp)
  logs+=("$log")
  "$@" >"$log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 150); do grep -q '^LISTENING ' "$log" && break; sleep 0.1; done
  local url
  url=$(sed -n 's/^LISTENING //p' "$log" | head -n 1)
  [ -n "$url" ] || { echo "server did not start: $*" >&2; cat "$log" >&2; exit 1; }
  printf '%s' "$url"
}

cargo build -p socketio-wasm-server --quiet
rust_url=$(start ./target/debug/socketio-wasm-server --test --port 0 --root .)
node_url=$(start node tests/servers/node-server.mjs --test --port 0)
echo "Rust server: $rust_url, Node server: $node_url"

SERVER_URL="$rust_url" NODE_SERVER_URL="$node_url" \
  wasm-pack test --headless --chrome --mode no-install -- --test api "$@"
