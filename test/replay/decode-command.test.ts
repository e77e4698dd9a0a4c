// replay decode on a recording with bad records among good ones: each bad one is named and
// skipped, the others keep the file names they were recorded under, and the exit code is 1.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { CLI, SHARED_PRESENT } from "../helpers/shared.js";
import { writeCorpusRecording } from "./corpus-flows.js";
import { bareEnv } from "./session.js";

const work = mkdtempSync(join(tmpdir(), "st-proxy-rdecode-"));
after(() => rmSync(work, { recursive: true, force: true }));

function replayDecode(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, "replay", "decode", ...args], { env: bareEnv() }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

if (!SHARED_PRESENT) {
  test("replay decode: SKIPPED because ../shared/corpus is absent (a clone on its own)", { skip: true }, () => {});
} else {
  test("replay decode: bad records are named and skipped, the rest keep their recorded names, exit code 1", async () => {
    const flowsDir = join(work, "flows");
    const flows = writeCorpusRecording(flowsDir);
    // Two records spoilt: one not JSON at all, one JSON without the flow record's fields.
    const notJson = flows[2].file;
    const notFlow = flows[5].file;
    writeFileSync(notJson, "{ this is not json");
    writeFileSync(notFlow, JSON.stringify({ interface: "library", method: "PUT" }));
    // A file that is no flow record by its name is not one of the recording.
    writeFileSync(join(flowsDir, "library", "README.txt"), "notes");

    const out = join(work, "out");
    const { code, stdout, stderr } = await replayDecode(flowsDir, "--out", out);
    assert.equal(code, 1);
    const lines = stderr.trim().split("\n");
    assert.equal(lines.length, 2, stderr);
    assert.ok(lines[0].startsWith(`st-proxy replay decode: skipped ${notJson}: not valid JSON`), lines[0]);
    assert.ok(lines[1].startsWith(`st-proxy replay decode: skipped ${notFlow}: request: expected an object`), lines[1]);
    assert.match(stdout, new RegExp(`^st-proxy replay decode: ${flows.length} flow records → ${flows.length - 2} dumps in .*; 2 skipped\\n$`));

    const written = readdirSync(join(out, "interfaces", "library")).filter((n) => n.endsWith(".json")).sort();
    const expected = flows.filter((f) => f.file !== notJson && f.file !== notFlow).map((f) => basename(f.file).replace(/\.flow\.json$/, ".json")).sort();
    assert.deepEqual(written, expected);
    for (const name of written) {
      const dump = JSON.parse(readFileSync(join(out, "interfaces", "library", name), "utf8").replace(/\bNaN\b|-?\bInfinity\b/g, "0"));
      assert.equal(dump.log_filename, `${out}/interfaces/library/${name}`);
    }
  });

  test("replay decode: refuses an --out folder that already holds dumps", async () => {
    const flowsDir = join(work, "flows-2");
    writeCorpusRecording(flowsDir, (f) => f.path === "/info");
    const out = join(work, "taken");
    mkdirSync(join(out, "interfaces", "library"), { recursive: true });
    const { code, stderr } = await replayDecode(flowsDir, "--out", out);
    assert.equal(code, 1);
    assert.match(stderr, /already holds files/);
    assert.ok(!existsSync(join(out, "interfaces", "library", "00000__info.json")));
  });

  test("replay decode: a folder without flow records (a log folder given for its flows/) is an error", async () => {
    const logFolder = join(work, "a-log-folder");
    writeCorpusRecording(join(logFolder, "flows"), (f) => f.path === "/info");
    const { code, stderr } = await replayDecode(logFolder, "--out", join(work, "out-3"));
    assert.equal(code, 1);
    assert.match(stderr, /no flow record under/);
  });

  test("replay decode: usage errors exit 2", async () => {
    assert.equal((await replayDecode(join(work, "flows"))).code, 2);
    assert.equal((await replayDecode("--out", join(work, "x"))).code, 2);
  });
}
