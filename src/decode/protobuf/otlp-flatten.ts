/**
 * The reference's deserialize_otlp_v1_trace: OTLP trace attributes, a list of
 * {"key": k, "value": {"<type>Value": v}}, become one object {k: v} on resources, scopes,
 * spans, span events and span links. Applied to protobuf (after MessageToDict) and to JSON
 * bodies, mutating them in place, with the reference's checks and failures.
 */
import type { Json, JsonObject } from "../../json/value.js";
import { isJsonObject, PyFloat } from "../../json/value.js";
import { pythonFloatRepr } from "../../json/write.js";

// The order the reference tries the AnyValue members in.
const VALUE_KEYS = ["stringValue", "boolValue", "intValue", "doubleValue", "arrayValue", "kvlistValue", "bytesValue"];

function* flattenAttributes(attributes: Json): Generator<[string, Json]> {
  for (const keyValue of pyIter(attributes)) {
    const value = pyItem(keyValue, "value");
    let found = false;
    for (const name of VALUE_KEYS) {
      const v = pyGet(value, name, null);
      if (v !== null) {
        yield [dictKey(pyItem(keyValue, "key")), v];
        found = true;
        break;
      }
    }
    if (!found) throw new PythonOpError(`ValueError: Unknown attribute value: ${JSON.stringify(value)}`);
  }
}

/** A Python dict key as json.dump names it (lists and dicts are not hashable). */
function dictKey(key: Json): string {
  if (typeof key === "string") return key;
  if (key instanceof PyFloat) return pythonFloatRepr(key.value);
  if (key !== null && typeof key === "object") throw new PythonOpError(`TypeError: unhashable type: '${Array.isArray(key) ? "list" : "dict"}'`);
  return String(key);
}

export function flattenOtlpTraces(content: Json): Json {
  for (const resourceSpan of pyIter(pyGet(content, "resourceSpans", []))) {
    const resource = pyGet(resourceSpan, "resource", {});
    if (pyTruthy(resource)) setItem(resource, "attributes", pyDict(flattenAttributes(pyGet(resource, "attributes", []))));

    for (const scopeSpan of pyIter(pyGet(resourceSpan, "scopeSpans", []))) {
      const scope = pyGet(scopeSpan, "scope", {});
      const scopeAttributes = pyGet(scope, "attributes", []);
      if (pyTruthy(scope) && pyTruthy(scopeAttributes)) setItem(scope, "attributes", pyDict(flattenAttributes(scopeAttributes)));

      for (const span of pyIter(pyGet(scopeSpan, "spans", []))) {
        const spanAttributes = pyGet(span, "attributes", []);
        if (pyTruthy(spanAttributes)) setItem(span, "attributes", pyDict(flattenAttributes(spanAttributes)));

        for (const nested of ["events", "links"]) {
          for (const item of pyIter(pyGet(span, nested, []))) {
            const attributes = pyGet(item, "attributes", []);
            if (pyTruthy(attributes)) setItem(item, "attributes", pyDict(flattenAttributes(attributes)));
          }
        }
      }
    }
  }
  return content;
}

/** `obj[key] = value` on what pyGet has already proven to be a dict. */
function setItem(obj: Json, key: string, value: Json): void {
  (obj as Record<string, Json>)[key] = value;
}

// The Python operations the reference performs here, failing where Python raises (these
// bodies may be any JSON).

class PythonOpError extends Error {
  override name = "PythonOpError";
}

function typeName(v: Json | undefined): string {
  if (v === null || v === undefined) return "NoneType";
  if (Array.isArray(v)) return "list";
  if (v instanceof PyFloat) return "float";
  if (typeof v === "object") return "dict";
  if (typeof v === "string") return "str";
  if (typeof v === "boolean") return "bool";
  return Number.isInteger(v) || typeof v === "bigint" ? "int" : "float";
}

/** `obj.get(key, fallback)`: only a dict has .get. */
function pyGet(obj: Json, key: string, fallback: Json): Json {
  if (!isJsonObject(obj)) throw new PythonOpError(`AttributeError: '${typeName(obj)}' object has no attribute 'get'`);
  return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : fallback;
}

/** `obj[key]` on what must be a dict holding key. */
function pyItem(obj: Json, key: string): Json {
  if (!isJsonObject(obj)) throw new PythonOpError(`TypeError: '${typeName(obj)}' object is not subscriptable by str`);
  if (!Object.prototype.hasOwnProperty.call(obj, key)) throw new PythonOpError(`KeyError: '${key}'`);
  return obj[key];
}

/** `for x in value`: a list's items, a dict's keys, a string's characters. */
function pyIter(value: Json): Json[] {
  if (Array.isArray(value)) return value;
  if (isJsonObject(value)) return Object.keys(value);
  if (typeof value === "string") return Array.from(value);
  throw new PythonOpError(`TypeError: '${typeName(value)}' object is not iterable`);
}

/** Python truthiness. */
function pyTruthy(value: Json): boolean {
  if (value === null || value === false || value === 0 || value === 0n || value === "") return false;
  if (value instanceof PyFloat) return value.value !== 0;
  if (Array.isArray(value)) return value.length > 0;
  if (isJsonObject(value)) return Object.keys(value).length > 0;
  return true;
}

/** `dict(pairs)`: later keys win, as Python's dict does. */
function pyDict(pairs: Iterable<[string, Json]>): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of pairs) {
    if (k === "__proto__") Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    else out[k] = v;
  }
  return out;
}
