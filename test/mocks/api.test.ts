import { test } from "node:test";
import assert from "node:assert/strict";
import { putMocks } from "../../src/mocks/api.js";
import { MockStore } from "../../src/mocks/store.js";
import type { Incoming } from "../../src/proxy/types.js";

const incoming = (target: string): Incoming => ({ interface: "library", method: "GET", target, headers: [], body: Buffer.alloc(0), startMicros: 0 });
const answer = { statusCode: 500, headers: [] as [string, string][], body: Buffer.from("agent") };
const put = (store: MockStore, family: "tracer" | "backend", text: string) => putMocks(store, family, Buffer.from(text));

test("a good tracer list is taken: Ok, and the next answers are edited", () => {
  const store = new MockStore({ tracer: [], backend: [] });
  assert.deepEqual(put(store, "tracer", '[{"type": "MockedTracerResponse", "path": "/info", "mocked_headers": null}]'), { statusCode: 200, text: "Ok" });
  assert.equal(store.editTracerAnswer(incoming("/info"), answer).statusCode, 200);
  // The tracer list is not the backend list.
  assert.equal(store.backendAnswer(incoming("/info")), undefined);
});

test("a good backend list is taken: Ok, and it answers", () => {
  const store = new MockStore({ tracer: [], backend: [] });
  assert.deepEqual(put(store, "backend", '[{"type": "MockedBackendResponse", "path": "/api/v1/x", "content": "b2s="}]'), { statusCode: 200, text: "Ok" });
  assert.deepEqual(store.backendAnswer(incoming("/api/v1/x"))?.body, Buffer.from("ok"));
  assert.equal(store.editTracerAnswer(incoming("/api/v1/x"), answer), answer);
});

test("a refused body is a 400 with a one-line reason naming the family; the previous list stays", () => {
  const store = new MockStore({ tracer: [], backend: [] });
  put(store, "tracer", '[{"type": "MockedTracerResponse", "path": "/info", "mocked_headers": null}]');
  const bad = put(store, "tracer", "[{\n  oops");
  assert.equal(bad.statusCode, 400);
  // (V8's own wording after "JSON:" differs between Node versions.)
  assert.match(bad.text, /^Invalid mocked tracer response definition: body is not valid JSON: Expected property name\b[^\n]*$/);
  assert.deepEqual(put(store, "backend", '[{"type": "Nope"}]'), {
    statusCode: 400,
    text: 'Invalid mocked backend response definition: item 0: unknown backend mock type "Nope" (known: MockedBackendResponse)',
  });
  assert.equal(store.editTracerAnswer(incoming("/info"), answer).statusCode, 200, "the tracer list in force before");
});

test("a reason spread over lines is sent as one: each line break, with the spaces around it, becomes one space", () => {
  const store = new MockStore({ tracer: [], backend: [] });
  // V8 quotes the text it could not parse, line breaks included.
  assert.deepEqual(put(store, "tracer", "oops  \n\n  x"), {
    statusCode: 400,
    text: `Invalid mocked tracer response definition: body is not valid JSON: Unexpected token 'o', "oops x" is not valid JSON`,
  });
});
