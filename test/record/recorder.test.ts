import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { encode } from "@msgpack/msgpack";
import { LARGE_EXCHANGE, Recorder } from "../../src/record/recorder.js";
import { Scrubber } from "../../src/record/scrub.js";
import { flowsDir } from "../../src/record/layout.js";
import { buildDump, dumpFilename, filesDirFor } from "../../src/record/dump.js";
import { writePythonJsonBytes } from "../../src/json/write.js";
import type { Exchange } from "../../src/model/exchange.js";
import { tempDir } from "../helpers/serve.js";
import { recordedFlows } from "../helpers/flows.js";
import { infoExchange } from "../helpers/exchanges.js";

const SECRET = "hunter2hunter2";

/** Every 5th exchange large enough for a recording thread; the others small. */
const exchange = (i: number): Exchange => {
  const spans = Array.from({ length: i % 5 === 0 ? 2500 : 3 }, (_, k) => ({ trace_id: 2n ** 64n - 1n - BigInt(i), span_id: BigInt(k + 1), name: `s${i}`, meta: { secret: SECRET, k: "x".repeat(40) } }));
  return {
    interface: i % 3 === 0 ? "python_buddy" : "library",
    method: "PUT",
    path: "/v0.4/traces",
    host: "agent",
    port: 8127,
    startMicros: 1764170049000000 + i,
    request: { headers: [["Content-Type", "application/msgpack"], ["X-Key", SECRET]], body: Buffer.from(encode([spans], { useBigInt64: true })) },
    response: { statusCode: 200, headers: [["Content-Type", "application/json"]], body: Buffer.from('{"rate_by_service":{}}') },
  };
};

test("recorder: dumps made on recording threads are the ones made here, numbered without gaps, and the threads really work", async () => {
  const reports: string[] = [];
  const threadedDir = tempDir();
  const localDir = tempDir();
  const threaded = new Recorder({ logFolder: threadedDir, scrubber: new Scrubber([SECRET]), secrets: [SECRET], flows: true, threads: 2, report: (l) => reports.push(l) });
  const local = new Recorder({ logFolder: localDir, scrubber: new Scrubber([SECRET]), flows: true, threads: 0, report: (l) => reports.push(l) });
  try {
    assert.ok(exchange(0).request.body.length >= LARGE_EXCHANGE, "the large exchanges are large enough for a thread");
    await Promise.all(Array.from({ length: 60 }, (_, i) => threaded.record(exchange(i))));
    for (let i = 0; i < 60; i++) await local.record(exchange(i));
  } finally {
    await threaded.close();
    await local.close();
  }
  // A thread that cannot start (say, a .ts file without a loader) hands its work back: that must show.
  assert.deepEqual(reports, []);
  assert.deepEqual(threaded.made, { onThreads: 12, here: 48 });
  assert.equal(threaded.writeFailures, 0);
  for (const iface of ["library", "python_buddy"]) {
    const a = readdirSync(join(threadedDir, "interfaces", iface)).sort();
    assert.deepEqual(a, readdirSync(join(localDir, "interfaces", iface)).sort());
    assert.deepEqual(a.map((n) => Number(n.slice(0, 5))), Array.from({ length: a.length }, (_, k) => k));
    for (const name of a) {
      const x = readFileSync(join(threadedDir, "interfaces", iface, name), "utf8").replaceAll(threadedDir, "DIR");
      assert.equal(x, readFileSync(join(localDir, "interfaces", iface, name), "utf8").replaceAll(localDir, "DIR"), `${iface}/${name}`);
      assert.ok(!x.includes(SECRET), "scrubbed on the threads too");
    }
    const flows = recordedFlows(threadedDir, iface);
    assert.deepEqual(flows.map((f) => f.dumpName), a, "a flow record per dump, same numbers");
  }
  assert.match(readFileSync(join(threadedDir, "interfaces", "library", "00000__v0.4_traces.json"), "utf8"), /"trace_id": 18446744073709551614/);
});

test("recorder: one render buffer serves every dump, and each dump still holds its own exchange", async () => {
  // The recorder renders each trace payload into one buffer it reuses: a dump written after the
  // next exchange was rendered would hold that exchange's spans. Each is compared with the dump
  // built alone, with a buffer of its own. (No secrets: scrubbing one out of the payload copies it.)
  const dir = tempDir();
  const scrubber = new Scrubber([]);
  const recorder = new Recorder({ logFolder: dir, scrubber, flows: false, threads: 0 });
  const exchanges = [1, 2, 5, 4, 7, 10, 8].map(exchange).map((ex) => ({ ...ex, interface: "library" }));
  try {
    await Promise.all(exchanges.map((ex) => recorder.record(ex)));
  } finally {
    await recorder.close();
  }
  exchanges.forEach((ex, n) => {
    const name = dumpFilename(dir, "library", n, ex.path);
    const alone = scrubber.bytes(writePythonJsonBytes(buildDump(ex, name, filesDirFor(dir, "library")).dump));
    assert.equal(readFileSync(name, "latin1"), alone.toString("latin1"), name);
  });
});

