// Issue 9's reported defects, each as the reporter sent it (curl to `st-proxy serve`): a
// deeply nested JSON body lost its dump; a 64 MB body or a 65 KB gzip bomb killed the process;
// a 17-byte zstd frame made the dump show 16 MB of zeros never sent. (The full disk is in
// test/record/recorder-faults.test.ts.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { startServe, tempDir, type ServeProcess } from "../helpers/serve.js";
import { readDumps } from "../helpers/dumps.js";
import { recordedFlows } from "../helpers/flows.js";
import { startTestAgent } from "../helpers/stand-in-agent.js";

function curl(port: number, path: string, file: string, headers: string[]): Promise<{ code: number | null; stdout: string }> {
  const args = ["-s", "-o", "-", "-w", "\n%{http_code}", "-X", "PUT", ...headers.flatMap((h) => ["-H", h]), "--data-binary", `@${file}`, `http://127.0.0.1:${port}${path}`];
  return new Promise((resolve) => execFile("curl", args, { maxBuffer: 1 << 20 }, (error, stdout) => resolve({ code: error ? 1 : 0, stdout })));
}

function peakRssMb(proxy: ServeProcess): number {
  return Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${proxy.proc.pid}/status`, "utf8"))![1]) / 1024;
}

for (const threads of ["1", "0"]) {
  test(`defect 1: JSON nested 10,000 deep is forwarded and dumped with a traceback (--record-threads ${threads})`, async () => {
    const proxy = await startServe(["--agent-target", "builtin", "--record-threads", threads], { listeners: ["library"] });
    const file = join(tempDir(), "deep.json");
    writeFileSync(file, "[".repeat(10_000) + "]".repeat(10_000));
    try {
      const r = await curl(proxy.ports.library, "/telemetry/proxy/api/v2/apmtelemetry", file, ["content-type: application/json"]);
      // The built-in agent's answer to telemetry, passed on.
      assert.match(r.stdout, /\n202$/);
    } finally {
      assert.equal(await proxy.stop(), 0, proxy.output());
    }
    const [dump] = readDumps(proxy.logFolder, "library");
    assert.match(dump.request.traceback, /RecursionError: maximum recursion depth exceeded while decoding a JSON array/);
    assert.equal(dump.request.length, 20_000);
    assert.ok(dump.request.raw_content.startsWith("b'[[[["));
  });
}

test("defect 2: a 65 KB gzip bomb (64 MiB of zeros) and 70 MB of undecodable bytes: the process lives, memory stays near the body's size", async () => {
  const proxy = await startServe(["--agent-target", "builtin"], { listeners: ["library"] });
  const dir = tempDir();
  const bomb = join(dir, "bomb.gz");
  writeFileSync(bomb, gzipSync(Buffer.alloc(64 * 1024 * 1024 + 1), { level: 9 }));
  const blob = join(dir, "blob.bin");
  const big = Buffer.alloc(70 * 1024 * 1024, 0x00);
  for (let i = 0; i < big.length; i += 4096) big[i] = 0xc1; // never valid msgpack
  writeFileSync(blob, big);
  const idle = peakRssMb(proxy);
  let peak;
  try {
    assert.match((await curl(proxy.ports.library, "/v0.4/traces", bomb, ["content-type: application/msgpack", "content-encoding: gzip"])).stdout, /\n200$/);
    assert.match((await curl(proxy.ports.library, "/v0.4/traces", blob, ["content-type: application/msgpack"])).stdout, /\n200$/);
    // And the proxy still works.
    assert.match((await curl(proxy.ports.library, "/v0.4/traces", bomb, ["content-type: application/msgpack", "content-encoding: gzip"])).stdout, /\n200$/);
    peak = peakRssMb(proxy);
  } finally {
    assert.equal(await proxy.stop(), 0, proxy.output());
  }
  const [bombDump, blobDump] = readDumps(proxy.logFolder, "library");
  assert.match(bombDump.request.traceback, /BodyTooLargeError: the decoded body would pass the limit of 67108864 bytes/);
  assert.match(bombDump.error, /request body not decoded: .*--max-body-size/);
  assert.match(blobDump.request.traceback, /BodyTooLargeError: .*the body has 73400320 bytes/);
  // raw_content is bounded; the whole body is in the flow record.
  assert.ok(blobDump.request.raw_content.length < 2 * 1024 * 1024, `raw_content of ${blobDump.request.raw_content.length} characters`);
  assert.match(blobDump.request.raw_content, /\.\.\. \[73138176 more bytes not shown: st-proxy shows the first 262144/);
  assert.equal(Buffer.from(recordedFlows(proxy.logFolder, "library")[1].request.body_b64, "base64").length, big.length);
  // At most a few times the largest body above idle (the reference peaked near 3 GB, then died).
  assert.ok(peak - idle < 4 * 70 + 20, `peak RSS ${peak.toFixed(0)} MB, idle ${idle.toFixed(0)} MB (the recording thread starts with the first large exchange: ~20 MB)`);
});

test("defect 3: a 17-byte zstd frame declaring 100 MB (or 16 MB) of content it does not carry is refused, not invented", async () => {
  const proxy = await startServe(["--agent-target", "builtin"], { listeners: ["library"] });
  const dir = tempDir();
  const frames = {
    // The reporter's bytes: Frame_Content_Size 100 MiB, one empty RLE block.
    declares100: Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0xe0, 0x00, 0x00, 0x40, 0x06, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00]),
    declares16: Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0xe0, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00]),
  };
  try {
    for (const [name, bytes] of Object.entries(frames)) {
      writeFileSync(join(dir, name), bytes);
      assert.match((await curl(proxy.ports.library, "/v0.4/traces", join(dir, name), ["content-type: application/msgpack", "content-encoding: zstd"])).stdout, /\n200$/);
    }
  } finally {
    assert.equal(await proxy.stop(), 0, proxy.output());
  }
  const [big, small] = readDumps(proxy.logFolder, "library");
  // fzstd behind st-proxy's frame check (Node 20), or node:zlib's own zstd (Node 22.15+).
  assert.match(big.request.traceback, /BodyTooLargeError|Data corruption detected/);
  assert.match(small.request.traceback, /declares 16777216 bytes but its blocks make at most 0|Data corruption detected/);
  for (const d of [big, small]) {
    assert.equal(d.request.length, 17);
    assert.equal(d.request.content, undefined);
  }
});

test("a body whose decoded tree would be huge (millions of values) is recorded undecoded, saying why; memory stays bounded", async (t) => {
  // An agent of its own process: the built-in one would count its own copy of the body here.
  const agent = await startTestAgent(() => ({ status: 202, body: "{}" }));
  t.after(() => agent.close());
  const proxy = await startServe(["--agent-target", `127.0.0.1:${agent.port}`], { listeners: ["library"] });
  const file = join(tempDir(), "wide.json");
  // 30 MB of [[[0]]]: eleven million arrays once parsed (the reference would try, for gigabytes).
  const wideBody = "[" + "[[[0]]],".repeat(3_750_000) + "0]";
  writeFileSync(file, wideBody);
  const idle = peakRssMb(proxy);
  let peak;
  try {
    assert.match((await curl(proxy.ports.library, "/telemetry/proxy/api/v2/apmtelemetry", file, ["content-type: application/json"])).stdout, /\n202$/);
    writeFileSync(file, "[]");
    assert.match((await curl(proxy.ports.library, "/telemetry/proxy/api/v2/apmtelemetry", file, ["content-type: application/json"])).stdout, /\n202$/);
    peak = peakRssMb(proxy);
  } finally {
    assert.equal(await proxy.stop(), 0, proxy.output());
  }
  assert.doesNotMatch(proxy.output(), /DEFECT/);
  const [wide, small] = readDumps(proxy.logFolder, "library");
  assert.match(wide.request.traceback, /TooManyValuesError: the body would decode to more than 4000000 values \(JSON\)/);
  assert.match(wide.error, /request body not decoded/);
  assert.equal(Buffer.from(recordedFlows(proxy.logFolder, "library")[0].request.body_b64, "base64").length, wideBody.length, "the whole body is in the flow record");
  assert.deepEqual(small.request.content, []);
  // A few times the body, plus the recording thread, which starts with the first large exchange (~20 MB).
  assert.ok(peak - idle < 5 * 30 + 20, `peak RSS ${peak.toFixed(0)} MB, idle ${idle.toFixed(0)} MB`);
});
