// deserializeSpanMeta as the agent decoder calls it (spans already JSON, metaStruct values as
// base64 msgpack), and decodeAppsecSValue on its own.
import { test } from "node:test";
import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { decodeAppsecSValue, deserializeSpanMeta } from "../../src/decode/span-meta.js";
import type { JsonObject } from "../../src/json/value.js";
import { packValue } from "../helpers/msgpack-writer.js";
import { MsgpackError } from "../../src/decode/msgpack.js";
import { Base64Error } from "../../src/decode/python-base64.js";

test("agent span: metaStruct base64 msgpack is unpacked (bytes in it as repr), meta JSON expanded", () => {
  const span: JsonObject = {
    meta: { "_dd.appsec.json": '{"triggers": [1]}', "http.url": "/x" },
    metaStruct: { appsec: packValue({ rule: "r1", raw: Buffer.from([0, 1]) }).toString("base64"), kept: 5 },
  };
  deserializeSpanMeta(span);
  assert.deepEqual(span, {
    meta: { "_dd.appsec.json": { triggers: [1] }, "http.url": "/x" },
    metaStruct: { appsec: { rule: "r1", raw: "b'\\x00\\x01'" }, kept: 5 },
  });
});

test("a span without meta or metaStruct is left alone", () => {
  const span: JsonObject = { name: "x" };
  deserializeSpanMeta(span);
  assert.deepEqual(span, { name: "x" });
});

test("metaStruct that is not base64 msgpack throws (the payload then fails, as in the reference)", () => {
  // msgpack's and binascii's own errors, as the reference's traceback ends with them.
  assert.throws(() => deserializeSpanMeta({ metaStruct: { appsec: "aGVsbG8=" } }), MsgpackError); // "hello": not one msgpack value
  assert.throws(() => deserializeSpanMeta({ metaStruct: { appsec: "aGVsbG8=" } }), { message: "ExtraData: unpack(b) received extra data." });
  assert.throws(() => deserializeSpanMeta({ metaStruct: { appsec: "a" } }), Base64Error); // incomplete base64
  assert.throws(() => deserializeSpanMeta({ metaStruct: { appsec: "a" } }), { message: /number of data characters \(1\) cannot be 1 more than a multiple of 4/ });
});

test("_dd.appsec.s.*: JSON when it starts with [, else strict base64 of gzip of JSON", () => {
  assert.deepEqual(decodeAppsecSValue('[{"a": 1}]'), [{ a: 1 }]);
  assert.deepEqual(decodeAppsecSValue('  \n[1]'), [1]);
  assert.deepEqual(decodeAppsecSValue(gzipSync('{"k": [true]}').toString("base64")), { k: [true] });
  assert.deepEqual(decodeAppsecSValue(Buffer.from("[2]")), [2]);
  assert.throws(() => decodeAppsecSValue(""), /cannot be empty/);
  assert.throws(() => decodeAppsecSValue("{bad json"), /Only base64 data is allowed/);
  assert.throws(() => decodeAppsecSValue(Buffer.from("aGVsbG8=").toString("base64")), /gzip/);
  assert.throws(() => decodeAppsecSValue(Buffer.from([0xff])), /UTF-8/);
  assert.throws(() => decodeAppsecSValue(5), { name: "TypeError", message: "'int' object has no attribute 'strip'" });
});

test("meta that is not a map: a list of other keys passes, a list naming a JSON key fails, None fails", () => {
  const listed: JsonObject = { meta: ["a", "b"] };
  deserializeSpanMeta(listed);
  assert.deepEqual(listed, { meta: ["a", "b"] });
  assert.throws(() => deserializeSpanMeta({ meta: ["_dd.iast.json"] }), /list indices/);
  assert.throws(() => deserializeSpanMeta({ meta: null }), /not iterable/);
  assert.throws(() => deserializeSpanMeta({ metaStruct: ["x"] }), /items/);
});
