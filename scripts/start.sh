#!/usr/bin/env bash
# Sets up, builds the package, and runs the reference server with the demo page on
# http://127.0.0.1:3000 (PORT overrides the port), and the Leptos chat example at /leptos-chat/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
bash scripts/build-examples.sh
cargo build --release -p socketio-wasm-server --quiet
echo "demo: http://127.0.0.1:${PORT:-3000}/ (the Rust + Leptos chat: /leptos-chat/)"
exec ./target/release/socketio-wasm-server --port "${PORT:-3000}" --root .
