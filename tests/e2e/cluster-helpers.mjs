// Pages for the scale-out suites (cluster*.test.mjs): one browser context per client, so that
// each has its own cookie jar (HAProxy's stickiness cookie is per browser), on any origin (the
// proxy, or an instance directly for cross-origin pages), with the test helpers of fixtures.mjs.
import { addTestHelpers } from "./fixtures.mjs";

/** The official client's bundle, served by every instance from node_modules. */
const OFFICIAL_MODULE = "/node_modules/socket.io-client/dist/socket.io.esm.min.js";

/** Both clients: this package and the official socket.io-client 4.8.4. */
export const CLIENTS = ["wasm", "official"];

/**
 * A page on `origin` in a new browser context (closed when test `t` ends), with `sio` the chosen
 * `client`, the fixtures.mjs helpers, and in the page:
 * - `openSocket(url, opts, wait = true)`: `window.socket = sio.io(url, {forceNew: true, ...opts})`, tracking the
 *   Socket's `connect`, `connect_error`, `disconnect` and the Manager's `error`, `reconnect`,
 *   `reconnect_attempt` (as `io:...`); resolves on the first `connect`;
 * - `whoami()`: the name of the instance the socket is on.
 */
export async function openClusterPage(browser, origin, t, client = "wasm") {
  const context = await browser.newContext();
  t.after(() => context.close());
  const page = await context.newPage();
  page.uncaught = [];
  page.on("pageerror", (e) => page.uncaught.push(String(e)));
  await page.goto(`${origin}/tests/e2e/pages/blank.html`);
  await addTestHelpers(page);
  await page.evaluate(async (module) => {
    window.sio = await import(module);
    window.openSocket = (url, opts = {}, wait = true) => {
      const socket = sio.io(url, { forceNew: true, ...opts });
      window.socket = socket;
      track(socket, "", ["connect", "connect_error", "disconnect"]);
      track(socket.io, "io:", ["error", "reconnect", "reconnect_attempt"]);
      return wait ? untilEvent("connect", 1, 10000) : null;
    };
    window.whoami = () => socket.timeout(5000).emitWithAck("whoami");
  }, client === "official" ? OFFICIAL_MODULE : "/js/index.js");
  return page;
}
