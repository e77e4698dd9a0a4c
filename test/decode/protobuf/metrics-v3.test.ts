// Metrics v3 reassembly on a hand-built columnar payload (protobufjs's Writer writes the
// columns; the expected series are worked out from the format by hand).
import { test } from "node:test";
import assert from "node:assert/strict";
import protobuf from "protobufjs";
import { decodeMetricsV3 } from "../../../src/decode/protobuf/index.js";
import { PyFloat } from "../../../src/json/value.js";

const W = () => protobuf.Writer.create();

/** A string dictionary column: varint length + bytes, repeated. */
function stringDict(strings: string[]): Uint8Array {
  const w = W();
  for (const s of strings) w.bytes(Buffer.from(s));
  return w.finish();
}

function packed(w: protobuf.Writer, field: number, kind: "sint64" | "uint64" | "double" | "float", values: number[]): void {
  w.uint32(field * 8 + 2).fork();
  for (const v of values) w[kind](v);
  w.ldelim();
}

function metricData(): Uint8Array {
  const w = W();
  w.uint32(1 * 8 + 2).bytes(stringDict(["a.metric", "b.metric"]));
  w.uint32(2 * 8 + 2).bytes(stringDict(["env:x", "svc:y", "v:1"]));
  // tagset 1 = tags [1, 2]; tagset 2 = tagset 1 (as -1) + tag 3; indexes delta-encoded
  packed(w, 3, "sint64", [2, 1, 1, 2, -1, 4]);
  packed(w, 10, "uint64", [0x11, 0x33, 0x20, 0x00]); // value types: sint64, float64, float32, zero
  packed(w, 11, "sint64", [1, 1, -2, 0]); // names 1, 2, 0, 0
  packed(w, 12, "sint64", [1, 1, -2, 0]); // tagsets 1, 2, 0, 0
  packed(w, 14, "uint64", [10, 0, 0, 0]);
  packed(w, 15, "uint64", [2, 1, 1, 1]);
  packed(w, 16, "sint64", [100, 10, 0, 10, 10]); // timestamps 100, 110, 110, 120, 130
  packed(w, 17, "sint64", [5, -7]);
  packed(w, 18, "float", [0.5]);
  packed(w, 19, "double", [0.25]);
  return w.finish();
}

test("columns, dictionaries, tagset inheritance and per-type value columns become series", () => {
  const w = W();
  w.uint32(3 * 8 + 2).bytes(metricData());
  w.uint32(3 * 8 + 2).bytes(W().uint32(1 * 8 + 2).bytes(stringDict(["c"])).uint32(10 * 8).uint64(0).finish());
  assert.deepEqual(decodeMetricsV3(Buffer.from(w.finish())), {
    series: [
      { metric: "a.metric", tags: ["env:x", "svc:y"], type: 17, interval: 10, numPoints: 2, points: [{ value: new PyFloat(5), timestamp: "100" }, { value: new PyFloat(-7), timestamp: "110" }] },
      { metric: "b.metric", tags: ["env:x", "svc:y", "v:1"], type: 51, interval: 0, numPoints: 1, points: [{ value: 0.25, timestamp: "110" }] },
      { metric: "", tags: [], type: 32, interval: 0, numPoints: 1, points: [{ value: 0.5, timestamp: "120" }] },
      { metric: "", tags: [], type: 0, interval: 0, numPoints: 1, points: [{ value: new PyFloat(0), timestamp: "130" }] },
      // the second MetricData: one type, no name reference, no points
      { metric: "", tags: [], type: 0 },
    ],
  });
});

test("no series at all gives an empty object", () => {
  assert.deepEqual(decodeMetricsV3(Buffer.alloc(0)), {});
  assert.deepEqual(decodeMetricsV3(Buffer.from(W().uint32(3 * 8 + 2).bytes(new Uint8Array()).finish())), {});
});

test("a tagset announcing more indexes than the column holds fails", () => {
  const w = W();
  const data = W();
  packed(data, 3, "sint64", [3, 1]);
  packed(data, 10, "uint64", [0]);
  w.uint32(3 * 8 + 2).bytes(data.finish());
  assert.throws(() => decodeMetricsV3(Buffer.from(w.finish())), { message: "IndexError: list index out of range (dictTagsets)" });
});
