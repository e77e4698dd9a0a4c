/**
 * What becomes of bytes (msgpack bin) in a decoded payload, as in the reference:
 * - `convertBytesValues` is its _convert_bytes_values: walking dicts, and lists from the top,
 *   a bytes value of a dict becomes ASCII text (an error if it is not ASCII), except under
 *   `[][].meta_struct` where it is msgpack inside msgpack and is unpacked. Lists inside dicts
 *   are not walked, nor what meta_struct unpacks to.
 * - whatever bytes are left are written by json.dump as Python's repr (`b'...'`): `renderBytes`.
 * Both return a Json value, mutating containers in place.
 */
import type { Json, JsonObject } from "../json/value.js";
import { ExtType, unpack, type MsgObject, type MsgValue } from "./msgpack.js";
import { bytesRepr } from "./python-repr.js";

const META_STRUCT_PATH = "[][].meta_struct";

export function convertBytesValues(value: MsgValue, path = ""): Json {
  if (Array.isArray(value)) {
    const inner = path + "[]";
    for (let i = 0; i < value.length; i++) value[i] = convertBytesValues(value[i], inner);
    return value as Json[];
  }
  if (value instanceof ExtType) return renderBytes(value);
  if (Buffer.isBuffer(value) || value === null || typeof value !== "object") return renderBytes(value);
  const obj = value as MsgObject;
  for (const key of Object.keys(obj)) {
    const v = obj[key];
    if (Buffer.isBuffer(v)) obj[key] = path === META_STRUCT_PATH ? unpackMetaStruct(v, path) : asciiValue(v, path);
    else if (isPlainObject(v)) obj[key] = convertBytesValues(v, `${path}.${key}`);
    else obj[key] = renderBytes(v);
  }
  return obj as JsonObject;
}

function unpackMetaStruct(v: Buffer, path: string): Json {
  try {
    return unpackToJson(v);
  } catch (error) {
    throw new Error(`Error decoding ${path}`, { cause: error });
  }
}

function asciiValue(v: Buffer, path: string): string {
  for (let i = 0; i < v.length; i++)
    if (v[i] > 0x7f) throw new Error(`Error decoding ${path}`, { cause: new Error(`'ascii' codec can't decode byte 0x${v[i].toString(16)} in position ${i}: ordinal not in range(128)`) });
  return v.toString("latin1");
}

/** msgpack.unpackb(...) of nested bytes, rendered as json.dump writes it (bytes as repr). */
export function unpackToJson(data: Buffer): Json {
  const { value, sawBytes } = unpack(data);
  return sawBytes ? renderBytes(value) : (value as Json);
}

/** json.dump's view of leftover bytes: repr text; ExtType is a namedtuple, so [code, data]. */
export function renderBytes(value: MsgValue): Json {
  if (value === null || typeof value !== "object") return value;
  if (Buffer.isBuffer(value)) return bytesRepr(value);
  if (value instanceof ExtType) {
    // msgpack turns ext type -1 into a Timestamp, which json.dump cannot write.
    if (value.code === -1) throw new TypeError("Object of type Timestamp is not JSON serializable");
    return [value.code, bytesRepr(value.data)];
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = renderBytes(value[i]);
    return value as Json[];
  }
  const obj = value as MsgObject;
  for (const key of Object.keys(obj)) obj[key] = renderBytes(obj[key]);
  return obj as JsonObject;
}

function isPlainObject(v: MsgValue): v is MsgObject {
  return v !== null && typeof v === "object" && !Array.isArray(v) && !Buffer.isBuffer(v) && !(v instanceof ExtType);
}
