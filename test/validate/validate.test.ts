// st-proxy validate over the dumps the test suites see: the reference's own dumps for the
// corpus, what `st-proxy decode` makes of the corpus, and dumps spoilt on purpose.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CLI, CORPUS_CASES, SHARED_PRESENT } from "../helpers/shared.js";

const work = mkdtempSync(join(tmpdir(), "st-proxy-validate-"));
after(() => rmSync(work, { recursive: true, force: true }));

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH }, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

interface Report {
  code: number;
  failures: { file: string; path: string; message: string }[];
  tracebacks: { file: string; path: string }[];
  summary: string;
}

async function validate(folder: string): Promise<Report> {
  const { code, stdout } = await cli(["validate", folder]);
  const report: Report = { code, failures: [], tracebacks: [], summary: "" };
  for (const line of stdout.split("\n")) {
    const m = /^(FAIL|TRACEBACK) (\S+) (\$\S*): (.*)$/.exec(line);
    if (m?.[1] === "FAIL") report.failures.push({ file: m[2], path: m[3], message: m[4] });
    else if (m) report.tracebacks.push({ file: m[2], path: m[3] });
    else if (line.startsWith("st-proxy validate:")) report.summary = line;
  }
  return report;
}

/** Where a dump has a traceback, read from the file itself: "$.request.traceback", ... */
function tracebackPaths(file: string): string[] {
  const dump = JSON.parse(readFileSync(file, "utf8").replace(/\bNaN\b|-?\bInfinity\b/g, "0"));
  return (["request", "response"] as const).filter((side) => dump?.[side] && "traceback" in dump[side]).map((side) => `$.${side}.traceback`);
}

const caseNames = SHARED_PRESENT
  ? readdirSync(CORPUS_CASES)
      .filter((n) => n.endsWith(".flow.json"))
      .map((n) => n.replace(/\.flow\.json$/, ""))
      .sort()
  : [];

