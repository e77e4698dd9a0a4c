import { gunzipSync } from "node:zlib";
import type { Json, JsonObject } from "../json/value.js";
import { unpackToJson } from "./bytes-values.js";
import { NON_STR_KEYS, type MsgObject, type MsgValue } from "./msgpack.js";
import { b64decode } from "./python-base64.js";
import { loadsJson } from "./python-json.js";
import { isMapping, pyTypeName } from "./python-ops.js";
import { strictUtf8 } from "./utf8.js";

/** Meta keys whose value is a JSON document (the reference's _json_meta_values for v0.x spans). */
const JSON_META_KEYS: ReadonlySet<string> = new Set(["_dd.appsec.json", "_dd.iast.json"]);
const APPSEC_S_PREFIX = "_dd.appsec.s.";

/**
 * Expands the strings inside a span's meta that are themselves payloads (as the reference's
 * _deserialize_meta does): `_dd.appsec.s.*` (JSON or base64-gzip-JSON), `_dd.appsec.json` and
 * `_dd.iast.json` (JSON), and `metaStruct` values given as base64 msgpack. Mutates the span.
 * Shared by the library (msgpack) and agent (protobuf) trace decoders. Throws where the
 * reference raises (the whole payload then fails to decode, as there).
 */
export function deserializeSpanMeta(span: JsonObject): void {
  expandSpanMeta(span);
}

/** The same on a span fresh from msgpack, whose meta values may still be bytes. */
export function expandSpanMeta(span: unknown): void {
  if (!isDict(span)) throw new TypeError(`'${pyTypeName(span)}' object has no attribute 'get'`);
  const meta = span.meta;
  if (meta !== undefined) expandMeta(meta);
  const metaStruct = span.metaStruct;
  if (metaStruct !== undefined) {
    if (!isDict(metaStruct)) throw new TypeError(`'${pyTypeName(metaStruct)}' object has no attribute 'items'`);
    for (const key of Object.keys(metaStruct)) {
      const val = metaStruct[key];
      if (typeof val === "string") metaStruct[key] = unpackToJson(b64decode(val));
    }
  }
}

function expandMeta(meta: MsgValue): void {
  if (isDict(meta)) {
    if (NON_STR_KEYS.has(meta)) throw new TypeError("meta has a key that is not a str: it has no attribute 'startswith'");
    for (const key of Object.keys(meta)) {
      if (key.startsWith(APPSEC_S_PREFIX)) meta[key] = decodeAppsecSValue(meta[key]);
      else if (JSON_META_KEYS.has(key)) meta[key] = loadsJsonValue(meta[key]);
    }
    return;
  }
  // `for key in list(meta)` on something else than a dict: what Python would make of it.
  if (typeof meta === "string") return; // single characters never name these keys
  if (Array.isArray(meta)) {
    for (const item of meta) {
      if (typeof item !== "string") throw new TypeError(`'${pyTypeName(item)}' object has no attribute 'startswith'`);
      if (item.startsWith(APPSEC_S_PREFIX) || JSON_META_KEYS.has(item)) throw new TypeError("list indices must be integers or slices, not str");
    }
    return;
  }
  if (Buffer.isBuffer(meta)) {
    if (meta.length > 0) throw new TypeError("'int' object has no attribute 'startswith'");
    return;
  }
  throw new TypeError(`'${pyTypeName(meta)}' object is not iterable`);
}

/** json.loads of a meta value: str or bytes only. */
function loadsJsonValue(value: MsgValue | Json): Json {
  if (typeof value === "string" || Buffer.isBuffer(value)) return loadsJson(value);
  throw new TypeError(`the JSON object must be str, bytes or bytearray, not ${pyTypeName(value)}`);
}

/**
 * A `_dd.appsec.s.<address>` value (the reference's decode_appsec_s_value): JSON when it
 * starts with "[" (after blanks), otherwise base64 (strict) of gzip of JSON. Accepts bytes too
 * (msgpack bin). Throws on anything else.
 */
export function decodeAppsecSValue(value: MsgValue | Json): Json {
  let text: string;
  if (Buffer.isBuffer(value)) text = utf8In(value, "_dd.appsec.s.* value");
  else if (typeof value === "string") text = value;
  else if (value === null || value === false || value === 0) throw new Error("ValueError: _dd.appsec.s.* value cannot be empty");
  else throw new TypeError(`'${pyTypeName(value)}' object has no attribute 'strip'`);
  if (!text) throw new Error("ValueError: _dd.appsec.s.* value cannot be empty");
  if (text.replace(/^[\s\x1c-\x1f\x85]+/, "").startsWith("[")) return loadsJson(text);
  const compressed = b64decode(text, true);
  let inflated: Buffer;
  try {
    inflated = gunzipSync(compressed);
  } catch (error) {
    throw new Error(`ValueError: Invalid gzip for _dd.appsec.s.* value: ${(error as Error).message}`, { cause: error });
  }
  return loadsJson(utf8In(inflated, "gzip payload for _dd.appsec.s.*"));
}

function utf8In(bytes: Uint8Array, what: string): string {
  return strictUtf8(bytes, (cause) => new Error(`ValueError: Invalid UTF-8 in ${what}`, { cause }));
}

function isDict(v: unknown): v is MsgObject {
  return isMapping(v) && !(v instanceof Map);
}
