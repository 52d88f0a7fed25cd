// The demo page served by the reference server connects and echoes.
import assert from "node:assert/strict";
import { it } from "node:test";
import { useServers } from "./fixtures.mjs";

const ctx = useServers();

it("the demo page shows 'connected' and an acknowledged echo", async () => {
  const page = await ctx.browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`${ctx.rust.url}/`);
  await page.waitForSelector('#state[data-state="connected"]', { timeout: 10_000 });
  await page.click('button[type="submit"]');
  await page.waitForSelector("#log li:has-text('ack in')", { timeout: 10_000 });
  const log = await page.textContent("#log");
  assert.match(log, /hello from WebAssembly/);
  await page.screenshot({ path: "test-results/demo.png" });
  assert.deepEqual(errors, []);
  await page.close();
});
