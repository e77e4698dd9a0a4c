import type { JsonObject } from "../json/value.js";

/**
 * Expands the strings inside a span's meta that are themselves payloads (as the reference's
 * _deserialize_meta does): `_dd.appsec.s.*` (JSON or base64-gzip-JSON), `_dd.appsec.json` and
 * `_dd.iast.json` (JSON), and `metaStruct` values given as base64 msgpack. Mutates the span.
 * Shared by the library (msgpack) and agent (protobuf) trace decoders.
 */
export function deserializeSpanMeta(_span: JsonObject): void {
  // filled by the tracer-decoders work
}
