import { test } from "node:test";
import assert from "node:assert/strict";
import { gateByProducts } from "../../src/mocks/rc-gating.js";
import type { Json } from "../../src/json/value.js";

const answer: Json & { client_configs: string[]; target_files: Json[] } = {
  targets: "e30=",
  client_configs: ["datadog/2/APM_TRACING/a/config", "datadog/2/ASM_DD/b/config", "employee/ASM_FEATURES/c/config"],
  target_files: [
    { path: "datadog/2/APM_TRACING/a/config", raw: "YQ==" },
    { path: "datadog/2/ASM_DD/b/config", raw: "Yg==" },
    { path: "employee/ASM_FEATURES/c/config", raw: "Yw==" },
  ],
};
const poll = (products: Json): Json => ({ client: { products, client_tracer: { runtime_id: "r" } } });

test("the configs and target files of the products not subscribed to go; the rest stays as it was", () => {
  assert.deepEqual(gateByProducts(answer, poll(["ASM_FEATURES"])), {
    targets: "e30=",
    client_configs: ["employee/ASM_FEATURES/c/config"],
    target_files: [{ path: "employee/ASM_FEATURES/c/config", raw: "Yw==" }],
  });
  assert.deepEqual(gateByProducts(answer, poll(["APM_TRACING", "ASM_DD"])), {
    targets: "e30=",
    client_configs: ["datadog/2/APM_TRACING/a/config", "datadog/2/ASM_DD/b/config"],
    target_files: answer.target_files.slice(0, 2),
  });
  // No product subscribed: nothing is sent.
  assert.deepEqual(gateByProducts(answer, poll([])), { targets: "e30=", client_configs: [], target_files: [] });
  // The answer given is not changed in place.
  assert.equal(answer.client_configs.length, 3);
});

test("an answer that keeps every config is returned as it was (same object)", () => {
  assert.equal(gateByProducts(answer, poll(["APM_TRACING", "ASM_DD", "ASM_FEATURES", "LIVE_DEBUGGING"])), answer);
});

test("only strings count as products and as config paths; a path too short for a product never matches", () => {
  const odd: Json = { client_configs: ["ASM_DD/x", 7, "datadog/2/ASM_DD/b/config"], target_files: [{ path: "datadog/2/ASM_DD/b/config" }, "not an object", { path: "ASM_DD/x" }] };
  assert.deepEqual(gateByProducts(odd, poll(["ASM_DD", 7, null])), { client_configs: ["datadog/2/ASM_DD/b/config"], target_files: [{ path: "datadog/2/ASM_DD/b/config" }] });
  // A product is the third part from the end: "x/y" has none, whichever of its parts is listed;
  // "ASM_DD/id/config" has one.
  assert.deepEqual(gateByProducts({ client_configs: ["x/y"] }, poll(["x", "y"])), { client_configs: [] });
  assert.deepEqual(gateByProducts({ client_configs: ["ASM_DD/id/config", "x/y"] }, poll(["ASM_DD"])), { client_configs: ["ASM_DD/id/config"] });
});

test("target_files are left alone when there are none to filter", () => {
  assert.deepEqual(gateByProducts({ client_configs: ["datadog/2/A/b/c"] }, poll([])), { client_configs: [] });
  assert.deepEqual(gateByProducts({ client_configs: ["datadog/2/A/b/c"], target_files: "odd" }, poll([])), { client_configs: [], target_files: "odd" });
});

test("anything not shaped like a remote-config exchange passes untouched", () => {
  for (const [response, request] of [
    [[1, 2], poll([])],
    [{ client_configs: "datadog/2/A/b/c" }, poll([])],
    [answer, { client: { products: "ASM_DD" } }],
    [answer, { client: "ASM_DD" }],
    [answer, { products: [] }],
    [answer, null],
    [answer, []],
  ] as [Json, Json][])
    assert.equal(gateByProducts(response, request), response);
});
