#!/usr/bin/env bash
# Sets up, builds, and runs the demo as a cluster: Debian's redis-server, INSTANCES (default 2)
# reference servers sharing rooms through it (--redis), and HAProxy with cookie stickiness
# (deploy/haproxy.cfg) on http://127.0.0.1:3000 (PORT overrides it). Two browsers (or one normal
# and one private window) land on different instances; the chat between them goes through Redis.
# Ctrl-C stops everything it started (by PID).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
cargo build --release -p socketio-wasm-server --quiet

PORT="${PORT:-3000}"
INSTANCES="${INSTANCES:-2}"
REDIS_PORT="${REDIS_PORT:-$((PORT + 379))}"
FIRST_INSTANCE_PORT="$((PORT + 1))"
work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Waits (10 s at most) until 127.0.0.1:$1 accepts connections.
wait_port() {
  for _ in $(seq 1 200); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.05
  done
  echo "nothing listens on 127.0.0.1:$1" >&2
  return 1
}

/usr/bin/redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize no \
  --loglevel warning &
pids+=($!)
wait_port "$REDIS_PORT"

servers=""
for n in $(seq 1 "$INSTANCES"); do
  port=$((FIRST_INSTANCE_PORT + n - 1))
  ./target/release/socketio-wasm-server --port "$port" --root . \
    --redis "redis://127.0.0.1:$REDIS_PORT" --instance "instance-$n" >/dev/null &
  pids+=($!)
  wait_port "$port"
  servers+="    server instance-$n 127.0.0.1:$port cookie instance-$n check inter 500ms fall 1 rise 1"$'\n'
done

awk -v bind="127.0.0.1:$PORT" -v servers="$servers" \
  '{ gsub(/\{\{BIND\}\}/, bind); if ($0 == "{{SERVERS}}") printf "%s", servers; else print }' \
  deploy/haproxy.cfg > "$work/haproxy.cfg"
/usr/sbin/haproxy -db -f "$work/haproxy.cfg" &
pids+=($!)
wait_port "$PORT"

echo "demo (through HAProxy, $INSTANCES instances, redis on $REDIS_PORT): http://127.0.0.1:$PORT/"
wait -n "${pids[@]}"