test("recorder: the flow log holds each exchange as sent, but no secret anywhere in its bytes", async () => {
  const dir = tempDir();
  const recorder = new Recorder({ logFolder: dir, scrubber: new Scrubber([SECRET]), flows: true });
  const ex = exchange(1);
  ex.path = `/v0.4/traces?api_key=${SECRET}`;
  ex.error = `upstream answered late (key ${SECRET})`;
  await recorder.record(ex);
  await recorder.close();
  const raw = readFileSync(join(flowsDir(dir), "library.flows"));
  assert.equal(raw.indexOf(SECRET), -1, "the secret is in the flow log");
  const [flow] = recordedFlows(dir, "library");
  assert.equal(flow.path, "/v0.4/traces?api_key=--redacted--");
  assert.equal(flow.error, "upstream answered late (key --redacted--)");
  assert.deepEqual(flow.request.headers, [["Content-Type", "application/msgpack"], ["X-Key", "--redacted--"]]);
  // The body is the one sent, but for the secret: same bytes either side of each occurrence.
  const sent = ex.request.body.toString("latin1").split(SECRET);
  assert.ok(sent.length > 1);
  assert.equal(Buffer.from(flow.request.body_b64, "base64").toString("latin1"), sent.join("--redacted--"));
});

test("recorder: a multipart file is exported scrubbed", async () => {
  const dir = tempDir();
  const recorder = new Recorder({ logFolder: dir, scrubber: new Scrubber([SECRET]), flows: false });
  const boundary = "b0und";
  const body = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="dump.bin"\r\nContent-Type: application/octet-stream\r\n\r\n\x00\x01key=${SECRET}\xff\r\n--${boundary}--\r\n`, "latin1");
  await recorder.record({
    interface: "agent",
    method: "POST",
    path: "/api/v2/profile",
    host: "intake.profile.datadoghq.com",
    port: 443,
    startMicros: 1764170049000000,
    request: { headers: [["Content-Type", `multipart/form-data; boundary=${boundary}`]], body },
    response: { statusCode: 200, headers: [], body: Buffer.alloc(0) },
  });
  await recorder.close();
  const files = readdirSync(join(dir, "interfaces", "agent", "files"));
  assert.equal(files.length, 1);
  const exported = readFileSync(join(dir, "interfaces", "agent", "files", files[0]));
  assert.equal(exported.indexOf(SECRET), -1, "the secret is in the exported file");
  assert.ok(exported.includes(Buffer.from("key=--redacted--")));
  assert.equal(existsSync(flowsDir(dir)), false, "flows: false keeps no flow record");
});

/** A GET whose response body is `size` bytes of JSON; no request body. */
const answer = (size: number): Exchange => infoExchange(JSON.stringify("x".repeat(size - 2)));
const dumpsOf = (dir: string) => (existsSync(join(dir, "interfaces", "library")) ? readdirSync(join(dir, "interfaces", "library")).sort() : []);

test("recorder: a dump waits for the one numbered before it, made on a thread, to be in place first", async () => {
  const dir = tempDir();
  const recorder = new Recorder({ logFolder: dir, scrubber: new Scrubber([]), flows: false, threads: 1 });
  try {
    // Exactly the threshold, all of it in the response: made on the thread.
    const large = recorder.record(answer(LARGE_EXCHANGE));
    const small = recorder.record(answer(100));
    assert.deepEqual(dumpsOf(dir), [], "the small dump, made at once, is not put in place before 00000");
    await small;
    assert.deepEqual(dumpsOf(dir), ["00000__info.json", "00001__info.json"]);
    await large;
  } finally {
    await recorder.close();
  }
  assert.deepEqual(recorder.made, { onThreads: 1, here: 1 });
  assert.equal(JSON.parse(readFileSync(join(dir, "interfaces", "library", "00000__info.json"), "utf8")).response.length, LARGE_EXCHANGE);
});

test("recorder: close waits for the dumps still being made on threads", async () => {
  const dir = tempDir();
  const recorder = new Recorder({ logFolder: dir, scrubber: new Scrubber([]), flows: false, threads: 2 });
  for (let i = 0; i < 3; i++) void recorder.record(answer(LARGE_EXCHANGE + i));
  await recorder.close();
  assert.deepEqual(dumpsOf(dir), ["00000__info.json", "00001__info.json", "00002__info.json"]);
  assert.deepEqual(recorder.made, { onThreads: 3, here: 0 });
});

test("recorder: recordAs writes under the name given, takes no number and keeps no flow record; false when it cannot write", async () => {
  const dir = tempDir();
  const reports: string[] = [];
  const recorder = new Recorder({ logFolder: dir, scrubber: new Scrubber([]), flows: true, report: (l) => reports.push(l) });
  const named = join(dir, "interfaces", "library", "00042__info.json");
  assert.equal(recorder.recordAs(answer(10), named), true);
  await recorder.record(answer(10));
  // A folder where the dump should go: the rename fails.
  mkdirSync(join(dir, "interfaces", "library", "00007__info.json", "x"), { recursive: true });
  assert.equal(recorder.recordAs(answer(10), join(dir, "interfaces", "library", "00007__info.json")), false);
  await recorder.close();
  assert.deepEqual(dumpsOf(dir), ["00000__info.json", "00007__info.json", "00042__info.json"]);
  assert.equal(JSON.parse(readFileSync(named, "utf8")).log_filename, named);
  assert.deepEqual(recordedFlows(dir, "library").map((f) => f.dumpName), ["00000__info.json"]);
  assert.equal(recorder.writeFailures, 1);
  assert.match(reports[0], /could not write .*00007__info\.json: .*(EISDIR|ENOTEMPTY|EEXIST)/);
});
