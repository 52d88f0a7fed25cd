// Headless Debian Chromium for the end-to-end tests: no browser download, no background
// network (this machine reaches only loopback and package registries).
import { chromium } from "playwright-core";

export function chromiumArgs() {
  return {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  };
}

/**
 * Launches Chromium. `backForwardCache`: keep the back/forward cache on (playwright-core turns
 * it off by default with `--disable-back-forward-cache`).
 */
export function launch({ backForwardCache = false } = {}) {
  const args = chromiumArgs();
  if (backForwardCache) args.ignoreDefaultArgs = ["--disable-back-forward-cache"];
  return chromium.launch(args);
}
