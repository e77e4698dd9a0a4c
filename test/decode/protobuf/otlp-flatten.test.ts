// The reference's OTLP trace attribute flattening, on hand-written payloads (the corpus cases
// cover real exporter output).
import { test } from "node:test";
import assert from "node:assert/strict";
import { flattenOtlpTraces } from "../../../src/decode/protobuf/index.js";
import type { Json } from "../../../src/json/value.js";

const kv = (key: string, value: Record<string, Json>) => ({ key, value });

test("attributes of resources, scopes, spans, events and links become objects", () => {
  const payload: Json = {
    resourceSpans: [
      {
        resource: { attributes: [kv("service.name", { stringValue: "svc" }), kv("pid", { intValue: "42" })] },
        scopeSpans: [
          {
            scope: { name: "lib", attributes: [kv("flag", { boolValue: false })] },
            spans: [
              {
                name: "op",
                attributes: [kv("ratio", { doubleValue: 0.5 }), kv("list", { arrayValue: { values: [{ stringValue: "a" }] } })],
                events: [{ name: "e", attributes: [kv("raw", { bytesValue: "AAE=" })] }],
                links: [{ traceId: "x", attributes: [kv("kv", { kvlistValue: { values: [] } })] }],
              },
            ],
          },
        ],
      },
    ],
  };
  assert.deepEqual(flattenOtlpTraces(payload), {
    resourceSpans: [
      {
        resource: { attributes: { "service.name": "svc", pid: "42" } },
        scopeSpans: [
          {
            scope: { name: "lib", attributes: { flag: false } },
            spans: [
              {
                name: "op",
                attributes: { ratio: 0.5, list: { values: [{ stringValue: "a" }] } },
                events: [{ name: "e", attributes: { raw: "AAE=" } }],
                links: [{ traceId: "x", attributes: { kv: { values: [] } } }],
              },
            ],
          },
        ],
      },
    ],
  });
});

test("the first non-null member in the reference's order wins; a later duplicate key wins", () => {
  const payload: Json = {
    resourceSpans: [{ scopeSpans: [{ spans: [{ attributes: [kv("a", { stringValue: null, intValue: "3" }), kv("b", { stringValue: "1" }), kv("b", { stringValue: "2" })] }] }] }],
  };
  assert.deepEqual(flattenOtlpTraces(payload), { resourceSpans: [{ scopeSpans: [{ spans: [{ attributes: { a: "3", b: "2" } }] }] }] });
});

test("empty lists stay lists; a non-empty resource always gets an attributes object", () => {
  const payload: Json = {
    resourceSpans: [
      { resource: { droppedAttributesCount: 0 }, scopeSpans: [{ scope: { name: "s", attributes: [] }, spans: [{ attributes: [], links: [] }] }] },
      { resource: {} },
    ],
  };
  assert.deepEqual(flattenOtlpTraces(payload), {
    resourceSpans: [
      { resource: { droppedAttributesCount: 0, attributes: {} }, scopeSpans: [{ scope: { name: "s", attributes: [] }, spans: [{ attributes: [], links: [] }] }] },
      { resource: {} },
    ],
  });
});

test("payloads the reference cannot walk fail", () => {
  // Each with the Python error the reference's flattening raises there.
  const bad: [Json, string][] = [
    [[], "AttributeError: 'list' object has no attribute 'get'"],
    [{ resourceSpans: [{ resource: { attributes: [kv("k", {})] } }] }, "ValueError: Unknown attribute value: {}"],
    [{ resourceSpans: [{ resource: { attributes: [{ key: "k" }] } }] }, "KeyError: 'value'"],
    [{ resourceSpans: [{ scopeSpans: [{ scope: null }] }] }, "AttributeError: 'NoneType' object has no attribute 'get'"],
    [{ resourceSpans: [{ scopeSpans: [{ spans: [{ events: null }] }] }] }, "TypeError: 'NoneType' object is not iterable"],
    [{ resourceSpans: [{ scopeSpans: [{ spans: [{ attributes: [kv("k", { stringValue: "v" })].map((a) => ({ ...a, key: [1] })) }] }] }] }, "TypeError: unhashable type: 'list'"],
  ];
  for (const [payload, message] of bad) assert.throws(() => flattenOtlpTraces(payload), { message }, JSON.stringify(payload));
});
