#!/usr/bin/env bash
# Builds the release package into pkg/: cargo (wasm32, opt-level z, LTO) -> wasm-bindgen
# (--target web; its doc comments stripped and its loader cut to the one call the face makes: scripts/strip-glue.mjs; long strings copied with encodeInto: scripts/fast-strings.mjs) ->
# the bodies of functions only a deleted JSPI export could reach emptied (scripts/stub-dead.mjs) -> wasm-opt -Oz (binaryen from npm; Debian's 108 breaks the output) ->
# exported functions numbered first (scripts/exports-first.mjs, wasm-opt --reorder-functions-by-name) ->
# short import and export names in the wasm and the glue (scripts/short-names.mjs) ->
# one minified module of the JS face, the glue and its snippet (pkg/index.js, scripts/bundle.mjs)
# -> a load check in headless Chromium (also with the wasm served as octet-stream). Fails if any step fails or the package does not load.
# Runs the idempotent set-up first (under a second when everything is there), so that a fresh
# clone builds with `npm run build` alone.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

bash scripts/setup.sh >/dev/null

# The shipped build uses the pinned nightly of scripts/setup.sh to rebuild core and alloc for
# size (-Z build-std, panics as immediate aborts): about 7% fewer bytes than stable (BENCHMARKS.md).
# SIO_STABLE=1 builds with the stable toolchain of rust-toolchain.toml instead, which must keep
# passing every test (npm test builds both).
NIGHTLY="nightly-2026-05-20" # keep equal to scripts/setup.sh
# The shadow stack (the linker's default for wasm32 is 1 MiB, all of it in the initial memory).
# The client does not recurse (the JSON scanner keeps its own stack): `node bench/stack-depth.mjs`
# measured 3,228 B at most over every path of the JS face. 16 KiB leaves five times that, and
# with the data (about 4.7 KB) it leaves 44 KB of the first page to the heap (src/browser/heap.rs):
# a connection and a burst of 50,000 emits then never grow the memory (32 KiB: a burst took a
# second page). The stack is first in the memory, so an overflow traps instead of overwriting data.
# RUSTFLAGS replaces .cargo/config.toml's rustflags (the 128 KiB of test and example builds).
STACK="-Clink-arg=-zstack-size=16384"
# The source paths that stay in the stable build's wasm (the locations of wasm-bindgen's
# `unwrap_throw` and of the standard library's checks; the nightly build keeps none) named from
# their roots, not from this machine's home: shorter, and the same bytes on every machine.
REMAP=""
for registry in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/; do
  REMAP="$REMAP --remap-path-prefix=${registry%/}=crates"
done
if [ "${SIO_STABLE:-0}" = "1" ]; then
  RUSTFLAGS="$STACK$REMAP" cargo build --release --target wasm32-unknown-unknown --lib --no-default-features --quiet
  wasm="target/wasm32-unknown-unknown/release/socketio_wasm.wasm"
else
  # Its own target directory, so that it and the stable build never invalidate each other.
  REMAP="$REMAP --remap-path-prefix=$(rustc "+$NIGHTLY" --print sysroot)/lib/rustlib/src/rust/library=std"
  # -Zlocation-detail=none: no file/line/column for the checks' panics (with immediate-abort
  # nothing ever prints them): 327 B less. -Zcross-crate-inline-threshold=always: every
  # function of every crate (core, alloc, wasm-bindgen and js-sys included) counts as
  # cross-crate inlinable, as an `#[inline]` one does, and is compiled where it is used:
  # 13,095 B (11%) less; no row of the bench measurably slower (BENCHMARKS.md, session 15).
  RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zcross-crate-inline-threshold=always $STACK$REMAP" CARGO_TARGET_DIR=target/nightly \
    cargo "+$NIGHTLY" build --release --target wasm32-unknown-unknown --lib --no-default-features \
    -Z build-std=core,alloc,panic_abort --quiet
  wasm="target/nightly/wasm32-unknown-unknown/release/socketio_wasm.wasm"
fi
rm -rf pkg
wasm-bindgen --target web --out-dir pkg "$wasm"
node scripts/stub-dead.mjs pkg/socketio_wasm_bg.wasm
node scripts/strip-glue.mjs pkg/socketio_wasm.js
node scripts/fast-strings.mjs pkg/socketio_wasm.js
FEATURES=(--enable-bulk-memory --enable-sign-ext --enable-mutable-globals --enable-nontrapping-float-to-int
  --enable-reference-types --enable-multivalue)
# -g keeps the function names for exports-first.mjs, which renames them so that the second
# pass numbers the exported functions first (V8's number-to-string cache then stays small; see
# the script). That pass writes no names; SIO_NAMES=1 also makes a copy with them, for
# `node bench/wasm-breakdown.mjs` (where the bytes are; its function indices and bodies are the
# shipped file's); not shipped. The second pass optimizes again after the renumbering (-Oz keeps
# the order): 194 B less than renumbering alone. It also drops the `target_features` section,
# which only tools read (wasm-bindgen already has): 151 B.
wasm-opt -Oz --converge --strip-producers "${FEATURES[@]}" -g pkg/socketio_wasm_bg.wasm -o pkg/socketio_wasm_bg.wasm
node scripts/exports-first.mjs pkg/socketio_wasm_bg.wasm
REORDER=(wasm-opt --reorder-functions-by-name -Oz --converge --strip-producers --strip-target-features "${FEATURES[@]}")
if [ "${SIO_NAMES:-0}" = "1" ]; then
  "${REORDER[@]}" -g pkg/socketio_wasm_bg.wasm -o pkg/socketio_wasm_bg.names.wasm
fi
"${REORDER[@]}" pkg/socketio_wasm_bg.wasm -o pkg/socketio_wasm_bg.wasm
node scripts/short-names.mjs pkg/socketio_wasm_bg.wasm pkg/socketio_wasm.js
node scripts/bundle.mjs
node scripts/size.mjs
node scripts/check-load.mjs
