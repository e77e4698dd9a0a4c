// The wire model sits under everything: no two folders of src/ import each other (decode/ and
// record/ did, through record/headers.ts), and model/ imports no other folder.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const SRC = resolve(import.meta.dirname, "../../src");

function folderImports(): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  const folderOf = (file: string) => relative(SRC, file).split("/")[0];
  for (const entry of readdirSync(SRC, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".ts")) continue;
    const file = join(entry.parentPath, entry.name);
    for (const m of readFileSync(file, "utf8").matchAll(/^(?:import|export)[^"']*["'](\.[^"']+)["']/gm)) {
      const from = folderOf(file);
      const to = folderOf(resolve(dirname(file), m[1]));
      if (from === to || from.endsWith(".ts")) continue;
      if (!edges.has(from)) edges.set(from, new Set());
      edges.get(from)!.add(to);
    }
  }
  return edges;
}

test("no two folders of src/ import each other; model/ imports no other folder", () => {
  const edges = folderImports();
  assert.ok(edges.get("decode")?.has("model"), "the scan sees decode/ importing model/");
  const cycles = [...edges].flatMap(([a, bs]) => [...bs].filter((b) => a < b && edges.get(b)?.has(a)).map((b) => `${a} <-> ${b}`));
  assert.deepEqual(cycles, []);
  assert.deepEqual([...(edges.get("model") ?? [])].filter((to) => !to.endsWith(".ts")), []);
});
