/**
 * Attribute values of the agent's "idx" tracer payloads, as the reference's
 * _uncompress_attributes and _postprocess_attribute_values (traces/trace_v1.py) resolve them:
 * keys and string values through the payload's string table, bytes tried as MessagePack then
 * ASCII, and the AppSec / IAST / span-links payloads carried as strings expanded.
 */
import type { Json, JsonObject } from "../../json/value.js";
import { isJsonObject } from "../../json/value.js";
import { renderBytes } from "../bytes-values.js";
import { unpack, type MsgObject, type MsgValue } from "../msgpack.js";
import { loadsJson } from "../python-json.js";
import { decodeAppsecSValue } from "../span-meta.js";

/** `strings[index]`, failing as Python's IndexError does. */
export function stringAt(strings: Json[], index: Json | undefined): Json {
  if (typeof index !== "number" || !Number.isInteger(index) || index < 0 || index >= strings.length) {
    throw new RangeError(`IndexError: list index out of range (string table index ${String(index)})`);
  }
  return strings[index];
}

/** `_uncompress_attributes`: {"<string index>": AnyValue} → {name: value}. */
export function uncompressAttributes(attrs: Json, strings: Json[]): JsonObject {
  if (!isJsonObject(attrs)) throw new TypeError("AttributeError: attributes has no items()");
  const out: MsgObject = {};
  for (const [k, v] of Object.entries(attrs)) {
    const key = String(stringAt(strings, Number(k)));
    const any = v as JsonObject;
    let value: MsgValue;
    if ("stringValueRef" in any) value = stringAt(strings, any.stringValueRef);
    else if ("boolValue" in any) value = any.boolValue;
    else if ("doubleValue" in any) value = any.doubleValue;
    else if ("intValue" in any) value = any.intValue;
    else if ("bytesValue" in any) value = decodeBytesValue(Buffer.from(String(any.bytesValue), "base64"));
    else if ("arrayValue" in any) value = any.arrayValue;
    else if ("keyValueList" in any) value = any.keyValueList;
    else throw new Error(`ValueError: Unknown attribute value: ${JSON.stringify(any)}`);
    setOwn(out, key, value);
  }
  postprocess(out);
  // Bytes left in the values are written as json.dump writes them (Python's repr).
  return renderBytes(out) as JsonObject;
}

/** decode_v1_bytes_value_attribute: MessagePack if it is one whole value, else ASCII text. */
function decodeBytesValue(bytes: Buffer): MsgValue {
  try {
    return unpack(bytes).value;
  } catch {
    for (const b of bytes) if (b > 0x7f) throw new Error("ValueError: Error decoding v1 bytes attribute");
    return bytes.toString("latin1");
  }
}

const JSON_VALUES = new Set(["_dd.appsec.json", "_dd.iast.json", "_dd.span_links"]);

/** _postprocess_attribute_values: payloads that travel as strings or bytes, expanded. */
function postprocess(attrs: MsgObject): void {
  for (const key of Object.keys(attrs)) {
    const value = attrs[key];
    if (key.startsWith("_dd.appsec.s.")) setOwn(attrs, key, decodeAppsecSValue(value));
    else if (key === "appsec" || key === "_dd.stack") {
      if (Buffer.isBuffer(value)) setOwn(attrs, key, unpack(value).value);
    } else if (JSON_VALUES.has(key)) {
      if (typeof value === "string" || Buffer.isBuffer(value)) setOwn(attrs, key, loadsJson(value));
    }
  }
}

function setOwn(obj: MsgObject, key: string, value: MsgValue): void {
  if (key === "__proto__") Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}
