// The agent's "idx" tracer payloads, uncompressed as the reference's _uncompress_agent_v1_trace
// does, on AgentPayloads written by protobufjs from hand-made objects; expected values are
// worked out from the string table by hand.
import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeAgentPayload } from "../../../src/decode/protobuf/index.js";
import { loadSchemas } from "../../../src/decode/protobuf/schemas.js";

const AgentPayload = loadSchemas().lookupType("datadog.trace.AgentPayload");
const encode = (payload: object) => Buffer.from(AgentPayload.encode(AgentPayload.fromObject(payload)).finish());

const STRINGS = ["", "svc", "op", "k1", "v1", "appsec", "_dd.appsec.json", '{"a":1}', "ts", "_dd.appsec.s.req", "[1]", "note", "num"];
const TRACE_ID = Buffer.from("0102030405060708090a0b0c0d0e0fab", "hex");

function payload(span: object, chunk: object = {}): object {
  return { idxTracerPayloads: [{ strings: STRINGS, chunks: [{ traceID: TRACE_ID, originRef: 1, spans: [span], ...chunk }] }] };
}

test("string references, attributes, links and trace ids are resolved", () => {
  const span = {
    serviceRef: 1,
    nameRef: 2,
    spanID: "7",
    attributes: {
      3: { stringValueRef: 4 },
      6: { stringValueRef: 7 },
      9: { stringValueRef: 10 },
      5: { bytesValue: Buffer.from([0x81, 0xa1, 0x78, 0x01]) }, // msgpack {"x": 1}
      11: { bytesValue: Buffer.from("hello") }, // not one msgpack value: ASCII text
      12: { bytesValue: Buffer.from("1") }, // one msgpack value: the integer 0x31
    },
    links: [{ traceID: Buffer.from([0xab, 0xcd]), tracestateRef: 8, attributes: { 3: { intValue: 5 } } }],
    events: [{ nameRef: 2, attributes: { 3: { boolValue: true } } }],
  };
  assert.deepEqual(decodeAgentPayload(encode(payload(span)), { spanMeta: "expand", uncompressIdx: true }), {
    idxTracerPayloads: [
      {
        strings: STRINGS,
        attributes: {},
        chunks: [
          {
            traceID: "0x0102030405060708090A0B0C0D0E0FAB",
            originRef: 1,
            origin: "svc",
            attributes: {},
            spans: [
              {
                serviceRef: "svc",
                nameRef: "op",
                spanID: "7",
                attributes: { k1: "v1", "_dd.appsec.json": { a: 1 }, "_dd.appsec.s.req": [1], appsec: { x: 1 }, note: "hello", num: 49 },
                links: [{ traceID: "0xABCD", tracestate: "ts", attributes: { k1: "5" } }],
                // events are left as MessageToDict gives them (the reference looks under other names)
                events: [{ nameRef: 2, attributes: { "3": { boolValue: true } } }],
              },
            ],
          },
        ],
      },
    ],
  });
});

test("only the agent interface gets the idx payloads uncompressed", () => {
  const out = decodeAgentPayload(encode(payload({ serviceRef: 1 })), {}) as any;
  assert.deepEqual(out.idxTracerPayloads[0].chunks[0].spans, [{ serviceRef: 1 }]);
});

test("what the reference cannot uncompress fails", () => {
  // Each with the Python error the reference's uncompressing raises there.
  const bad: [ReturnType<typeof payload>, RegExp][] = [
    [payload({ serviceRef: 99 }), /^IndexError: list index out of range \(string table index 99\)$/], // past the string table
    [payload({ attributes: { 3: {} } }), /^ValueError: Unknown attribute value: \{\}$/], // an AnyValue with no value
    [payload({ attributes: { 99: { boolValue: true } } }), /^IndexError: list index out of range \(string table index 99\)$/], // a key past the string table
    [payload({}, { traceID: Buffer.alloc(0) }), /^Trace ID is not a bytes: None$/], // a chunk without trace id
  ];
  for (const [p, message] of bad) assert.throws(() => decodeAgentPayload(encode(p), { spanMeta: "expand", uncompressIdx: true }), { message }, JSON.stringify(p));
});
