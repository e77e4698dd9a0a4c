// A proxy nobody watches and that intercepts no TLS must not carry the X.509 library (and its
// ASN.1 family) or ws: together ~9 MB of resident memory at idle and in every peak (issue 10).
// A resolve hook in the proxy's process lists every package it imports.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { startServe, tempDir } from "../helpers/serve.js";

test("serve with the library listener alone loads neither the X.509 library nor ws", async () => {
  const dir = tempDir();
  const log = join(dir, "modules.txt");
  writeFileSync(log, "");
  writeFileSync(
    join(dir, "hooks.mjs"),
    `import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (result.url.includes("/node_modules/")) appendFileSync(${JSON.stringify(log)}, result.url + "\\n");
  return result;
}`,
  );
  writeFileSync(join(dir, "register.mjs"), `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(join(dir, "hooks.mjs")).href)});\n`);
  const proxy = await startServe([], { listeners: ["library"], env: { NODE_OPTIONS: `--import ${pathToFileURL(join(dir, "register.mjs")).href}` } });
  await proxy.stop();
  const loaded = readFileSync(log, "utf8");
  assert.match(loaded, /\/node_modules\/undici\//, "the hook sees the packages the proxy imports");
  assert.doesNotMatch(loaded, /\/node_modules\/@peculiar\/x509\//);
  assert.doesNotMatch(loaded, /\/node_modules\/ws\//);
});
