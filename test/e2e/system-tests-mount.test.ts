// system-tests mounts only <log folder>/interfaces/ into the proxy's container: everything
// st-proxy writes must then sit on that mount, or the rename of a staged dump fails (EXDEV)
// and the flow records vanish with the container. Reproduced with a tmpfs on interfaces/.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { request } from "undici";
import { startServe, tempDir } from "../helpers/serve.js";
import { readDumps } from "../helpers/dumps.js";
import { flowsDir } from "../../src/record/layout.js";
import { recordedFlows } from "../helpers/flows.js";

const isRoot = process.getuid?.() === 0;

if (!isRoot) {
  test("system-tests mount layout: SKIPPED because mounting a tmpfs needs root (CI runs as root)", { skip: true }, () => {});
} else {
  test("system-tests mount layout: with interfaces/ on its own file system, every dump and flow record is written inside it", async (t) => {
    const logFolder = tempDir();
    const interfaces = join(logFolder, "interfaces");
    mkdirSync(interfaces);
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=64m", "tmpfs", interfaces]);
    t.after(() => execFileSync("umount", ["-l", interfaces]));
    // The test is only worth something if the two really are different file systems.
    assert.notEqual(statSync(interfaces).dev, statSync(logFolder).dev);

    const proxy = await startServe(["--agent-target", "builtin"], { listeners: ["library"], logFolder });
    try {
      for (let i = 0; i < 5; i++) {
        const res = await request(`http://127.0.0.1:${proxy.ports.library}/v0.4/traces`, {
          method: "PUT",
          headers: { "content-type": "application/json" },
          body: "[]",
        });
        assert.equal(res.statusCode, 200);
        await res.body.dump();
      }
    } finally {
      assert.equal(await proxy.stop(), 0, proxy.output());
    }
    assert.doesNotMatch(proxy.output(), /could not write|EXDEV/);
    const dumps = readDumps(logFolder, "library");
    assert.deepEqual(dumps.map((d) => d.path), Array(5).fill("/v0.4/traces"));
    // Nothing outside the mount: the host would never see it.
    assert.deepEqual(readdirSync(logFolder), ["interfaces"]);
    assert.equal(recordedFlows(logFolder, "library").length, 5, "one flow record per exchange, inside interfaces/");
    assert.ok(existsSync(join(flowsDir(logFolder), "library.flows")));
  });
}
