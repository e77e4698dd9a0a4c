import { test } from "node:test";
import assert from "node:assert/strict";
import { mockHooks } from "../../src/mocks/hooks.js";
import { MockStore } from "../../src/mocks/store.js";
import { parseBackendMocks, parseTracerMocks } from "../../src/mocks/definitions.js";
import type { Decision, Incoming } from "../../src/proxy/types.js";

const incoming = (target: string): Incoming => ({ interface: "agent", method: "POST", target, headers: [], body: Buffer.alloc(0), startMicros: 0 });
const to = { scheme: "https" as const, host: "api.datad0g.com", port: 443 };
const fallback = { statusCode: 202, headers: [] as [string, string][], body: Buffer.from("{}") };

function hooksWith() {
  const store = new MockStore({
    tracer: parseTracerMocks([{ type: "MockedTracerResponse", path: "/api/v2/series", mocked_headers: { "X-Edited": "1" } }]),
    backend: parseBackendMocks([{ type: "MockedBackendResponse", path: "/api/v2/series", content: "b2s=", content_type: "text/plain", status_code: 201 }]),
  });
  return mockHooks(store);
}

test("backend mocks answer only where the backend is mocked (a local decision), with the mock's answer as the reference makes it", () => {
  const hooks = hooksWith();
  const local: Decision = { kind: "local", to, otherwise: fallback };
  assert.deepEqual(hooks.answerLocally!(incoming("/api/v2/series"), local), {
    statusCode: 201,
    headers: [
      ["Content-Type", "text/plain"],
      ["content-length", "2"],
    ],
    body: Buffer.from("ok"),
  });
  assert.equal(hooks.answerLocally!(incoming("/api/v2/other"), local), undefined, "no mock for that path");
  assert.equal(hooks.answerLocally!(incoming("/api/v2/series"), { kind: "forward", to }), undefined, "forwarded traffic is never answered by a mock");
  assert.equal(hooks.answerLocally!(incoming("/api/v2/series"), { kind: "answer", answer: fallback, host: "h", port: 1 }), undefined);
});

test("editAnswer is the tracer mocks' edit", () => {
  const edited = hooksWith().editAnswer!(incoming("/api/v2/series"), { statusCode: 500, headers: [], body: Buffer.alloc(0) });
  assert.deepEqual([edited.statusCode, edited.headers], [200, [["X-Edited", "1"]]]);
});