if (!SHARED_PRESENT) {
  test("validate on the corpus: SKIPPED because ../shared/corpus is absent (a clone on its own)", { skip: true }, () => {});
} else {
  test("validate: the reference's own dumps for the corpus match the schemas; exactly those with a traceback are flagged", async () => {
    const folder = join(work, "reference");
    const dir = join(folder, "interfaces", "corpus");
    mkdirSync(dir, { recursive: true });
    const expectedTracebacks: string[] = [];
    let count = 0;
    for (const name of caseNames) {
      const expected = join(CORPUS_CASES, `${name}.expected.json`);
      // "null": the reference wrote no dump for that exchange.
      if (readFileSync(expected, "utf8").trim() === "null") continue;
      const file = join(dir, `${name}.json`);
      copyFileSync(expected, file);
      count++;
      for (const path of tracebackPaths(file)) expectedTracebacks.push(`${file} ${path}`);
    }
    const report = await validate(folder);
    assert.deepEqual(report.failures, []);
    assert.ok(expectedTracebacks.length > 0);
    assert.deepEqual(report.tracebacks.map((t) => `${t.file} ${t.path}`).sort(), expectedTracebacks.sort());
    assert.match(report.summary, new RegExp(`: ${count} dumps, ${count} match the schemas, 0 do not`));
    assert.equal(report.code, 1, "a traceback makes the run fail");
  });

  test("validate: what `st-proxy decode` makes of every corpus case matches the schemas; its tracebacks are flagged", async () => {
    const folder = join(work, "decoded");
    const dir = join(folder, "interfaces", "corpus");
    mkdirSync(dir, { recursive: true });
    const pending = [...caseNames];
    const worker = async () => {
      for (let name = pending.shift(); name !== undefined; name = pending.shift()) {
        const { code, stdout, stderr } = await cli(["decode", join(CORPUS_CASES, `${name}.flow.json`)]);
        assert.equal(code, 0, `decode ${name}: ${stderr}`);
        writeFileSync(join(dir, `${name}.json`), stdout);
      }
    };
    await Promise.all([worker(), worker(), worker()]);
    const expectedTracebacks = caseNames.flatMap((name) => tracebackPaths(join(dir, `${name}.json`)).map((p) => `${join(dir, `${name}.json`)} ${p}`));
    const report = await validate(folder);
    assert.deepEqual(report.failures, []);
    assert.deepEqual(report.tracebacks.map((t) => `${t.file} ${t.path}`).sort(), expectedTracebacks.sort());
    assert.equal(report.code, expectedTracebacks.length > 0 ? 1 : 0);
  });

  test("validate: dumps spoilt on purpose fail at the right JSON path", async () => {
    const folder = join(work, "spoilt");
    const dir = join(folder, "interfaces", "library");
    mkdirSync(dir, { recursive: true });
    const load = (name: string) => JSON.parse(readFileSync(join(CORPUS_CASES, `${name}.expected.json`), "utf8"));
    const save = (name: string, dump: unknown) => {
      writeFileSync(join(dir, name), JSON.stringify(dump, null, 2));
      return join(dir, name);
    };

    const clean = save("00000_clean.json", load("008-v04-traces-loop-first"));

    const traces = load("008-v04-traces-loop-first");
    traces.request.content[0][0].trace_id = -1; // a signed id left unconverted
    traces.port = "8126";
    delete traces.request.headers;
    const tracesFile = save("00001_traces.json", traces);

    const telemetry = load("001-telemetry-app-started");
    delete telemetry.request.content.request_type;
    telemetry.request.content.application.language_name = 7;
    const telemetryFile = save("00002_telemetry.json", telemetry);

    const agent = load("030-agent-traces-gzip-appsec-metastruct");
    agent.request.content.tracerPayloads[0].chunks[0].spans[0].traceID = 12345678901234567890; // must be a decimal string
    agent.response.content = "ok";
    agent.response.traceback = "Traceback (most recent call last):\nValueError: made up";
    const agentFile = save("00003_agent.json", agent);

    const rc = load("002-rc-poll-first");
    rc.request.content.client.state.root_version = 0;
    rc.response.content.target_files = [{ path: "datadog/2/APM_TRACING/x/config" }];
    rc.extra = true;
    const rcFile = save("00004_rc.json", rc);

    const report = await validate(folder);
    const found = report.failures.map((f) => `${f.file} ${f.path}: ${f.message}`).sort();
    assert.deepEqual(
      found,
      [
        `${agentFile} $.response.content: must not be present here`,
        `${agentFile} $.response: must have required property 'raw_content'`,
        `${agentFile} $.request.content.tracerPayloads[0].chunks[0].spans[0].traceID: must be string`,
        `${rcFile} $.extra: is not allowed here`,
        `${rcFile} $.request.content.client.state.root_version: must be >= 1`,
        `${rcFile} $.response.content.target_files[0]: must have required property 'raw'`,
        `${telemetryFile} $.request.content: must have required property 'request_type'`,
        `${telemetryFile} $.request.content.application.language_name: must be string`,
        `${tracesFile} $.port: must be integer`,
        `${tracesFile} $.request: must have required property 'headers'`,
        `${tracesFile} $.request.content[0][0].trace_id: must be >= 0`,
      ].sort(),
    );
    assert.ok(!report.failures.some((f) => f.file === clean), "the untouched dump passes");
    assert.deepEqual(report.tracebacks.map((t) => `${t.file} ${t.path}`), [`${agentFile} $.response.traceback`]);
    assert.equal(report.code, 1);

    rmSync(dir, { recursive: true });
    mkdirSync(dir, { recursive: true });
    save("00000_clean.json", load("008-v04-traces-loop-first"));
    const passing = await validate(folder);
    assert.deepEqual([passing.failures, passing.tracebacks, passing.code], [[], [], 0]);
  });
}

test("validate: a file that is not JSON fails at $, an empty folder is an error, a missing one too", async () => {
  const folder = join(work, "odd");
  mkdirSync(join(folder, "interfaces", "library"), { recursive: true });
  const empty = await cli(["validate", folder]);
  assert.equal(empty.code, 1);
  assert.match(empty.stderr, /no dump under/);

  writeFileSync(join(folder, "interfaces", "library", "00000__info.json"), "{ half a dump");
  const report = await validate(folder);
  assert.equal(report.failures.length, 1);
  assert.equal(report.failures[0].path, "$");
  assert.match(report.failures[0].message, /not readable as JSON/);
  assert.equal(report.code, 1);

  assert.equal((await cli(["validate", join(work, "no-such-folder")])).code, 1);
  assert.equal((await cli(["validate"])).code, 2);
});
