import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { encode } from "@msgpack/msgpack";
import { ThreadedRecorder } from "../../src/record/threaded-recorder.js";
import { Recorder } from "../../src/record/recorder.js";
import { Scrubber } from "../../src/record/scrub.js";
import type { Exchange } from "../../src/record/exchange.js";
import { tempDir } from "../helpers/serve.js";

const exchange = (i: number): Exchange => ({
  interface: i % 3 === 0 ? "python_buddy" : "library",
  method: "PUT",
  path: "/v0.4/traces",
  host: "agent",
  port: 8127,
  startMicros: 1764170049000000 + i,
  request: { headers: [["Content-Type", "application/msgpack"]], body: Buffer.from(encode([[{ trace_id: 2n ** 64n - 1n - BigInt(i), name: `s${i}`, meta: { secret: "hunter2hunter2" } }]], { useBigInt64: true })) },
  response: { statusCode: 200, headers: [["Content-Type", "application/json"]], body: Buffer.from('{"rate_by_service":{}}') },
});

test("recording threads write the same files as recording on the event loop, numbered without gaps", async () => {
  const threadedDir = tempDir();
  const localDir = tempDir();
  const threaded = new ThreadedRecorder({ logFolder: threadedDir, scrubber: new Scrubber(["hunter2hunter2"]), secrets: ["hunter2hunter2"], flows: true }, 2);
  const local = new Recorder({ logFolder: localDir, scrubber: new Scrubber(["hunter2hunter2"]), flows: true });
  try {
    await Promise.all(Array.from({ length: 120 }, (_, i) => threaded.record(exchange(i))));
    for (let i = 0; i < 120; i++) local.record(exchange(i));
  } finally {
    await threaded.close();
  }
  assert.equal(threaded.writeFailures, 0);
  for (const iface of ["library", "python_buddy"]) {
    for (const sub of ["interfaces", "interfaces/.st-proxy/flows"]) {
      const a = readdirSync(join(threadedDir, sub, iface)).sort();
      const b = readdirSync(join(localDir, sub, iface)).sort();
      assert.deepEqual(a, b);
      assert.deepEqual(a.map((n) => Number(n.slice(0, 5))), Array.from({ length: a.length }, (_, k) => k));
      for (const name of a) {
        const x = readFileSync(join(threadedDir, sub, iface, name), "utf8").replaceAll(threadedDir, "DIR");
        const y = readFileSync(join(localDir, sub, iface, name), "utf8").replaceAll(localDir, "DIR");
        assert.equal(x, y, `${sub}/${iface}/${name}`);
        assert.ok(!x.includes("hunter2hunter2"), "scrubbed on the thread too");
      }
    }
  }
  assert.match(readFileSync(join(threadedDir, "interfaces", "library", "00000__v0.4_traces.json"), "utf8"), /"trace_id": 18446744073709551614/);
});
