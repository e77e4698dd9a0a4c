import { existsSync, readdirSync, readFileSync } from "node:fs";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};

export interface Asset {
  type: string;
  data: Buffer;
}

/**
 * The page's files (html, js, css), read once: they sit in page/ next to this module, in src/
 * and, copied by the build, in dist/. Only these names are ever served.
 */
export function loadPageAssets(dir = defaultPageDir()): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const name of readdirSync(dir)) {
    const type = TYPES[extname(name)];
    if (type) assets.set(name, { type, data: readFileSync(join(dir, name)) });
  }
  if (!assets.has("index.html")) throw new Error(`the view's page is missing from ${dir}`);
  return assets;
}

function defaultPageDir(): string {
  const here = fileURLToPath(new URL("./page/", import.meta.url));
  // Run from dist/ without the build's copy (tsc alone): the sources beside it.
  return existsSync(here) ? here : fileURLToPath(new URL("../../src/view/page/", import.meta.url));
}
