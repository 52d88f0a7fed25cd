#!/usr/bin/env bash
# Sets up, builds the package, and runs the reference server with the demo page on
# http://127.0.0.1:3000 (PORT overrides the port).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
cargo build --release -p socketio-wasm-server --quiet
echo "demo: http://127.0.0.1:${PORT:-3000}/"
exec ./target/release/socketio-wasm-server --port "${PORT:-3000}" --root .
