#!/usr/bin/env bash
# Idempotent set-up of every tool the project needs, pinned to exact versions.
# Each step checks what is present and skips itself when the right version is already there.
# Reaches only: rustup's distribution server, crates.io, Debian's packages and the npm registry.
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION="0.2.130" # must equal the wasm-bindgen crate in Cargo.lock (checked below)

say() { printf '[setup] %s\n' "$*"; }
export PATH="$HOME/.cargo/bin:$PATH"

# 1. Rust toolchain, wasm32 target, clippy and rustfmt: rust-toolchain.toml names them; this
#    installs whatever is missing (a no-op when all are there).
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "installing the toolchain of rust-toolchain.toml with its wasm32 target"
  rustup show active-toolchain >/dev/null 2>&1 || true
  rustup toolchain install "$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)" \
    --profile minimal --component clippy,rustfmt --target wasm32-unknown-unknown
fi

# 1b. The pinned nightly for the shipped build (scripts/build.sh: -Z build-std needs rust-src),
#     with its wasm32 target. The stable toolchain above builds and tests everything else.
NIGHTLY="nightly-2026-05-20" # keep equal to scripts/build.sh
if ! rustup component list --toolchain "$NIGHTLY" --installed 2>/dev/null | grep -q '^rust-src' \
  || ! rustup target list --toolchain "$NIGHTLY" --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "installing $NIGHTLY with rust-src and the wasm32 target (for the shipped build)"
  rustup toolchain install "$NIGHTLY" --profile minimal --component rust-src --target wasm32-unknown-unknown
fi

# 2. wasm-bindgen-cli at exactly the crate's version (without --locked: its lockfile pins a
#    crate this registry lacks).
locked=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock 2>/dev/null || true)
if [ -n "$locked" ] && [ "$locked" != "$WASM_BINDGEN_VERSION" ]; then
  echo "Cargo.lock has wasm-bindgen $locked but setup.sh pins $WASM_BINDGEN_VERSION" >&2; exit 1
fi
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (2-3 minutes)"
  cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION" --force
fi

# 3. Debian's chromium and chromedriver (tests drive /usr/bin/chromium; nothing is downloaded).
if ! [ -x /usr/bin/chromium ] || ! [ -x /usr/bin/chromedriver ]; then
  say "installing chromium and chromium-driver from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# 4. npm packages (exact versions in package-lock.json): binaryen's wasm-opt, socket.io,
#    socket.io-client, playwright-core. Skipped when node_modules was installed from this very
#    lockfile (its hash is kept in node_modules/.setup-lock-hash).
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.setup-lock-hash 2>/dev/null)" != "$lock_hash" ]; then
  say "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > node_modules/.setup-lock-hash
fi

# 5. wasm-pack, pinned: the Rust API's browser tests run as Rust users run theirs
#    (`wasm-pack test --headless --chrome --mode no-install`, scripts/test-rust-api.sh).
WASM_PACK_VERSION="0.15.1"
if [ "$(wasm-pack --version 2>/dev/null | awk '{print $2}')" != "$WASM_PACK_VERSION" ]; then
  say "installing wasm-pack $WASM_PACK_VERSION (about 3 minutes)"
  cargo install wasm-pack --version "=$WASM_PACK_VERSION" --force
fi

# 6. Debian's redis-server and haproxy for the scale-out suites (tests/e2e/cluster*.test.mjs) and
#    `npm run start:cluster`: Debian bookworm's 7.0.15 and 2.6.12 (its security updates move only
#    the package revision). No service is started: the tests run both in the foreground.
if ! [ -x /usr/bin/redis-server ] || ! [ -x /usr/sbin/haproxy ]; then
  say "installing redis-server and haproxy from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq redis-server haproxy >/dev/null
fi
case "$(/usr/bin/redis-server --version)" in *v=7.0.15*) ;; *) echo "redis-server 7.0.15 expected" >&2; exit 1 ;; esac
case "$(/usr/sbin/haproxy -v | head -1)" in *" 2.6.12"*) ;; *) echo "haproxy 2.6.12 expected" >&2; exit 1 ;; esac

say "ready: $(rustc --version), wasm-bindgen $(wasm-bindgen --version | awk '{print $2}'), $(chromium --version 2>/dev/null | head -1), node $(node --version)"
