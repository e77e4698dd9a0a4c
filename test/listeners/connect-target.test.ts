// Proxy request targets: CONNECT authorities and absolute-form URLs (hand-derived expectations).
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseAbsoluteTarget, parseConnectTarget } from "../../src/listeners/proxy-target.js";

test("CONNECT authorities: names, IPv4, bracketed IPv6; no port or a bad one is not a target", () => {
  assert.deepEqual(parseConnectTarget("trace.agent.datadoghq.com:443"), { host: "trace.agent.datadoghq.com", port: 443 });
  assert.deepEqual(parseConnectTarget("10.0.0.7:8443"), { host: "10.0.0.7", port: 8443 });
  assert.deepEqual(parseConnectTarget("[2001:db8::1]:443"), { host: "2001:db8::1", port: 443 });
  for (const bad of ["trace.agent.datadoghq.com", "host:0", "host:65536", "2001:db8::1:443", "user@host:443", "host:443/x", ""]) assert.equal(parseConnectTarget(bad), undefined, bad);
});

test("absolute-form targets keep the path and query as written, default ports by scheme", () => {
  assert.deepEqual(parseAbsoluteTarget("http://intake.example/api/v2/series?a=b"), { destination: { scheme: "http", host: "intake.example", port: 80 }, target: "/api/v2/series?a=b" });
  assert.deepEqual(parseAbsoluteTarget("https://api.datadoghq.com:8443/a/../b%7E"), { destination: { scheme: "https", host: "api.datadoghq.com", port: 8443 }, target: "/a/../b%7E" });
  assert.deepEqual(parseAbsoluteTarget("http://[::1]:8126?x=1"), { destination: { scheme: "http", host: "::1", port: 8126 }, target: "/?x=1" });
  assert.equal(parseAbsoluteTarget("/api/v2/series"), undefined);
  assert.equal(parseAbsoluteTarget("ftp://host/x"), undefined);
});
