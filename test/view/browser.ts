// Headless Chromium for the view's tests: Debian's chromium package, driven by playwright-core.
// Installed here when missing and we are root (CI on a fresh machine runs as root).
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

/** Makes sure Debian's chromium is there; returns why not when it cannot be. */
export function ensureChromium(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  if (process.getuid?.() !== 0) return `${CHROMIUM} is missing and installing it needs root (apt-get install chromium)`;
  const apt = (args: string[]) => execFileSync("apt-get", args, { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  apt(["update"]);
  apt(["install", "-y", "--no-install-recommends", "chromium"]);
  return existsSync(CHROMIUM) ? undefined : `apt-get install chromium did not give ${CHROMIUM}`;
}

/** A fresh headless Chromium (its own profile, a fresh --user-data-dir, removed at close). */
export async function launchChromium(viewport = { width: 1400, height: 900 }): Promise<BrowserContext & { dispose(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), "st-proxy-chromium-"));
  // playwright passes the profile folder as --user-data-dir itself.
  const browser = await chromium.launchPersistentContext(profile, {
    viewport,
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return Object.assign(browser, {
    async dispose() {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  });
}
