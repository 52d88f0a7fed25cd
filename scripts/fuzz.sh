#!/usr/bin/env bash
# Runs every cargo-fuzz target of fuzz/ for a bounded time each, then prints execs/s, runs and
# findings per target.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]      (default: 10 s, every target)
#
# The corpus lives in fuzz/corpus/<target>/ and is committed. After a run, an input found by
# it is added only if it reaches an edge the corpus does not (libFuzzer -merge=1 with
# -use_counters=0), so the corpus grows slowly and existing files stay put (no churn in git).
# FUZZ_MINIMIZE=1 instead rebuilds each corpus as a small set covering the same edges
# (-set_cover_merge=1), replacing its files; the corpus is a few tens of KB per target.
# Hand-written seeds (the spec's vectors) are in fuzz/seeds/<target>/ and are only read.
# A crash leaves its input in fuzz/artifacts/<target>/ (ignored by git) and fails the script
# once every target has run. Reproduce one with:
#   cargo +nightly fuzz run --fuzz-dir fuzz -s none <target> fuzz/artifacts/<target>/<file>
# (the sanitizer flag must match the build, or cargo-fuzz rebuilds first).
#
# Environment:
#   FUZZ_SAVE_CORPUS=0     leave fuzz/corpus/ untouched (for smoke runs, e.g. inside npm test)
#   FUZZ_MINIMIZE=1        rebuild each corpus as a minimal set (see above)
#   FUZZ_SANITIZER=address use AddressSanitizer (default: none; the decoders are safe Rust,
#                          and without it a run does about twice the executions)
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_FUZZ_VERSION="0.13.2"
SECS="${1:-10}"
if [ $# -gt 0 ]; then shift; fi
SANITIZER="${FUZZ_SANITIZER:-none}"
SAVE="${FUZZ_SAVE_CORPUS:-1}"
MINIMIZE="${FUZZ_MINIMIZE:-0}"

say() { printf '[fuzz] %s\n' "$*"; }
export PATH="$HOME/.cargo/bin:$PATH"

if ! [[ "$SECS" =~ ^[0-9]+$ ]] || [ "$SECS" -lt 1 ]; then
  echo "usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]" >&2
  exit 2
fi

# 1. The nightly toolchain (cargo-fuzz needs -Z flags) and cargo-fuzz at an exact version.
if ! rustup run nightly rustc --version >/dev/null 2>&1; then
  say "installing the nightly toolchain"
  rustup toolchain install nightly --profile minimal
fi
if [ "$(cargo fuzz --version 2>/dev/null | awk '{print $2}')" != "$CARGO_FUZZ_VERSION" ]; then
  say "installing cargo-fuzz $CARGO_FUZZ_VERSION (about a minute)"
  # --locked uses the versions cargo-fuzz was released with; if this registry lacks one of
  # them, fall back to fresh resolution.
  cargo install cargo-fuzz --version "=$CARGO_FUZZ_VERSION" --locked ||
    cargo install cargo-fuzz --version "=$CARGO_FUZZ_VERSION" --force
fi

# 2. Which targets.
mapfile -t known < <(cargo +nightly fuzz list --fuzz-dir fuzz)
if [ $# -gt 0 ]; then
  targets=("$@")
  for t in "${targets[@]}"; do
    if ! printf '%s\n' "${known[@]}" | grep -qx -- "$t"; then
      echo "unknown fuzz target '$t'; the targets are: ${known[*]}" >&2
      exit 2
    fi
  done
else
  targets=("${known[@]}")
fi

# 3. Build them all at once (incremental after the first time), then run the binaries directly
#    (saves a cargo start-up per run).
say "building ${#targets[@]} targets (sanitizer: $SANITIZER)"
cargo +nightly fuzz build --fuzz-dir fuzz -s "$SANITIZER" >/dev/null
triple=$(rustc +nightly -vV | sed -n 's/^host: //p')
bin="fuzz/target/$triple/release"

# 4. Run each for SECS seconds.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=()
summary=()
for t in "${targets[@]}"; do
  corpus="fuzz/corpus/$t"
  mkdir -p "$corpus" "fuzz/artifacts/$t"
  # New inputs go to a scratch directory; the committed corpus and the seeds are only read.
  mkdir -p "$work/$t"
  seeds=()
  [ -d "fuzz/seeds/$t" ] && seeds=("fuzz/seeds/$t")
  log="$work/$t.log"
  say "$t: ${SECS}s"
  status=0
  "$bin/$t" -artifact_prefix="fuzz/artifacts/$t/" \
    -max_total_time="$SECS" -max_len=4096 -timeout=10 -rss_limit_mb=1024 \
    -dict=fuzz/socketio.dict -print_final_stats=1 -close_fd_mask=1 \
    "$work/$t" "$corpus" "${seeds[@]}" >"$log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1 || true)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1 || true)
  cov=$( (grep -oE 'cov: [0-9]+' "$log" || true) | tail -1 | awk '{print $2}')
  if [ "$status" -ne 0 ]; then
    failed+=("$t")
    summary+=("$(printf '%-24s %10s runs %8s exec/s  cov %-6s FAILED (see fuzz/artifacts/%s)' "$t" "${runs:-?}" "${speed:-?}" "${cov:-?}" "$t")")
    (grep -E 'panicked|ERROR|SUMMARY|Test unit written|No such file' "$log" || tail -5 "$log") | head -20 >&2
    continue
  fi
  summary+=("$(printf '%-24s %10s runs %8s exec/s  cov %-6s ok' "$t" "${runs:-?}" "${speed:-?}" "${cov:-?}")")

  # 5. Fold what was found into the committed corpus.
  if [ "$SAVE" != "0" ] && [ "$MINIMIZE" = "1" ]; then
    merged="$work/$t.merged"
    mkdir -p "$merged"
    if "$bin/$t" -set_cover_merge=1 -use_counters=0 -max_len=4096 -timeout=10 -close_fd_mask=1 \
      "$merged" "$corpus" "$work/$t" >"$work/$t.merge.log" 2>&1; then
      rm -rf "$corpus"
      mv "$merged" "$corpus"
    else
      say "$t: corpus minimisation failed (corpus left as it was)"
    fi
  elif [ "$SAVE" != "0" ] && [ -n "$(ls -A "$work/$t")" ]; then
    "$bin/$t" -merge=1 -use_counters=0 -max_len=4096 -timeout=10 -close_fd_mask=1 \
      "$corpus" "$work/$t" >"$work/$t.merge.log" 2>&1 ||
      say "$t: corpus merge failed (corpus left as it was)"
  fi
done

echo
printf '%s\n' "${summary[@]}"
if [ "$SAVE" != "0" ]; then
  say "corpus: $(( $(du -s --apparent-size -b fuzz/corpus | cut -f1) / 1024 )) KiB in $(find fuzz/corpus -type f | wc -l) files"
fi
if [ ${#failed[@]} -gt 0 ]; then
  say "FAILED: ${failed[*]}"
  exit 1
fi
