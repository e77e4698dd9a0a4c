/**
 * The tracer's v1.0 trace payload (/v1.0/traces): a msgpack map with integer keys, strings
 * streamed (a string appears once in full, later as its index in the order of appearance),
 * attributes as flat [key, type, value] triples. Uncompressed as the reference's
 * traces/trace_v1.py deserialize_v1_trace does: field names for the integer keys, string
 * indexes resolved, attributes as maps, trace ids as "0x" + uppercase hex.
 *
 * The decoding depends on Python's types and dict order (an index is an int, not a float;
 * strings are numbered in wire order), so it works on `unpackPython` values and turns the
 * result into JSON at the end. Bytes left over are written as Python's repr, as json.dump does.
 */
import type { Json } from "../json/value.js";
import { ExtType, MsgpackError, unpackPython, type PyDict, type PyValue } from "./msgpack.js";
import { b64decode } from "./python-base64.js";
import { loadsJson } from "./python-json.js";
import { pyIndex, pyIter, pyTypeName } from "./python-ops.js";
import { pyToJson } from "./python-value.js";
import { decodeAppsecSValue } from "./span-meta.js";

const PAYLOAD_KEYS = enumOf(["strings", "container_id", "language_name", "language_version", "tracer_version", "runtime_id", "env", "hostname", "app_version", "attributes", "chunks"]);
const CHUNK_KEYS = enumOf(["priority", "origin", "attributes", "spans", "dropped_trace", "trace_id", "sampling_mechanism"]);
const SPAN_KEYS = enumOf([
  "service",
  "name",
  "resource",
  "span_id",
  "parent_id",
  "start",
  "duration",
  "error",
  "attributes",
  "type",
  "span_links",
  "span_events",
  "env",
  "version",
  "component",
  "span_kind",
]);
const LINK_KEYS = enumOf(["trace_id", "span_id", "attributes", "trace_state", "flags"]);
const EVENT_KEYS = enumOf(["time", "name_value", "attributes"]);
const enum AnyValue {
  string = 1,
  bool = 2,
  double = 3,
  int = 4,
  bytes = 5,
  array = 6,
  keyValueList = 7,
}

/** Span fields that hold a string, which may come as a string-table index. */
const SPAN_STRING_KEYS: ReadonlySet<string> = new Set(["service", "name", "resource", "type", "env", "version", "component"]);
/** Attributes that carry a JSON document as text (v1 adds _dd.span_links to the v0.x ones). */
const JSON_ATTRIBUTES: ReadonlySet<string> = new Set(["_dd.appsec.json", "_dd.iast.json", "_dd.span_links"]);
/** Attributes that carry msgpack as bytes. */
const MSGPACK_ATTRIBUTES: ReadonlySet<string> = new Set(["appsec", "_dd.stack"]);

type Strings = string[];

/** msgpack bytes of a /v1.0/traces body → the dump's content. */
export function decodeTracesV1(body: Buffer): Json {
  const data = unpackPython(body);
  // A tracer sending a v0.4 array to the v1 endpoint: the reference warns and records {}.
  if (!(data instanceof Map)) return {};
  const strings = unstreamStrings(data);
  if (data.size === 0) return {};
  const payload = uncompressPayloadKeys(data, strings);
  processTraceAttributes(payload, strings);
  for (const chunk of pyIter(payload.get("chunks") ?? [])) deserializeChunkTraceId(chunk);
  return pyToJson(payload);
}

// ---- enum lookups: Python's IntEnum(k) / dict[k] accept an int, a bool or an integral float

function enumOf(names: string[]): Map<number, string> {
  return new Map(names.map((name, i) => [i + 1, name]));
}

function intKey(k: PyValue): number | undefined {
  if (typeof k === "bigint") return Number(k);
  if (typeof k === "boolean") return k ? 1 : 0;
  if (typeof k === "number" && Number.isInteger(k)) return k;
  return undefined;
}

function enumName(table: Map<number, string>, k: PyValue): string | undefined {
  const i = intKey(k);
  return i === undefined ? undefined : table.get(i);
}

/** isinstance(v, int): bools are ints in Python. */
function isInt(v: unknown): v is bigint | boolean {
  return typeof v === "bigint" || typeof v === "boolean";
}

