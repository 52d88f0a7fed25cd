// A Socket.IO cluster on 127.0.0.1 for the scale-out suites: Debian's redis-server, N instances
// of one server kind sharing rooms through it (`--redis URL --instance NAME`), and HAProxy in
// front of them with the configuration of deploy/haproxy.cfg (cookie-sticky or not). Every port
// is chosen at run time; every process is a child of the test process, stopped by PID by
// `cluster.stop()` and killed when the test process exits, even on failure.
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { ROOT, buildRustServer, startNodeServer, startRustServer } from "./spawn.mjs";

/** Where Debian puts the binaries (`scripts/setup.sh` installs them). */
export const REDIS_SERVER = "/usr/bin/redis-server";
export const HAPROXY = "/usr/sbin/haproxy";

/** How long redis-server or haproxy may take to accept connections. */
const READY_TIMEOUT_MS = 10_000;

const children = new Set();
process.on("exit", () => {
  for (const child of children) child.kill("SIGKILL");
});

/** A TCP port free right now on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once 127.0.0.1:`port` accepts a TCP connection; rejects after `ms` or if `child` exits. */
async function untilAccepting(port, child, label, ms = READY_TIMEOUT_MS) {
  const deadline = Date.now() + ms;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${label} exited (${child.signalCode ?? child.exitCode}) before it listened:\n${child.output}`);
    }
    const ok = await new Promise((resolve) => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${label} did not listen on ${port} within ${ms} ms:\n${child.output}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Spawns a long-running helper (redis-server, haproxy) in the foreground; `stop()` ends it by PID. */
function spawnChild(command, args, label) {
  if (!fs.existsSync(command)) throw new Error(`${command} is missing: run scripts/setup.sh`);
  const child = spawn(command, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  child.output = "";
  const keep = (d) => {
    child.output = (child.output + d).slice(-8192);
    if (process.env.SERVER_LOG) process.stderr.write(`[${label}] ${d}`);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const exited = new Promise((resolve) => child.on("exit", () => resolve()));
  child.on("exit", () => children.delete(child));
  child.stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
      await exited;
      clearTimeout(timer);
    }
  };
  return child;
}

/** Starts redis-server on a free port (no persistence). Resolves `{ url, port, stop() }`. */
export async function startRedis() {
  const port = await freePort();
  const child = spawnChild(
    REDIS_SERVER,
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"],
    "redis",
  );
  try {
    await untilAccepting(port, child, "redis-server");
  } catch (e) {
    await child.stop();
    throw e;
  }
  return { url: `redis://127.0.0.1:${port}`, port, stop: child.stop };
}

/**
 * deploy/haproxy.cfg with its placeholders filled: listening on `port`, one server line per
 * instance (`{name, port}`); `sticky: false` drops the cookie line (a misconfigured proxy).
 */
export function haproxyConfig({ port, instances, sticky = true }) {
  const template = fs.readFileSync(path.join(ROOT, "deploy", "haproxy.cfg"), "utf8");
  const servers = instances
    .map((i) => `    server ${i.name} 127.0.0.1:${i.port}${sticky ? ` cookie ${i.name}` : ""} check inter 500ms fall 1 rise 1`)
    .join("\n");
  let config = template.replace("{{BIND}}", `127.0.0.1:${port}`).replace("{{SERVERS}}", servers);
  if (!sticky) config = config.replace(/^\s*cookie .*\n/m, "");
  return config;
}

/** Starts HAProxy on a free port in front of `instances`. Resolves `{ url, port, stop() }`. */
export async function startHaproxy(instances, { sticky = true } = {}) {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sio-haproxy-"));
  const file = path.join(dir, "haproxy.cfg");
  fs.writeFileSync(file, haproxyConfig({ port, instances, sticky }));
  const child = spawnChild(HAPROXY, ["-db", "-f", file], "haproxy");
  const stop = async () => {
    await child.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await untilAccepting(port, child, "haproxy");
  } catch (e) {
    await stop();
    throw e;
  }
  return { url: `http://127.0.0.1:${port}`, port, stop };
}

/**
 * A cluster of `count` instances of `kind` ("rust" or "node", in test mode with `args`) named
 * `${kind}-1`, `${kind}-2`, ..., sharing rooms through one redis-server, behind one HAProxy per
 * entry of `proxies` (`{sticky}`). Resolves `{ redis, instances: [{name, url, port, process,
 * stop()}], proxies: [{url, sticky}], proxy (the first), stop() }`.
 */
export async function startCluster(kind, { count = 2, args = [], proxies = [{ sticky: true }] } = {}) {
  if (kind === "rust") await buildRustServer();
  const start = kind === "rust" ? startRustServer : startNodeServer;
  const cluster = { kind, redis: null, instances: [], proxies: [] };
  cluster.stop = async () => {
    await Promise.all(cluster.proxies.map((p) => p.stop()));
    await Promise.all(cluster.instances.map((i) => i.stop()));
    await cluster.redis?.stop();
  };
  try {
    cluster.redis = await startRedis();
    for (let n = 1; n <= count; n++) {
      const name = `${kind}-${n}`;
      const server = await start(["--test", "--redis", cluster.redis.url, "--instance", name, ...args]);
      cluster.instances.push({ name, ...server });
    }
    for (const { sticky } of proxies) {
      cluster.proxies.push({ sticky, ...(await startHaproxy(cluster.instances, { sticky })) });
    }
  } catch (e) {
    await cluster.stop();
    throw e;
  }
  cluster.proxy = cluster.proxies[0];
  return cluster;
}
