// contrib/system-tests/st-proxy.patch, the change that switches system-tests to st-proxy: it
// applies cleanly to the system-tests commit it names and leaves valid Python
// (scripts/check-system-tests-patch.sh does both), and what it runs in the image exists.
// The first needs DataDog/system-tests at that commit: $SYSTEM_TESTS_DIR or ../system-tests.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { CLI, ROOT } from "../helpers/shared.js";
import { parseTarget } from "../../src/commands/healthcheck.js";
import { tempDir } from "../helpers/serve.js";

const PATCH = join(ROOT, "contrib", "system-tests", "st-proxy.patch");
const SCRIPT = join(ROOT, "scripts", "check-system-tests-patch.sh");
const SYSTEM_TESTS = process.env.SYSTEM_TESTS_DIR ?? join(ROOT, "..", "system-tests");
const patch = readFileSync(PATCH, "utf8");

function check(patchFile = PATCH) {
  return spawnSync("bash", [SCRIPT, SYSTEM_TESTS, patchFile], { encoding: "utf8" });
}

/** The patch with `from` replaced by `to` (once), as a temporary file. */
function altered(from: string, to: string): string {
  assert.ok(patch.includes(from), `the patch contains ${from}`);
  const file = join(tempDir("st-proxy-patch-"), "altered.patch");
  writeFileSync(file, patch.replace(from, to));
  return file;
}

const available = check().status !== 3;
const skip = available ? false : `SKIPPED because DataDog/system-tests at the patch's commit is absent (${SYSTEM_TESTS}; set SYSTEM_TESTS_DIR)`;

test("the patch applies cleanly to its system-tests commit and the patched containers.py compiles", { skip }, () => {
  const result = check();
  assert.equal(result.status, 0, result.stderr + result.stdout);
  assert.match(result.stdout, /^ok: /);
});

test("the check fails on a patch that does not apply, and on one that breaks the Python", { skip }, () => {
  const stale = check(altered(" class ProxyContainer(TestedContainer):", " class ProxyContainer(SomethingElse):"));
  assert.equal(stale.status, 1);
  assert.match(stale.stderr, /does not apply cleanly/);
  const broken = check(altered('+            command = "lambda-proxy"', '+            command = "lambda-proxy'));
  assert.equal(broken.status, 1);
  assert.match(broken.stderr, /not valid Python/);
});

test("what the patch runs in the image exists: serve --confdir, lambda-proxy, and the healthcheck targets", () => {
  const added = patch.split("\n").filter((l) => l.startsWith("+"));
  assert.ok(added.some((l) => l.includes('command = "serve --confdir /app/utils/proxy/.mitmproxy"')));
  assert.ok(added.some((l) => l.includes('"./utils/proxy/.mitmproxy": {"bind": "/app/utils/proxy/.mitmproxy", "mode": "ro"}')));
  const serveHelp = spawnSync(process.execPath, [CLI, "serve", "--help"], { encoding: "utf8" });
  assert.match(serveHelp.stdout, /--confdir/);
  const lambdaHelp = spawnSync(process.execPath, [CLI, "lambda-proxy", "--help"], { encoding: "utf8" });
  for (const v of ["LAMBDA_EVENT_TYPE", "RIE_HOST", "RIE_PORT"]) assert.ok(lambdaHelp.stdout.includes(v), v);
  // The healthcheck commands, with the Python f-string parts as they evaluate.
  const targets = [...patch.matchAll(/st-proxy healthcheck ([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(targets, ["{'[::1]' if enable_ipv6 else 'localhost'}:{ProxyPorts.weblog}", "http://localhost:{self.container_port}/healthcheck"]);
  assert.deepEqual(parseTarget("localhost:8126"), { kind: "tcp", host: "localhost", port: 8126, label: "localhost:8126" });
  assert.deepEqual(parseTarget("[::1]:8126"), { kind: "tcp", host: "::1", port: 8126, label: "[::1]:8126" });
  assert.equal(parseTarget("http://localhost:7777/healthcheck").kind, "http");
});