function equalsInt(v: PyValue, n: number): boolean {
  const i = intKey(v);
  return i !== undefined && i === n;
}

function stringAt(strings: Strings, i: bigint | boolean): string {
  return pyIndex<string>(strings, Number(i));
}

function items(v: PyValue | undefined): [PyValue, PyValue][] {
  if (!(v instanceof Map)) throw new TypeError(`'${pyTypeName(v)}' object has no attribute 'items'`);
  return [...v.entries()];
}

// ---- the walk

/** Every string value of the payload in wire order, after "" (index 0 is the empty string). */
function unstreamStrings(content: PyValue, strings: Strings = [""]): Strings {
  if (typeof content === "string") strings.push(content);
  else if (content instanceof Map) for (const v of content.values()) unstreamStrings(v, strings);
  else if (Array.isArray(content)) for (const v of content) unstreamStrings(v, strings);
  return strings;
}

function uncompressPayloadKeys(data: PyDict, strings: Strings): PyDict {
  const out: PyDict = new Map();
  for (const [k, v] of data) {
    const name = enumName(PAYLOAD_KEYS, k);
    if (name === undefined) throw new Error(`ValueError: Unknown V1TracePayloadKey: ${pyRepr(k)}`);
    out.set(name, name === "chunks" ? uncompressChunks(v, strings) : v);
  }
  return out;
}

function uncompressChunks(chunks: PyValue, strings: Strings): PyDict[] {
  const out: PyDict[] = [];
  for (const chunk of pyIter(chunks)) {
    const c: PyDict = new Map();
    for (const [k, v] of items(chunk as PyValue)) {
      const name = enumName(CHUNK_KEYS, k);
      if (name === undefined) throw new Error(`ValueError: Unknown V1ChunkKey: ${pyRepr(k)}`);
      c.set(name, name === "spans" ? uncompressSpans(v, strings) : v);
    }
    out.push(c);
  }
  return out;
}

function uncompressSpans(spans: PyValue, strings: Strings): PyDict[] {
  const out: PyDict[] = [];
  for (const span of pyIter(spans)) {
    const s: PyDict = new Map();
    for (const [k, v] of items(span as PyValue)) {
      const name = enumName(SPAN_KEYS, k);
      if (name === undefined) throw new Error(`KeyError: ${pyRepr(k)}`);
      let value = v;
      if (SPAN_STRING_KEYS.has(name) && isInt(value)) value = stringAt(strings, value);
      if (name === "span_links" && value !== null) value = uncompressSpanLinks(value, strings);
      else if (name === "span_events" && value !== null) value = uncompressSpanEvents(value, strings);
      s.set(name, value);
    }
    out.push(s);
  }
  return out;
}

function processTraceAttributes(payload: PyDict, strings: Strings): void {
  const root = payload.get("attributes");
  if (Array.isArray(root)) payload.set("attributes", attributesToDict(root, strings));
  for (const chunk of pyIter(payload.get("chunks") ?? [])) {
    const c = chunk as PyDict;
    if (c.has("attributes")) c.set("attributes", attributesToDict(c.get("attributes") as PyValue, strings));
    for (const span of pyIter(c.get("spans") ?? [])) {
      const s = span as PyDict;
      if (s.has("attributes")) s.set("attributes", attributesToDict(s.get("attributes") as PyValue, strings));
    }
  }
}

function deserializeChunkTraceId(chunk: unknown): void {
  const c = chunk as PyDict;
  const traceId = c.get("trace_id");
  if (!Buffer.isBuffer(traceId)) throw new TypeError(`Trace ID is not a bytes: ${pyRepr(traceId ?? null)}`);
  c.set("trace_id", "0x" + traceId.toString("hex").toUpperCase());
}

/** [key, type, value, key, type, value, ...] → {key: value} */
function attributesToDict(attrs: PyValue, strings: Strings): PyDict {
  if (!Array.isArray(attrs)) throw new TypeError(`attributes must be a list, not ${pyTypeName(attrs)}`);
  if (attrs.length % 3 !== 0) throw new Error(`ValueError: Attributes list must be a multiple of 3 (${attrs.length})`);
  const out: PyDict = new Map();
  for (let i = 0; i < attrs.length; i += 3) {
    let k = attrs[i];
    if (isInt(k)) k = stringAt(strings, k);
    out.set(k, typedValue(attrs[i + 1], attrs[i + 2], strings, true));
  }
  postprocessAttributes(out);
  return out;
}

