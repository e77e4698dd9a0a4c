// The content search: raw bytes of dump files, matched as typed or as json.dump escapes it;
// bounded (it stops and says where to go on from).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { needlesFor, searchDumps, type SearchEvent } from "../../src/view/content-search.js";
import { listDumps } from "../../src/view/log-folder.js";
import { newLogFolder } from "./recorded-folder.js";

function folderWith(dumps: Record<string, string>): string {
  const folder = newLogFolder();
  mkdirSync(join(folder, "interfaces", "library", "files"), { recursive: true });
  for (const [name, text] of Object.entries(dumps)) writeFileSync(join(folder, "interfaces", "library", name), text);
  // Not dumps: an exported file, a flow record.
  writeFileSync(join(folder, "interfaces", "library", "files", "abc_x.json"), '{"rid": "R1"}');
  writeFileSync(join(folder, "interfaces", "library", "00009__x.flow.json"), '{"rid": "R1"}');
  return folder;
}

async function collect(gen: AsyncGenerator<SearchEvent>): Promise<SearchEvent[]> {
  const out: SearchEvent[] = [];
  for await (const e of gen) if (e.type !== "progress") out.push(e);
  return out;
}

test("needles: the text as typed and as Python's json.dump writes it in a string", () => {
  assert.deepEqual(needlesFor('café "x"').map(String), ['café "x"', 'caf\\u00e9 \\"x\\"']);
  assert.deepEqual(needlesFor("18446744073709551615").map(String), ["18446744073709551615"]);
});

test("finds a text inside dumps (not in files/ or flow records), in the order given", async () => {
  const dumps = {
    "00000__a.json": '{"content": {"rid": "R1", "trace_id": 18446744073709551615}}',
    "00001__b.json": '{"content": {"rid": "R2"}}',
    "00002__c.json": '{"content": {"name": "caf\\u00e9"}}',
  };
  const folder = folderWith(dumps);
  const entries = listDumps(folder, "library");
  assert.deepEqual(entries.map((e) => e.name), ["00000__a.json", "00001__b.json", "00002__c.json"]);
  assert.deepEqual(await collect(searchDumps(folder, entries, "R1")), [
    { type: "match", interface: "library", name: "00000__a.json" },
    { type: "end", scanned: 3, total: 3, bytes: Object.values(dumps).join("").length },
  ]);
  assert.deepEqual((await collect(searchDumps(folder, entries, "café")))[0], { type: "match", interface: "library", name: "00002__c.json" });
  assert.deepEqual((await collect(searchDumps(folder, entries, "18446744073709551615")))[0], { type: "match", interface: "library", name: "00000__a.json" });
});

test("stops at its limits and says where a further search starts", async () => {
  const folder = folderWith({ "00000__a.json": '"R"', "00001__b.json": '"R"', "00002__c.json": '"R"' });
  const entries = listDumps(folder, "library");
  const first = await collect(searchDumps(folder, entries, "R", 0, { maxMatches: 2, maxBytes: 1 << 20 }));
  assert.deepEqual(first.at(-1), { type: "end", scanned: 2, total: 3, bytes: 6, next: 2 });
  const rest = await collect(searchDumps(folder, entries, "R", 2, { maxMatches: 2, maxBytes: 1 << 20 }));
  assert.deepEqual(rest, [
    { type: "match", interface: "library", name: "00002__c.json" },
    { type: "end", scanned: 3, total: 3, bytes: 3 },
  ]);
  const byBytes = await collect(searchDumps(folder, entries, "R", 0, { maxMatches: 100, maxBytes: 4 }));
  assert.deepEqual(byBytes.at(-1), { type: "end", scanned: 2, total: 3, bytes: 6, next: 2 });
  const aborted = new AbortController();
  aborted.abort();
  assert.deepEqual(await collect(searchDumps(folder, entries, "R", 0, undefined, aborted.signal)), [{ type: "end", scanned: 0, total: 3, bytes: 0, next: 0 }]);
});
