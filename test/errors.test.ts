// Every decoder error is a PayloadError with its own stable code, and keeps the name the dumps'
// tracebacks show (that name is part of the dump format).
import { test } from "node:test";
import assert from "node:assert/strict";
import { DefectError, PayloadError, StProxyError } from "../src/errors.js";
import { MsgpackError } from "../src/decode/msgpack.js";
import { DecodeError } from "../src/decode/protobuf/wire.js";
import { ContentEncodingError } from "../src/decode/encoding.js";
import { BodyTooLargeError, TooManyValuesError } from "../src/decode/limits.js";
import { ZstdError } from "../src/decode/zstd-frames.js";
import { JsonRecursionError, JsonTextError } from "../src/decode/python-json.js";
import { Base64Error } from "../src/decode/python-base64.js";
import { decodeMessage } from "../src/decode/index.js";

const PAYLOAD_ERRORS: [Error, string][] = [
  [new MsgpackError("m"), "MsgpackError"],
  [new DecodeError("m"), "DecodeError"],
  [new ContentEncodingError("m"), "ContentEncodingError"],
  [new BodyTooLargeError(1, "m"), "BodyTooLargeError"],
  [new TooManyValuesError("m"), "TooManyValuesError"],
  [new ZstdError("m"), "ZstdError"],
  [new JsonTextError("m"), "UnicodeDecodeError"],
  [new JsonRecursionError("m"), "RecursionError"],
  [new Base64Error("m"), "binascii.Error"],
];

test("decoder errors are payload errors, each with its own code and its old name", () => {
  const codes = new Set<string>();
  for (const [error, name] of PAYLOAD_ERRORS) {
    assert.ok(error instanceof PayloadError && error instanceof StProxyError, name);
    assert.ok(!(error instanceof DefectError), name);
    assert.equal(error.name, name);
    assert.ok(error.stack?.startsWith(`${name}: `), error.stack);
    codes.add((error as PayloadError).code);
  }
  assert.equal(codes.size, PAYLOAD_ERRORS.length);
});

test("a defect is not a payload error", () => {
  const defect = new DefectError("st-proxy failed");
  assert.equal(defect.code, "DEFECT");
  assert.ok(!(defect instanceof PayloadError));
});

test("the dump's traceback of an undecodable body starts with the error's name", () => {
  const out = decodeMessage({ side: "request", interface: "library", method: "PUT", path: "/v0.4/traces", headers: [["Content-Type", "application/msgpack"]], body: Buffer.from([0xc1]) }, { filesDir: "/files" });
  assert.match(out.traceback ?? "", /^MsgpackError: /);
});
