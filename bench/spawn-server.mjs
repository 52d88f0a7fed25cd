// Starts bench/server.mjs in a process of its own (so that the server's work never shares the
// driver's event loop) and resolves `{ url, stop() }` once it listens. `root` is served
// statically, `/js/` and `/pkg/` come from `codeRoot` (the build of another checkout, for A/B runs).
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const SERVER = join(dirname(fileURLToPath(import.meta.url)), "server.mjs");

export function spawnBenchServer({ root, codeRoot = root }) {
  return new Promise((resolve, reject) => {
    const args = [SERVER, "--port", "0", "--root", root, "--code-root", codeRoot];
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/^LISTENING (\S+)$/m);
      if (m) resolve({ url: m[1], stop: () => child.kill("SIGTERM") });
    });
    child.on("exit", (code) => reject(new Error(`bench server exited (${code}) before listening`)));
  });
}
