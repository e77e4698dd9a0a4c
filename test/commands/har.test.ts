// `st-proxy har`: HAR 1.2 from a recording's flow records, bodies as on the wire (compared with
// the corpus' own flow files, not with anything st-proxy wrote).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CLI, CORPUS_CASES, SHARED_PRESENT } from "../helpers/shared.js";
import { corpusExchanges, newLogFolder, recorderFor } from "../view/recorded-folder.js";

const st = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", maxBuffer: 1 << 28 });

test("har --help tells every flag; an unknown flag is one line and exit 2", () => {
  const help = st("har", "--help");
  assert.equal(help.status, 0);
  for (const flag of ["--interface", "-o, --output", "-h, --help"]) assert.ok(help.stdout.includes(flag), flag);
  const bad = st("har", "x", "--frobnicate");
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^st-proxy har: Unknown option '--frobnicate'.*\n\(see st-proxy har --help\)\n$/);
});

test("a folder without flow records: exit 1 with the reason", () => {
  const folder = newLogFolder();
  const r = st("har", folder);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /no flow records/);
});

test("every recorded exchange becomes a HAR entry with its wire bodies", { skip: !SHARED_PRESENT && "SKIPPED because ../shared/corpus is absent" }, async () => {
  const folder = newLogFolder();
  const recorder = recorderFor(folder);
  const byDump = new Map<string, string>();
  for (const [name, ex] of corpusExchanges()) byDump.set(await recorder.record(ex), name);
  await recorder.close();
  const out = join(folder, "run.har");
  const r = st("har", folder, "-o", out);
  assert.equal(r.status, 0, r.stderr);
  const har = JSON.parse(readFileSync(out, "utf8"));
  assert.equal(har.log.version, "1.2");
  assert.equal(har.log.creator.name, "st-proxy");
  assert.equal(har.log.entries.length, byDump.size);
  let binary = 0;
  for (const entry of har.log.entries) {
    const name = byDump.get(`${entry._interface}/${entry._dump}`)!;
    const flow = JSON.parse(readFileSync(join(CORPUS_CASES, `${name}.flow.json`), "utf8"));
    const wire = (b64: string | undefined) => Buffer.from(b64 ?? "", "base64");
    const harBody = (x: { text?: string; encoding?: string } | undefined) => (x?.encoding === "base64" ? Buffer.from(x.text!, "base64") : Buffer.from(x?.text ?? "", "utf8"));
    assert.equal(entry.request.method, flow.method, name);
    assert.ok(entry.request.url.endsWith(flow.path), `${name}: ${entry.request.url}`);
    assert.deepEqual(entry.request.headers, flow.request.headers.map(([n, v]: string[]) => ({ name: n, value: v })), name);
    assert.ok(harBody(entry.request.postData).equals(wire(flow.request.body_b64)), `${name}: request body`);
    if (flow.response) {
      assert.equal(entry.response.status, flow.response.status_code, name);
      assert.ok(harBody(entry.response.content).equals(wire(flow.response.body_b64)), `${name}: response body`);
    } else assert.equal(entry.response.status, 0, name);
    if (entry.request.postData?.encoding === "base64") binary++;
  }
  // msgpack and compressed bodies are binary: base64.
  assert.ok(binary > 10, `${binary} binary request bodies`);

  const library = JSON.parse(st("har", folder, "--interface", "agent").stdout);
  assert.deepEqual(new Set(library.log.entries.map((e: any) => e._interface)), new Set(["agent"]));
});
