// Write failures as the operator sees them: the first of each kind printed, the rest counted and
// summed up at most once per interval, and at shutdown. A clock of our own stands in for Date.now.
import { test } from "node:test";
import assert from "node:assert/strict";
import { FailureLog } from "../../src/record/failure-log.js";

const fsError = (code: string, message: string) => Object.assign(new Error(message), { code });

function logWithClock(intervalMs = 10_000) {
  const lines: string[] = [];
  const clock = { now: 1_000_000 };
  const log = new FailureLog((line) => lines.push(line), intervalMs, () => clock.now);
  return { lines, clock, log };
}

test("the first failure of a kind is printed with its message; a full disk says forwarding goes on", () => {
  const { lines, log } = logWithClock();
  log.report("/l/interfaces/library/00000__info.json", fsError("ENOSPC", "ENOSPC: no space left on device, write\n    at stack"));
  log.report("/l/interfaces/agent/files/x.bin", fsError("EACCES", "EACCES: permission denied"));
  assert.deepEqual(lines, [
    "st-proxy: could not write /l/interfaces/library/00000__info.json: ENOSPC: no space left on device, write (disk full: forwarding goes on; writing resumes when there is room)",
    "st-proxy: could not write /l/interfaces/agent/files/x.bin: EACCES: permission denied",
  ]);
  assert.equal(log.count, 2);
});

test("later failures of a kind are counted, and summed up once the interval has passed since the last line", () => {
  const { lines, clock, log } = logWithClock(10_000);
  log.report("a", fsError("ENOSPC", "full"));
  clock.now += 4_000;
  log.report("b", fsError("ENOSPC", "full"));
  clock.now += 5_999;
  log.report("c", fsError("ENOSPC", "full"));
  assert.equal(lines.length, 1, "nothing more within the interval");
  clock.now += 1; // 10 s after the first line
  log.report("d", fsError("ENOSPC", "full"));
  assert.deepEqual(lines.slice(1), ["st-proxy: 3 more write failure(s) of the same kind (ENOSPC), the last for d"]);
  // The interval starts again from that summary.
  clock.now += 9_999;
  log.report("e", fsError("ENOSPC", "full"));
  assert.equal(lines.length, 2);
  clock.now += 1;
  log.report("f", fsError("ENOSPC", "full"));
  assert.deepEqual(lines.slice(2), ["st-proxy: 2 more write failure(s) of the same kind (ENOSPC), the last for f"]);
  assert.equal(log.count, 6, "every failure counts, printed or not");
});

test("at shutdown the untold counts are printed, one line per kind, and nothing when all was told", () => {
  const { lines, log } = logWithClock();
  log.flushAll();
  assert.deepEqual(lines, []);
  log.report("a", fsError("ENOSPC", "full"));
  log.report("b", fsError("EACCES", "denied"));
  log.report("c", fsError("EACCES", "denied"));
  log.flushAll();
  assert.deepEqual(lines.slice(2), ["st-proxy: 1 more write failure(s) of the same kind (EACCES), the last for c"]);
  log.flushAll();
  assert.equal(lines.length, 3, "a count is told once");
});

test("the kind of an error without a code is its name, and of a thrown non-error \"Error\"", () => {
  const { lines, log } = logWithClock();
  log.report("a", new RangeError("too big"));
  log.report("b", new RangeError("too big again"));
  log.report("c", "a string thrown");
  log.report("d", "another");
  log.report("e", null);
  log.flushAll();
  assert.deepEqual(lines, [
    "st-proxy: could not write a: too big",
    "st-proxy: could not write c: a string thrown",
    "st-proxy: 1 more write failure(s) of the same kind (RangeError), the last for b",
    "st-proxy: 2 more write failure(s) of the same kind (Error), the last for e",
  ]);
});

test("by default lines go to stderr", (t) => {
  const printed: unknown[] = [];
  t.mock.method(console, "error", (line: unknown) => printed.push(line));
  new FailureLog().report("a", fsError("EIO", "i/o error"));
  assert.deepEqual(printed, ["st-proxy: could not write a: i/o error"]);
});
