// Driving a chat page like a user, shared by the JS demo's suite (www/chat.html) and the Leptos
// example's (examples/leptos-chat): both pages have the same ids and data attributes.

export const WAIT = { timeout: 10_000 };

/**
 * Opens the chat at `url` in a fresh context of `browser`, waits until connected and sets the
 * nickname. Page errors and console errors are collected in `page.errors`.
 */
export async function openChat(browser, url, nickname) {
  const context = await browser.newContext({ viewport: { width: 1180, height: 860 } });
  const page = await context.newPage();
  page.errors = [];
  page.on("pageerror", (e) => page.errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && page.errors.push(m.text()));
  await page.goto(url);
  await page.locator('#state[data-state="connected"]').waitFor(WAIT);
  await page.fill("#nickname-input", nickname);
  await page.click("#nickname-form button");
  await page.locator("#nickname-shown", { hasText: `Others see you as ${nickname}.` }).waitFor(WAIT);
  return page;
}

export async function join(page, room) {
  await page.fill("#room-input", room);
  await page.click("#room-form button");
  await page.locator(`#room-name[data-room="${room}"]`).waitFor(WAIT);
}

export async function say(page, text) {
  await page.fill("#message-input", text);
  await page.press("#message-input", "Enter");
}

/** The list item of `kind` (message, private, notice, system) containing `text`. */
export function item(page, kind, text) {
  return page.locator(`#messages li[data-kind="${kind}"]`, { hasText: text });
}

export async function socketId(page) {
  return (await page.textContent("#sid")).trim();
}
