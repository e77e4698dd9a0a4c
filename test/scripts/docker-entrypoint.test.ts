// scripts/docker-entrypoint.sh, the image's entrypoint, run for real (it needs root to change
// uid, as in the container; CI runs as root): which uid, gid and umask st-proxy gets for which log
// folder. ST_PROXY_CLI points it at a stand-in for st-proxy that reports what it was given.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { ROOT } from "../helpers/shared.js";
import { tempDir } from "../helpers/serve.js";

const ENTRYPOINT = join(ROOT, "scripts", "docker-entrypoint.sh");
const asRoot = process.getuid?.() === 0;
const skip = asRoot ? false : "SKIPPED because changing uid needs root (CI runs as root)";

interface Report {
  uid: number;
  gid: number;
  groups: number[];
  umask: string;
  argv: string[];
}

/** A world-readable folder holding the stand-in CLI, and a place for log folders. */
function setUp() {
  const dir = tempDir("st-proxy-entrypoint-");
  chmodSync(dir, 0o755);
  const cli = join(dir, "report.cjs");
  writeFileSync(
    cli,
    'process.stdout.write(JSON.stringify({ uid: process.getuid(), gid: process.getgid(), groups: process.getgroups(), umask: process.umask().toString(8), argv: process.argv.slice(2) }));\n',
  );
  chmodSync(cli, 0o644);
  return { dir, cli };
}

function entrypoint(cli: string, args: string[], options: { cwd: string; env?: Record<string, string>; as?: number }): Report {
  const command = options.as === undefined ? ["sh", ENTRYPOINT, ...args] : ["setpriv", "--reuid", String(options.as), "--regid", String(options.as), "--clear-groups", "sh", ENTRYPOINT, ...args];
  const result = spawnSync(command[0], command.slice(1), {
    cwd: options.cwd,
    encoding: "utf8",
    env: { PATH: process.env.PATH, ST_PROXY_CLI: cli, ...options.env },
  });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as Report;
}

function folder(path: string, uid: number, gid: number, mode = 0o755): string {
  mkdirSync(path, { recursive: true });
  chownSync(path, uid, gid);
  chmodSync(path, mode);
  return path;
}

test("st-proxy runs as the owner of <log folder>/interfaces (SYSTEM_TESTS_LOG_FOLDER relative to the working dir, as system-tests sets it)", { skip }, () => {
  const { dir, cli } = setUp();
  folder(join(dir, "logs_scenario"), 0, 0);
  folder(join(dir, "logs_scenario", "interfaces"), 1001, 121);
  const got = entrypoint(cli, ["serve", "--confdir", "/app/utils/proxy/.mitmproxy"], { cwd: dir, env: { SYSTEM_TESTS_LOG_FOLDER: "./logs_scenario" } });
  assert.deepEqual([got.uid, got.gid, got.groups], [1001, 121, [121]], "uid, gid, and no supplementary group but its own");
  assert.equal(got.umask, process.umask().toString(8), "umask left as it was");
  assert.deepEqual(got.argv, ["serve", "--confdir", "/app/utils/proxy/.mitmproxy"], "arguments passed on unchanged");
});

test("--log-folder DIR and --log-folder=DIR win over the environment; without interfaces/ the folder's own owner counts", { skip }, () => {
  const { dir, cli } = setUp();
  folder(join(dir, "env-folder", "interfaces"), 1001, 1001);
  folder(join(dir, "flag-folder"), 2002, 2003);
  const env = { SYSTEM_TESTS_LOG_FOLDER: join(dir, "env-folder") };
  assert.equal(entrypoint(cli, ["serve", "--log-folder", join(dir, "flag-folder")], { cwd: dir, env }).uid, 2002);
  assert.equal(entrypoint(cli, ["serve", `--log-folder=${join(dir, "flag-folder")}`], { cwd: dir, env }).gid, 2003);
  assert.equal(entrypoint(cli, ["serve"], { cwd: dir, env }).uid, 1001);
});

test("a root-owned folder (or none: its nearest existing parent is root's) keeps root, with umask 0 so other users can delete", { skip }, () => {
  const { dir, cli } = setUp();
  folder(join(dir, "root-logs", "interfaces"), 0, 0, 0o777);
  const got = entrypoint(cli, ["serve", "--log-folder", join(dir, "root-logs")], { cwd: dir });
  assert.deepEqual([got.uid, got.gid, got.umask], [0, 0, "0"]);
  const none = entrypoint(cli, ["lambda-proxy"], { cwd: dir, env: { SYSTEM_TESTS_LOG_FOLDER: join(dir, "missing", "logs") } });
  assert.deepEqual([none.uid, none.umask], [0, "0"]);
});

test("started as another user (docker run --user), st-proxy runs as that user whoever owns the folder", { skip }, () => {
  const { dir, cli } = setUp();
  folder(join(dir, "logs", "interfaces"), 1001, 1001);
  const got = entrypoint(cli, ["serve"], { cwd: dir, as: 4321 });
  assert.deepEqual([got.uid, got.gid, got.argv], [4321, 4321, ["serve"]]);
});
