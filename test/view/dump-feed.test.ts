// FolderDumpFeed: dumps put in place by the Recorder (atomic rename) are news once each; what
// was there before is not; st-proxy's hidden folder, files/ and flow records are not dumps.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FolderDumpFeed } from "../../src/view/dump-feed.js";
import type { DumpEntry } from "../../src/view/log-folder.js";
import { newLogFolder, recorderFor, span, v04Exchange } from "./recorded-folder.js";

test("each new dump once, from interfaces that exist and from new ones; nothing else", async () => {
  const folder = newLogFolder();
  const recorder = recorderFor(folder);
  const ex = () => v04Exchange([span({ trace: 1n, id: 1n, parent: 0n, name: "n", resource: "r", start: 1n, duration: 1n })]);
  await recorder.record(ex()); // there before: not news
  const feed = new FolderDumpFeed(folder);
  const got: DumpEntry[] = [];
  let wake = () => {};
  feed.subscribe((e) => {
    got.push(e);
    wake();
  });
  const until = async (n: number) => {
    for (let i = 0; got.length < n; i++) {
      assert.ok(i < 50, `${got.length} of ${n} dumps told: ${JSON.stringify(got)}`);
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 100);
      });
    }
  };
  await recorder.record(ex());
  await recorder.record({ ...ex(), interface: "agent", path: "/api/v0.2/traces", port: 443 });
  // Not dumps: st-proxy's own hidden folder, exported files, a temporary name.
  mkdirSync(join(folder, "interfaces", ".st-proxy", "flows"), { recursive: true });
  writeFileSync(join(folder, "interfaces", ".st-proxy", "flows", "00000__x.json"), "{}");
  mkdirSync(join(folder, "interfaces", "library", "files"), { recursive: true });
  writeFileSync(join(folder, "interfaces", "library", "files", "00000_x.json"), "{}");
  writeFileSync(join(folder, "interfaces", "library", "tmp.json.part"), "{}");
  await recorder.record(ex());
  await until(3);
  feed.close();
  assert.deepEqual(
    got.map((e) => `${e.interface}/${e.name}`).sort(),
    ["agent/00000__api_v0.2_traces.json", "library/00001__v0.4_traces.json", "library/00002__v0.4_traces.json"],
  );
  assert.ok(got.every((e) => e.mtimeMs > 0));
});
