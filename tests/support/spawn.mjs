// Starting and stopping the test servers as child processes (for node:test suites and e2e tests).
//
//   await buildRustServer();                        // cargo build -p socketio-wasm-server (once)
//   const rust = await startRustServer(["--test"]); // { url, port, process, stop() }
//   const node = await startNodeServer(["--test", "--recovery"]);
//   const proxy = await startFaultProxyCli(node.port); // { url, port, controlUrl, ..., stop() }
//   ...
//   await rust.stop();
//
// Servers get `--port 0` (a free port) and `--root <repo>` unless `args` names them. A server is
// ready when it prints `LISTENING http://...`; its stderr is kept for error messages (set
// SERVER_LOG=1 to see it live). Every child is killed when this process exits, even on failure.

import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** How long a server may take to print its LISTENING line. */
const START_TIMEOUT_MS = 30_000;
/** How long a server gets to exit after SIGTERM before SIGKILL. */
const STOP_TIMEOUT_MS = 5_000;

const live = new Set();
process.on("exit", () => {
  for (const child of live) child.kill("SIGKILL");
});

/** The path of the debug build of the Rust server. */
export function rustServerPath() {
  const targetDir = process.env.CARGO_TARGET_DIR
    ? path.resolve(ROOT, process.env.CARGO_TARGET_DIR)
    : path.join(ROOT, "target");
  return path.join(targetDir, "debug", "socketio-wasm-server");
}

let building = null;

/**
 * Runs `cargo build -p socketio-wasm-server` (debug) once per process; resolves when the binary
 * is up to date. Cargo's output goes to this process's stderr only if it fails.
 */
export function buildRustServer() {
  building ??= new Promise((resolve, reject) => {
    const cargo = spawn("cargo", ["build", "--quiet", "-p", "socketio-wasm-server"], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    cargo.stdout.on("data", (d) => (output += d));
    cargo.stderr.on("data", (d) => (output += d));
    cargo.on("error", reject);
    cargo.on("exit", (code) => {
      if (code === 0) resolve(rustServerPath());
      else reject(new Error(`cargo build -p socketio-wasm-server failed (${code}):\n${output}`));
    });
  });
  return building;
}

/** `args` plus `--port 0` and `--root ROOT` where not given. */
function withDefaults(args) {
  const has = (flag) => args.some((a) => a === flag || a.startsWith(`${flag}=`));
  return [...(has("--port") ? [] : ["--port", "0"]), ...(has("--root") ? [] : ["--root", ROOT]), ...args];
}

/**
 * Spawns `command` and resolves once it has printed a line for each of `prefixes` (e.g.
 * "LISTENING"), with `{ process, lines: {prefix: rest}, stop() }`.
 */
export function startProcess(command, args, { prefixes = ["LISTENING"], cwd = ROOT, env, name } = {}) {
  const label = name ?? path.basename(command);
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  live.add(child);
  let stderr = "";
  child.stderr.on("data", (d) => {
    stderr = (stderr + d).slice(-16_384);
    if (process.env.SERVER_LOG) process.stderr.write(`[${label}] ${d}`);
  });
  const exited = new Promise((resolve) => {
    child.on("exit", (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    });
  });

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return exited;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
    const result = await exited;
    clearTimeout(timer);
    return result;
  };

  const ready = new Promise((resolve, reject) => {
    const lines = {};
    let buffered = "";
    let settled = false;
    const fail = (why) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`${label} ${args.join(" ")}: ${why}\n--- stderr ---\n${stderr}`));
    };
    const timer = setTimeout(() => fail(`no ${prefixes.join("/")} line within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    child.on("error", (err) => fail(`cannot start: ${err.message}`));
    child.on("exit", (code, signal) => fail(`exited (${signal ?? code}) before it was ready`));
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (data) => {
      buffered += data;
      let newline;
      while ((newline = buffered.indexOf("\n")) !== -1) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        const space = line.indexOf(" ");
        const prefix = space === -1 ? line : line.slice(0, space);
        if (prefixes.includes(prefix)) lines[prefix] = line.slice(space + 1);
        if (!settled && prefixes.every((p) => p in lines)) {
          settled = true;
          clearTimeout(timer);
          resolve({ process: child, lines, stop });
        }
      }
    });
  });
  return ready;
}

function server(handle) {
  const url = handle.lines.LISTENING;
  return { url, port: Number(new URL(url).port), process: handle.process, stop: handle.stop };
}

/**
 * Starts the Rust server (`target/debug/socketio-wasm-server`, built beforehand by
 * `buildRustServer()` or cargo). Resolves `{ url, port, process, stop() }`.
 */
export async function startRustServer(args = [], options = {}) {
  const binary = rustServerPath();
  if (!fs.existsSync(binary)) {
    throw new Error(`${binary} is missing: run \`cargo build -p socketio-wasm-server\` (or buildRustServer())`);
  }
  return server(await startProcess(binary, withDefaults(args), { name: "rust-server", ...options }));
}

/** Starts tests/servers/node-server.mjs (the official socket.io server). Same result shape. */
export async function startNodeServer(args = [], options = {}) {
  const script = path.join(ROOT, "tests", "servers", "node-server.mjs");
  return server(
    await startProcess(process.execPath, [script, ...withDefaults(args)], { name: "node-server", ...options }),
  );
}

/**
 * Starts tests/support/fault-proxy-cli.mjs in front of `targetPort`. Resolves
 * `{ url, port, controlUrl, controlPort, process, stop(), control(path) }`, where
 * `control("/stall?on=1")` POSTs to the control port and resolves its JSON answer.
 */
export async function startFaultProxyCli(targetPort, args = [], options = {}) {
  const script = path.join(ROOT, "tests", "support", "fault-proxy-cli.mjs");
  const handle = await startProcess(
    process.execPath,
    [script, "--target-port", String(targetPort), ...args],
    { prefixes: ["LISTENING", "CONTROL"], name: "fault-proxy", ...options },
  );
  const url = handle.lines.LISTENING;
  const controlUrl = handle.lines.CONTROL;
  return {
    url,
    port: Number(new URL(url).port),
    controlUrl,
    controlPort: Number(new URL(controlUrl).port),
    process: handle.process,
    stop: handle.stop,
    async control(pathAndQuery) {
      const res = await fetch(new URL(pathAndQuery, controlUrl), { method: "POST" });
      if (!res.ok) throw new Error(`fault proxy control ${pathAndQuery}: ${res.status}`);
      return res.json();
    },
  };
}