/** A value by its AnyValue type, in attribute triples and key-value lists. */
function typedValue(type: PyValue, v: PyValue, strings: Strings, kvlInside: boolean): PyValue {
  if (equalsInt(type, AnyValue.string)) return isInt(v) ? stringAt(strings, v) : v;
  if (equalsInt(type, AnyValue.array)) return uncompressArray(v, strings);
  if (equalsInt(type, AnyValue.bytes)) return Buffer.isBuffer(v) ? decodeBytesAttribute(v) : v;
  if (kvlInside && equalsInt(type, AnyValue.keyValueList)) return uncompressKeyValueList(v, strings);
  return v;
}

function uncompressArray(array: PyValue, strings: Strings): PyValue[] {
  if (!Array.isArray(array)) throw new TypeError(`array value must be a list, not ${pyTypeName(array)}`);
  if (array.length % 2 !== 0) throw new Error("ValueError: Array must have an even number of elements (type, value pairs)");
  const out: PyValue[] = [];
  for (let i = 0; i < array.length; i += 2) {
    const type = intKey(array[i]);
    if (type === undefined || type < AnyValue.string || type > AnyValue.keyValueList) throw new Error(`ValueError: Unknown V1AnyValueKeys in array: ${pyRepr(array[i])}`);
    // A key-value list inside an array is left as it is, as in the reference.
    out.push(typedValue(array[i], array[i + 1], strings, false));
  }
  return out;
}

function uncompressKeyValueList(kvl: PyValue, strings: Strings): PyDict {
  const out: PyDict = new Map();
  for (const [rawKey, pair] of items(kvl)) {
    const key = isInt(rawKey) ? stringAt(strings, rawKey) : rawKey;
    const unpacked = unpackPair(pair);
    if (!unpacked) {
      out.set(key, pair);
      continue;
    }
    const [type, v] = unpacked;
    const t = intKey(type);
    if (t === undefined || t < AnyValue.string || t > AnyValue.keyValueList) out.set(key, v);
    else out.set(key, typedValue(type, v, strings, true));
  }
  return out;
}

/** `a, b = value`: any iterable of exactly two items. */
function unpackPair(value: PyValue): [PyValue, PyValue] | undefined {
  let seq: PyValue[];
  if (Array.isArray(value)) seq = value;
  else if (typeof value === "string") seq = Array.from(value);
  else if (Buffer.isBuffer(value)) seq = Array.from(value, (b) => BigInt(b));
  else if (value instanceof Map) seq = [...value.keys()];
  else if (value instanceof ExtType) seq = [BigInt(value.code), value.data];
  else return undefined;
  return seq.length === 2 ? [seq[0], seq[1]] : undefined;
}

/** A bytes_value attribute: msgpack like meta_struct when it is, else ASCII text. */
export function decodeBytesAttribute(payload: Buffer): PyValue {
  try {
    return unpackPython(payload);
  } catch {
    for (let i = 0; i < payload.length; i++) if (payload[i] > 0x7f) throw new Error("ValueError: Error decoding v1 bytes attribute");
    return payload.toString("latin1");
  }
}

function postprocessAttributes(attrs: PyDict): void {
  for (const key of [...attrs.keys()]) {
    if (typeof key !== "string") throw new TypeError(`'${pyTypeName(key)}' object has no attribute 'startswith'`);
    const val = attrs.get(key) as PyValue;
    if (key.startsWith("_dd.appsec.s.")) attrs.set(key, decodeAppsecSValue(asMsg(val)) as PyValue);
    else if (MSGPACK_ATTRIBUTES.has(key)) {
      if (Buffer.isBuffer(val)) attrs.set(key, unpackPython(val));
    } else if (JSON_ATTRIBUTES.has(key)) {
      if (typeof val === "string" || Buffer.isBuffer(val)) attrs.set(key, loadsJson(val) as PyValue);
    }
  }
}

/** decodeAppsecSValue takes str or bytes; anything else fails there as in Python. */
function asMsg(v: PyValue): never {
  return (typeof v === "bigint" ? Number(v) : v) as never;
}

