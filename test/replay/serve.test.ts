// replay serve over the corpus's library cases: recorded answers for recorded requests, 404
// with the reason otherwise, every exchange recorded like serve records one.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SHARED_PRESENT } from "../helpers/shared.js";
import { writeCorpusRecording } from "./corpus-flows.js";
import { startListening, stop } from "./session.js";
import { recordedFlows } from "../helpers/flows.js";

const work = mkdtempSync(join(tmpdir(), "st-proxy-rserve-"));
after(() => rmSync(work, { recursive: true, force: true }));

if (!SHARED_PRESENT) {
  test("replay serve: SKIPPED because ../shared/corpus is absent (a clone on its own)", { skip: true }, () => {});
} else {
  test("replay serve: a recorded request gets the recorded answer, an unknown one 404 with the reason; both are recorded", async () => {
    const flowsDir = join(work, "flows");
    const flows = writeCorpusRecording(flowsDir, (f) => f.response !== null && !f.killed);
    const info = flows.find((f) => f.method === "GET" && f.path === "/info")!;
    assert.ok(info, "the corpus has a GET /info case");
    const logFolder = join(work, "log");
    const server = await startListening(["replay", "serve", flowsDir, "--port", "0", "--listen-host", "127.0.0.1", "--log-folder", logFolder]);
    try {
      const base = `http://127.0.0.1:${server.port}`;
      const known = await fetch(`${base}/info`);
      assert.equal(known.status, info.response!.status_code);
      assert.ok(Buffer.from(await known.arrayBuffer()).equals(Buffer.from(info.response!.body_b64, "base64")));

      const unknown = await fetch(`${base}/not/recorded?x=1`, { method: "POST", body: "hello" });
      assert.equal(unknown.status, 404);
      assert.match(await unknown.text(), /no recorded POST \/not\/recorded to answer with \(recorded: .*GET \/info/);
    } finally {
      assert.equal(await stop(server), 0, server.output());
    }
    const dumps = readdirSync(join(logFolder, "interfaces", "library")).sort();
    assert.deepEqual(dumps, ["00000__info.json", "00001__not_recorded.json"]);
    const missed = JSON.parse(readFileSync(join(logFolder, "interfaces", "library", dumps[1]), "utf8"));
    assert.equal(missed.path, "/not/recorded");
    assert.equal(missed.query, "x=1");
    assert.equal(missed.request.length, 5);
    assert.equal(missed.response.status_code, 404);
    assert.match(missed.error, /no recorded POST \/not\/recorded/);
    assert.deepEqual(recordedFlows(logFolder, "library").map((f) => f.dumpName), dumps);
  });
}
