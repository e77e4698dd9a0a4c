// replay decode's progress: a bar on a terminal, nothing on a pipe or file (the summary line is
// printed either way by the command).
import { test } from "node:test";
import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { terminalProgress } from "../../src/replay/progress.js";

function stream(isTTY: boolean): { s: NodeJS.WriteStream; text: () => string } {
  const s = new PassThrough() as unknown as NodeJS.WriteStream & PassThrough;
  let text = "";
  s.on("data", (c: Buffer) => (text += c.toString()));
  Object.assign(s, { isTTY, columns: 120 });
  return { s, text: () => text };
}

test("progress: a terminal gets a bar that ends at total/total", () => {
  const { s, text } = stream(true);
  const p = terminalProgress("st-proxy replay decode", s);
  for (let i = 1; i <= 40; i++) p.update(i, 40);
  p.stop();
  assert.match(text(), /st-proxy replay decode \[.*\] 40\/40 100%/);
});

test("progress: a pipe gets nothing", () => {
  const { s, text } = stream(false);
  const p = terminalProgress("st-proxy replay decode", s);
  for (let i = 1; i <= 40; i++) p.update(i, 40);
  p.stop();
  assert.equal(text(), "");
});
