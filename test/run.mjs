// Runs every test/**/*.test.ts with Node's own test runner (TypeScript through tsx), once per
// supported runtime, one after the other:
//   - the current LTS, from the npm package "node" (node_modules/node/bin/node, a devDependency:
//     this machine's own Node is 20);
//   - the Node that runs npm (or this script): Node 20 here, tested while package.json's engines
//     still includes it.
// `node test/run.mjs SUBSTRING...` runs only the files whose path contains one of them;
// `--this-node` runs them only on the Node running this script (a quick look while editing).
// Node 20's --test does not expand globs itself, hence this small launcher.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, existsSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { spawnSync } from "node:child_process";

const args = process.argv.slice(2);
const thisNodeOnly = args.includes("--this-node");
const only = args.filter((a) => a !== "--this-node");
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith(".test.ts") && (only.length === 0 || only.some((o) => p.includes(o)))) files.push(p);
  }
})("test");

const version = (bin) => spawnSync(bin, ["--version"], { encoding: "utf8" }).stdout.trim();
const major = (v) => Number(v.replace(/^v/, "").split(".")[0]);

/** The runtimes to test on, each once: [{ bin, version }]. */
function runtimes() {
  const candidates = thisNodeOnly
    ? [process.execPath]
    : ["node_modules/node/bin/node", process.env.npm_node_execpath, process.execPath].filter((b) => b && existsSync(b));
  const seen = new Map();
  for (const bin of candidates) {
    const real = realpathSync(bin);
    const v = version(real);
    if (v && !seen.has(v)) seen.set(v, { bin: real, version: v });
  }
  return [...seen.values()];
}

const found = runtimes();
if (!thisNodeOnly) {
  // The suite must have run on the LTS the image uses and on the oldest Node engines allows.
  const pkg = JSON.parse(readFileSync("package.json", "utf8"));
  const wanted = [major(pkg.devDependencies.node.replace(/^\D*/, "")), major(pkg.engines.node.replace(/^\D*/, ""))];
  const missing = wanted.filter((m) => !found.some((r) => major(r.version) === m));
  if (missing.length > 0) {
    console.error(
      `test/run.mjs: no Node ${missing.join(" or ")} to test on (found ${found.map((r) => r.version).join(", ") || "none"}); ` +
        "run `npm ci` for the LTS from the npm package `node`, and run npm with the oldest Node package.json's engines allows",
    );
    process.exit(1);
  }
}

let failed = 0;
for (const { bin, version: v } of found) {
  console.log(`\n# test/run.mjs: ${files.length} test files on Node ${v} (${bin})`);
  // `node` on PATH is this runtime too, for anything a test starts by name.
  const pathDir = mkdtempSync(join(tmpdir(), "st-proxy-node-"));
  symlinkSync(bin, join(pathDir, "node"));
  const result = spawnSync(bin, ["--import", "tsx", "--test", "--test-concurrency=2", "--test-timeout=120000", ...files], {
    stdio: "inherit",
    env: { ...process.env, PATH: `${pathDir}${delimiter}${process.env.PATH ?? ""}` },
  });
  rmSync(pathDir, { recursive: true, force: true });
  if (result.status !== 0) {
    console.log(`# test/run.mjs: FAILED on Node ${v}`);
    failed++;
  }
}
process.exit(failed === 0 ? 0 : 1);
