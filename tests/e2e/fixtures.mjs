// Shared set-up for the end-to-end suites: both servers in test mode, one Chromium, and a page
// served from the Rust server's origin with the package importable as /js/index.js.
import { after, before } from "node:test";
import { buildRustServer, startNodeServer, startRustServer } from "../support/spawn.mjs";
import { launch } from "./browser.mjs";

/** Starts both servers (with `extra` flags each) and Chromium for the calling suite. */
export function useServers({ rustArgs = [], nodeArgs = [] } = {}) {
  const ctx = { servers: {} };
  before(async () => {
    await buildRustServer();
    const [rust, node, browser] = await Promise.all([
      startRustServer(["--test", ...rustArgs]),
      startNodeServer(["--test", ...nodeArgs]),
      launch(),
    ]);
    Object.assign(ctx, { rust, node, browser });
    ctx.servers = { rust: rust.url, node: node.url };
  });
  after(async () => {
    await ctx.browser?.close();
    await Promise.all([ctx.rust?.stop(), ctx.node?.stop()]);
  });
  return ctx;
}

/** A fresh page on the Rust server's origin, with page errors collected in `page.errors`. */
export async function openPage(ctx) {
  const page = await ctx.browser.newPage();
  page.errors = [];
  page.on("pageerror", (e) => page.errors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error") page.errors.push(m.text());
  });
  await page.goto(`${ctx.rust.url}/tests/e2e/pages/blank.html`);
  await page.evaluate(async () => {
    window.sio = await import("/js/index.js");
    // Waits for `event` on `emitter`, or rejects after `ms`.
    window.waitFor = (emitter, event, ms = 10000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${event}`)), ms);
        emitter.once(event, (...args) => {
          clearTimeout(timer);
          resolve(args);
        });
      });
  });
  return page;
}
