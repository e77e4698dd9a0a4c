// A reader polling the dumps folder must never see half a file. The poller runs on a thread of
// its own while the dumps (several MB each, so that a write in place takes long enough to be
// seen) are written: with the staging + rename replaced by a write in place, it sees partial
// JSON at once.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Worker } from "node:worker_threads";
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { AtomicWriter } from "../../src/record/atomic-write.js";
import { Recorder } from "../../src/record/recorder.js";
import { Scrubber } from "../../src/record/scrub.js";
import type { Exchange } from "../../src/model/exchange.js";
import { tempDir } from "../helpers/serve.js";

const POLLER = `
const { workerData, parentPort } = require("node:worker_threads");
const { readdirSync, readFileSync } = require("node:fs");
const seen = new Set(); const bad = []; let reads = 0;
const poll = () => {
  let names = [];
  try { names = readdirSync(workerData.dir); } catch {}
  for (const name of names) {
    if (!name.endsWith(".json")) continue;
    let text;
    try { text = readFileSync(workerData.dir + "/" + name, "utf8"); } catch { continue; }
    reads++;
    try { JSON.parse(text); seen.add(name); } catch (e) { bad.push(name + ": " + text.length + " bytes: " + e.message); }
  }
};
parentPort.on("message", () => { poll(); parentPort.postMessage({ bad, reads, seen: seen.size }); });
const loop = () => { poll(); if (bad.length === 0) setImmediate(loop); };
loop();
`;

test("atomic dumps: a poller reading multi-MB dumps while they are written never sees a partial one", async () => {
  const logFolder = tempDir();
  const dir = join(logFolder, "interfaces", "library");
  const recorder = new Recorder({ logFolder, scrubber: new Scrubber([]), flows: false, threads: 0 });
  const poller = new Worker(POLLER, { eval: true, workerData: { dir } });
  try {
    // A JSON body of ~3 MB: its dump is ~3 MB too.
    const body = Buffer.from(JSON.stringify(Array.from({ length: 60_000 }, (_, i) => ({ i, text: "x".repeat(32) }))));
    const ex: Exchange = {
      interface: "library",
      method: "POST",
      path: "/telemetry/proxy/api/v2/apmtelemetry",
      host: "agent",
      port: 8127,
      startMicros: 1764170049000000,
      request: { headers: [["Content-Type", "application/json"]], body },
      response: { statusCode: 202, headers: [], body: Buffer.alloc(0) },
    };
    for (let i = 0; i < 25; i++) {
      await recorder.record(ex);
      // Let the poller's reads interleave with the next write.
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await recorder.close();
    const result = await new Promise<{ bad: string[]; reads: number; seen: number }>((resolve) => {
      poller.once("message", resolve);
      poller.postMessage("done");
    });
    assert.deepEqual(result.bad.slice(0, 3), [], "the poller read a partial dump");
    assert.equal(result.seen, 25, "every dump was seen whole");
    assert.ok(result.reads >= 25);
  } finally {
    await poller.terminate();
  }
});

test("staging pieces: written in order as one file; a disk filling part way leaves no staging file", async (t) => {
  const { AtomicWriter } = await import("../../src/record/atomic-write.js");
  const { mkdirSync, readdirSync, readFileSync, writeFileSync, rmSync } = await import("node:fs");
  const { execFileSync } = await import("node:child_process");
  const pieces = [Buffer.from("{\n  \"content\": "), Buffer.alloc(150 * 1024, 0x61), Buffer.from("\n}")];
  const dir = tempDir();
  const writer = new AtomicWriter(join(dir, "staging"));
  assert.deepEqual(readFileSync(writer.stage(pieces)), Buffer.concat(pieces));
  if (process.getuid?.() !== 0) return t.skip("the full-disk half needs root to mount a small tmpfs (CI runs as root)");
  const small = join(dir, "small");
  mkdirSync(small);
  execFileSync("mount", ["-t", "tmpfs", "-o", "size=256k", "tmpfs", small]);
  t.after(() => execFileSync("umount", ["-l", small]));
  // Room for part of the pieces only: the vectored write stops short, the next one fails.
  writeFileSync(join(small, "filler"), Buffer.alloc(160 * 1024));
  const full = new AtomicWriter(join(small, "staging"));
  assert.throws(() => full.stage(pieces), { code: "ENOSPC" });
  assert.deepEqual(readdirSync(join(small, "staging")), [], "no staging file left behind");
  rmSync(join(small, "filler"));
  assert.deepEqual(readFileSync(full.stage(pieces)), Buffer.concat(pieces));
});

test("a file is staged, then renamed into place: the staging folder is left empty", () => {
  const root = tempDir();
  const staging = join(root, "staging");
  const writer = new AtomicWriter(staging);
  writer.write(join(root, "a", "x.json"), join(root, "a"), "{}");
  const staged = writer.stage(Buffer.from("[1]"));
  assert.deepEqual(readdirSync(staging), [basename(staged)]);
  writer.publish(staged, join(root, "a", "y.json"), join(root, "a"));
  assert.deepEqual([readFileSync(join(root, "a", "x.json"), "utf8"), readFileSync(join(root, "a", "y.json"), "utf8")], ["{}", "[1]"]);
  assert.deepEqual(readdirSync(staging), []);
});

test("a target folder removed after its first file is made again", () => {
  const root = tempDir();
  const writer = new AtomicWriter(join(root, "staging"));
  const dir = join(root, "interfaces", "library");
  writer.write(join(dir, "00000.json"), dir, "0");
  rmSync(join(root, "interfaces"), { recursive: true });
  writer.write(join(dir, "00001.json"), dir, "1");
  assert.deepEqual(readdirSync(dir), ["00001.json"]);
});

test("a rename that fails throws and leaves no staged file behind", () => {
  const root = tempDir();
  const staging = join(root, "staging");
  const writer = new AtomicWriter(staging);
  // A non-empty folder where the file should go: the rename cannot replace it.
  mkdirSync(join(root, "taken", "inside"), { recursive: true });
  assert.throws(() => writer.write(join(root, "taken"), root, "{}"), /EISDIR|ENOTEMPTY|EEXIST/);
  assert.deepEqual(readdirSync(staging), []);
  assert.ok(statSync(join(root, "taken")).isDirectory(), "what was there is untouched");
});
