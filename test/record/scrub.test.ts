import { test } from "node:test";
import assert from "node:assert/strict";
import { Scrubber, secretsFromEnv } from "../../src/record/scrub.js";

test("secrets: names matching key|token|secret|pass|docker_login with values longer than 6", () => {
  const secrets = secretsFromEnv({ DD_API_KEY: "abcdefg", MY_TOKEN: "123456", PASSWORD: " hunter22 ", HOME: "/root/verylong", AWS_VAULT_KEYCHAIN_NAME: "login-keychain", Docker_Login: "someone1" });
  assert.deepEqual(new Set(secrets), new Set(["abcdefg", "hunter22", "someone1"]));
  const s = new Scrubber(["abcdefg", "abcdefgh"]);
  assert.equal(s.text("x abcdefgh y abcdefg"), "x --redacted-- y --redacted--");
  assert.equal(s.bytes(Buffer.from("abcdefgabcdefg!")).toString(), "--redacted----redacted--!");
});

test("a secret is longer than 6 characters once trimmed; some names are known not to be secrets", () => {
  assert.deepEqual(secretsFromEnv({ SHORT_TOKEN: "abc", SIX_KEY: "123456", PADDED_PASS: "  123456  ", SEVEN_KEY: "1234567" }), ["1234567"]);
  assert.deepEqual(secretsFromEnv({ ONBOARDING_AWS_INFRA_KEYPAIR_NAME: "my-keypair", ONBOARDING_AWS_INFRA_KEY_PATH: "/keys/k.pem" }), []);
  assert.deepEqual(secretsFromEnv({ A_KEY: "same-value", B_TOKEN: "same-value" }), ["same-value"]);
});

test("a secret containing another is replaced whole; without secrets the scrubber is inactive", () => {
  const s = new Scrubber(["secret1", "secret1-and-more"]);
  assert.equal(s.text("[secret1-and-more]"), "[--redacted--]");
  assert.equal(s.bytes(Buffer.from("[secret1-and-more]")).toString(), "[--redacted--]");
  const clean = Buffer.from("nothing to hide");
  assert.equal(s.bytes(clean), clean, "a buffer without secrets is returned as it is");
  assert.equal(new Scrubber([]).active, false);
  assert.equal(s.active, true);
});

test("parts: each piece scrubbed alone, or joined when a secret could cross from one piece to the next", () => {
  const s = new Scrubber(["0123456789"]);
  const text = (parts: Buffer[]) => Buffer.concat(parts).toString();
  // Secrets inside pieces: replaced, pieces kept apart (no copy of a large rendered payload).
  const apart = s.parts([Buffer.from("head 0123456789 ..."), Buffer.from("a long middle piece 0123456789"), Buffer.from("tail")]);
  assert.equal(apart.length, 3);
  assert.equal(text(apart), "head --redacted-- ...a long middle piece --redacted--tail");
  // A secret across a boundary: still replaced.
  const across = s.parts([Buffer.from("head 01234"), Buffer.from("56789 and a long enough piece"), Buffer.from("tail")]);
  assert.equal(text(across), "head --redacted-- and a long enough piecetail");
  // Across three pieces (the middle one shorter than the secret).
  assert.equal(text(s.parts([Buffer.from("x 0123"), Buffer.from("456"), Buffer.from("789 y")])), "x --redacted-- y");
  // Without secrets the very same pieces come back.
  const pieces = [Buffer.from("a"), Buffer.from("b")];
  assert.equal(new Scrubber([]).parts(pieces), pieces);
});
