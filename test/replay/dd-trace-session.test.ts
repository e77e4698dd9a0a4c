// A real dd-trace session (@6; @5 on Node 20) recorded through `st-proxy serve`, then replayed offline:
// `replay decode` rebuilds the same dumps, `replay serve` stands in for the agent.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { CLI } from "../helpers/shared.js";
import { bareEnv, recordDdTraceSession, runDdTraceApp, startListening, stop } from "./session.js";
import { recordedFlows } from "../helpers/flows.js";

const run = promisify(execFile);
const work = mkdtempSync(join(tmpdir(), "st-proxy-replay-"));
const live = join(work, "live");
let session: Awaited<ReturnType<typeof recordDdTraceSession>>;

before(async () => {
  session = await recordDdTraceSession(live);
});
after(() => rmSync(work, { recursive: true, force: true }));

/** Every file under dir, as relative path → bytes. */
function filesUnder(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      // st-proxy's own folder (staging, flow records) holds no dump.
      if (name === ".st-proxy") continue;
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

interface FlowJson {
  method: string;
  path: string;
  response: { status_code: number; headers: [string, string][]; body_b64: string } | null;
}
function flowRecords(logFolder: string): FlowJson[] {
  return recordedFlows(logFolder, "library");
}

test("the recorded dd-trace session: the app ran, serve stopped cleanly, flows beside the dumps", () => {
  assert.equal(session.app.code, 0, session.app.stderr);
  assert.equal(session.serveExit, 0);
  const spans = session.app.stdout.trim().split("\n").map((l) => JSON.parse(l) as { name: string });
  assert.ok(spans.some((s) => s.name === "fixture.manual"));
  const dumps = readdirSync(join(live, "interfaces", "library")).filter((n) => n.endsWith(".json"));
  const flows = recordedFlows(live, "library").map((f) => f.dumpName);
  assert.ok(dumps.some((n) => n.endsWith("__v0.4_traces.json")), `no trace dump in ${dumps.join(", ")}`);
  assert.ok(dumps.some((n) => n.endsWith("__info.json")), `no /info dump in ${dumps.join(", ")}`);
  assert.deepEqual(flows.sort(), dumps.sort());
});

test("replay decode rebuilds the dumps serve wrote, byte for byte once the folder name is set aside", async () => {
  const rebuilt = join(work, "rebuilt");
  const { stdout } = await run(process.execPath, [CLI, "replay", "decode", live, "--out", rebuilt], { env: bareEnv() });
  // Not a terminal: no progress bar, one summary line.
  assert.match(stdout, /^st-proxy replay decode: (\d+) flow records → \1 dumps in .*; 0 skipped\n$/);

  const before = filesUnder(join(live, "interfaces"));
  const after = filesUnder(join(rebuilt, "interfaces"));
  assert.deepEqual([...after.keys()].sort(), [...before.keys()].sort());
  for (const [name, bytes] of before) {
    const expected = bytes.toString("utf8").split(live).join(rebuilt);
    assert.equal(after.get(name)!.toString("utf8"), expected, `${name} differs`);
  }
});

test("replay serve answers the same dd-trace app, with no agent, as the agent answered", async () => {
  const replayLog = join(work, "replayed");
  const server = await startListening(["replay", "serve", live, "--port", "0", "--listen-host", "127.0.0.1", "--log-folder", replayLog]);
  let app;
  try {
    app = await runDdTraceApp(`http://127.0.0.1:${server.port}`);
  } finally {
    assert.equal(await stop(server), 0, server.output());
  }
  assert.equal(app.code, 0, app.stderr);
  assert.match(app.stdout, /"fixture\.manual"/);

  // What the replay server answered is in its own flow records; what the agent answered, in the live ones.
  const recorded = flowRecords(live);
  const replayed = flowRecords(replayLog);
  const answered = (path: string) => replayed.filter((r) => r.path === path);
  assert.ok(answered("/info").length > 0, "dd-trace did not ask /info");
  assert.ok(answered("/v0.4/traces").length > 0, "dd-trace sent no traces");
  for (const path of ["/info", "/v0.4/traces"]) {
    const agentAnswers = recorded.filter((r) => r.path === path).map((r) => [r.response!.status_code, r.response!.body_b64]);
    for (const r of answered(path)) {
      assert.notEqual(r.response, null);
      assert.ok(
        agentAnswers.some(([status, body]) => status === r.response!.status_code && body === r.response!.body_b64),
        `${path} was answered ${r.response!.status_code} ${Buffer.from(r.response!.body_b64, "base64")}, not as recorded`,
      );
    }
  }
});

test("validate: every dump of the recorded dd-trace session matches the schemas", async () => {
  const { stdout } = await run(process.execPath, [CLI, "validate", live], { env: bareEnv() });
  assert.match(stdout, /st-proxy validate: (\d+) dumps, \1 match the schemas, 0 do not \(0 failures\); 0 with a traceback/);
});