// ---- span links and events

function uncompressSpanLinks(links: PyValue, strings: Strings): PyValue {
  if (!Array.isArray(links)) return links;
  return links.map((link) => {
    if (!(link instanceof Map)) return link;
    const l: PyDict = new Map();
    for (const [k, v] of link) l.set(enumName(LINK_KEYS, k) ?? k, v);
    if (l.has("trace_id")) {
      const traceId = l.get("trace_id");
      if (Buffer.isBuffer(traceId)) l.set("trace_id", "0x" + traceId.toString("hex").toUpperCase());
      else if (typeof traceId === "string") {
        try {
          l.set("trace_id", "0x" + b64decode(traceId).toString("hex").toUpperCase());
        } catch {
          // not base64: kept as it is
        }
      }
    }
    if (l.has("attributes")) {
      const attrs = l.get("attributes") as PyValue;
      if (Array.isArray(attrs)) l.set("attributes", attributesToDict(attrs, strings));
      else l.set("attributes", uncompressRefAttributesOrKeep(attrs, strings));
    }
    if (l.has("trace_state")) {
      const ts = l.get("trace_state") as PyValue;
      if (isInt(ts) && Number(ts) < strings.length) l.set("tracestate", stringAt(strings, ts));
    }
    return l;
  });
}

function uncompressSpanEvents(events: PyValue, strings: Strings): PyValue {
  if (!Array.isArray(events)) return events;
  return events.map((event) => {
    if (!(event instanceof Map)) return event;
    const e: PyDict = new Map();
    for (const [k, v] of event) {
      const name = enumName(EVENT_KEYS, k);
      if (name === "time") e.set("time_unix_nano", v);
      else if (name === "name_value") e.set("name", isInt(v) && Number(v) < strings.length ? stringAt(strings, v) : v);
      else e.set(name ?? k, v);
    }
    if (e.has("attributes")) {
      const attrs = e.get("attributes") as PyValue;
      if (Array.isArray(attrs)) e.set("attributes", attributesToDict(attrs, strings));
      else e.set("attributes", uncompressRefAttributesOrKeep(attrs, strings));
    }
    return e;
  });
}

/**
 * Attributes in the agent's map form ({index: {stringValueRef | boolValue | ...}}); in a
 * tracer payload the reference tries it and keeps the value as it is when it fails.
 */
function uncompressRefAttributesOrKeep(attrs: PyValue, strings: Strings): PyValue {
  try {
    const out: PyDict = new Map();
    for (const [k, v] of items(attrs)) {
      const name = stringAt(strings, BigInt(pyIntOf(k)));
      if (!(v instanceof Map)) throw new TypeError("attribute value is not a dict");
      if (v.has("stringValueRef")) out.set(name, stringAt(strings, BigInt(pyIntOf(v.get("stringValueRef") as PyValue))));
      else if (v.has("boolValue")) out.set(name, v.get("boolValue") as PyValue);
      else if (v.has("doubleValue")) out.set(name, v.get("doubleValue") as PyValue);
      else if (v.has("intValue")) out.set(name, v.get("intValue") as PyValue);
      else if (v.has("bytesValue")) {
        let raw = v.get("bytesValue") as PyValue;
        if (typeof raw === "string") raw = b64decode(raw);
        out.set(name, Buffer.isBuffer(raw) ? decodeBytesAttribute(raw) : raw);
      } else if (v.has("arrayValue")) out.set(name, v.get("arrayValue") as PyValue);
      else if (v.has("keyValueList")) out.set(name, v.get("keyValueList") as PyValue);
      else throw new Error("ValueError: Unknown attribute value");
    }
    postprocessAttributes(out);
    return out;
  } catch {
    return attrs;
  }
}

function pyIntOf(v: PyValue): number {
  const i = intKey(v);
  if (i !== undefined) return i;
  if (typeof v === "string" && /^\s*[+-]?\d+\s*$/.test(v)) return Number(v);
  throw new MsgpackError(`invalid int: ${pyRepr(v)}`);
}

function pyRepr(v: PyValue): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "bigint" || typeof v === "number") return String(v);
  if (v === null) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  return pyTypeName(v);
}
