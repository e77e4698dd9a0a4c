// Where st-proxy writes under a log folder (DESIGN.md, "dump contract"): system-tests mounts only
// <log folder>/interfaces/, so staging and flow records live in a hidden folder inside it that no
// interface is named after.
import { test } from "node:test";
import assert from "node:assert/strict";
import { flowsDir, interfacesDir, privateDir, stagingDir } from "../../src/record/layout.js";

test("interfaces/, and inside it .st-proxy/ with staging/ and flows/", () => {
  assert.equal(interfacesDir("/logs"), "/logs/interfaces");
  assert.equal(privateDir("/logs"), "/logs/interfaces/.st-proxy");
  assert.equal(stagingDir("/logs"), "/logs/interfaces/.st-proxy/staging");
  assert.equal(flowsDir("./logs_x"), "logs_x/interfaces/.st-proxy/flows");
});
