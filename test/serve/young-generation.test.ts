// st-proxy holds V8's young generation at its first size (see src/serve/young-generation.ts):
// this checks, in child processes on this very Node, that the option still has that effect
// (an upgrade of V8 could make it do nothing) and that a user's own choice is left alone.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { keepYoungGenerationSmall } from "../../src/serve/young-generation.js";

const MODULE = pathToFileURL(fileURLToPath(new URL("../../src/serve/young-generation.ts", import.meta.url))).href;

/** New space size (MB) after churning objects of which some always survive, as a proxy's exchanges in flight do. */
function newSpaceAfterChurn(hold: boolean, nodeOptions = ""): number {
  const code = `
    import v8 from "node:v8";
    const { keepYoungGenerationSmall } = await import(${JSON.stringify(MODULE)});
    if (${hold}) keepYoungGenerationSmall();
    const live = [];
    for (let i = 0; i < 3e6; i++) { live.push({ i, s: "x" + i }); if (live.length > 200000) live.splice(0, 100000); }
    console.log(v8.getHeapSpaceStatistics().find((s) => s.space_name === "new_space").space_size / 1048576);`;
  const run = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], { encoding: "utf8", env: { ...process.env, NODE_OPTIONS: nodeOptions } });
  assert.equal(run.status, 0, run.stderr);
  return Number(run.stdout.trim());
}

test("young generation: held at its first size, where left alone it grows several times over", () => {
  const held = newSpaceAfterChurn(true);
  const grown = newSpaceAfterChurn(false);
  assert.ok(held * 4 <= grown, `new space ${held} MB held, ${grown} MB left alone`);
});

test("young generation: a size the user gave node (command line or NODE_OPTIONS) is kept", () => {
  assert.equal(keepYoungGenerationSmall(["--max-semi-space-size=64"], ""), false);
  assert.equal(keepYoungGenerationSmall([], "--inspect --max_semi_space_size=64"), false);
  assert.equal(keepYoungGenerationSmall(["--max-old-space-size=512"], "--semi-space-growth-factor=4"), false);
  // And in a process: NODE_OPTIONS sets the size, so it grows to it.
  assert.ok(newSpaceAfterChurn(true, "--max-semi-space-size=32") >= newSpaceAfterChurn(true) * 4);
});
