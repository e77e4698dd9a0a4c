// The supported runtime is named in four places that must agree: the Dockerfile's base image
// (both stages), package.json's devDependency "node" (the LTS the suite runs on, see
// test/run.mjs), the Node actually installed from it, and engines (which must include that LTS).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { ROOT } from "./helpers/shared.js";

const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const major = (version: string) => Number(/(\d+)/.exec(version)![1]);

test("Dockerfile FROM, the npm package node the tests run on, and engines name the same LTS", () => {
  const froms = [...readFileSync(join(ROOT, "Dockerfile"), "utf8").matchAll(/^FROM node:(\d+)-bookworm-slim\b/gm)].map((m) => Number(m[1]));
  assert.equal(froms.length, 2, "a build stage and a runtime stage, both node:<major>-bookworm-slim");
  const lts = major(pkg.devDependencies.node);
  assert.deepEqual(froms, [lts, lts]);
  assert.equal(major(JSON.parse(readFileSync(join(ROOT, "node_modules", "node", "package.json"), "utf8")).version), lts, "npm ci installed that major");
  assert.match(pkg.engines.node, /^>=\d+\.\d+\.\d+$/);
  assert.ok(major(pkg.engines.node) <= lts, `engines ${pkg.engines.node} includes Node ${lts}`);
});

test("npm test runs test/run.mjs (every file on the LTS and on the oldest Node engines allows), and CI runs npm test", () => {
  assert.match(pkg.scripts.test, /node test\/run\.mjs$/);
  assert.match(readFileSync(join(ROOT, ".ci", "run"), "utf8"), /^npm test$/m);
  assert.equal(pkg.allowScripts?.node, true, "the npm package node's preinstall (it fetches the binary) is approved");
});
