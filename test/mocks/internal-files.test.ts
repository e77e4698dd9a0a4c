import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readInternalMocks } from "../../src/mocks/internal-files.js";
import { tempDir } from "../helpers/serve.js";

const folder = () => tempDir("st-proxy-mocks-");

test("missing internal files mean empty lists", async () => {
  assert.deepEqual(await readInternalMocks(folder()), { tracer: [], backend: [] });
});

test("internal files as the runner writes them (json.dump, indent=2) are read", async () => {
  const dir = folder();
  // What ProxyContainer.configure writes for a scenario with rc_api_enabled and rc_backend_enabled.
  writeFileSync(
    join(dir, "internal_mocked_tracer_responses.json"),
    '[\n  {\n    "type": "SetSpanEventFlags",\n    "span_events": true\n  },\n  {\n    "type": "AddRemoteConfigEndpoint"\n  }\n]',
  );
  writeFileSync(
    join(dir, "internal_mocked_backend_responses.json"),
    '[\n  {\n    "type": "MockedBackendResponse",\n    "path": "/api/v0.2/echo-test",\n    "content": "b2s=",\n    "content_type": "text/plain",\n    "status_code": 200\n  }\n]',
  );
  const lists = await readInternalMocks(dir);
  assert.deepEqual(lists.tracer, [{ type: "SetSpanEventFlags", span_events: true }, { type: "AddRemoteConfigEndpoint" }]);
  assert.deepEqual(lists.backend, [{ type: "MockedBackendResponse", path: "/api/v0.2/echo-test", content: Buffer.from("ok"), content_type: "text/plain", status_code: 200 }]);
});

test("an internal file that exists but cannot be read is an error, not an empty list", async () => {
  const dir = folder();
  mkdirSync(join(dir, "internal_mocked_backend_responses.json"));
  await assert.rejects(readInternalMocks(dir), /^Error: cannot read the internal mocks in .*internal_mocked_backend_responses\.json: EISDIR/);
});

test("a malformed internal file is an error naming the file and the problem", async () => {
  const dir = folder();
  writeFileSync(join(dir, "internal_mocked_tracer_responses.json"), "[{");
  await assert.rejects(readInternalMocks(dir), /invalid internal mocks in .*internal_mocked_tracer_responses\.json: not valid JSON/);
  writeFileSync(join(dir, "internal_mocked_tracer_responses.json"), "[]");
  writeFileSync(join(dir, "internal_mocked_backend_responses.json"), '[{"type": "Nope"}]');
  await assert.rejects(readInternalMocks(dir), /internal_mocked_backend_responses\.json: item 0: unknown backend mock type "Nope"/);
});
