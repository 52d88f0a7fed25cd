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

export function launch() {
  return chromium.launch(chromiumArgs());
}
