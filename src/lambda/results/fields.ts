/** Checks and conversions every result format shares. */
import type { RawHeaders } from "../../model/headers.js";
import { excerpt, GatewayError, malformed } from "../errors.js";

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The function's result, parsed; not JSON is malformed (e.g. RIE's "Task timed out after 3.00 seconds"). */
export function parseResult(payload: string): unknown {
  try {
    return JSON.parse(payload);
  } catch {
    throw malformed(`not JSON: ${JSON.stringify(excerpt(payload))}`);
  }
}

/**
 * The error object a function returns when its handler throws ({errorMessage, errorType,
 * stackTrace}): the gateways answer 502 for it. Null when the result is not one.
 */
export function functionError(result: unknown): GatewayError | null {
  if (!isObject(result) || "statusCode" in result) return null;
  if (!("errorMessage" in result) && !("errorType" in result)) return null;
  const type = typeof result.errorType === "string" ? result.errorType : "Error";
  const message = typeof result.errorMessage === "string" ? result.errorMessage : JSON.stringify(result.errorMessage ?? "");
  return new GatewayError("function-error", `the function failed: ${type}: ${excerpt(message)}`);
}

/** A positive HTTP status from a number or a numeric string; absent gives `fallback` (when there is one). */
export function statusCodeOf(result: JsonObject, fallback?: number): number {
  const value = result.statusCode;
  if (value === undefined || value === null) {
    if (fallback !== undefined) return fallback;
    throw malformed("statusCode is missing");
  }
  const status = typeof value === "string" && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof status !== "number" || !Number.isInteger(status) || status < 100 || status > 599) {
    throw malformed(`statusCode must be an HTTP status (100-599), got ${JSON.stringify(value)}`);
  }
  return status;
}

/** isBase64Encoded as a boolean (the string forms "true"/"false" are accepted, as API Gateway does). */
export function flagOf(result: JsonObject, key: string): boolean {
  const value = result[key];
  if (value === undefined || value === null) return false;
  if (typeof value === "boolean") return value;
  if (value === "true" || value === "True") return true;
  if (value === "false" || value === "False") return false;
  throw malformed(`${key} must be a boolean, got ${JSON.stringify(value)}`);
}

/** The body as text: strings as they are, other JSON values written as JSON, absent as "". */
export function bodyTextOf(result: JsonObject): string {
  const body = result.body;
  if (body === undefined || body === null) return "";
  return typeof body === "string" ? body : JSON.stringify(body);
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decodes base64 strictly: a body that says it is base64 and is not is a malformed result. */
export function decodeBase64(text: string): Buffer {
  const compact = text.replace(/\s+/g, "");
  if (!BASE64.test(compact) || compact.length % 4 === 1) throw malformed(`body is not valid base64: ${JSON.stringify(excerpt(text, 60))}`);
  return Buffer.from(compact, "base64");
}

function headerValueText(name: string, value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw malformed(`header ${JSON.stringify(name)} has a value that is not a string, number or boolean: ${JSON.stringify(value)}`);
}

/** `headers` ({name: value}) as pairs. */
export function singleHeaders(result: JsonObject, key = "headers"): RawHeaders {
  const headers = result[key];
  if (headers === undefined || headers === null) return [];
  if (!isObject(headers)) throw malformed(`${key} must be an object, got ${JSON.stringify(headers)}`);
  return Object.entries(headers).map(([name, value]) => [name, headerValueText(name, value)]);
}

/** `multiValueHeaders` ({name: [values]}) as pairs. */
export function multiHeaders(result: JsonObject, key = "multiValueHeaders"): RawHeaders {
  const headers = result[key];
  if (headers === undefined || headers === null) return [];
  if (!isObject(headers)) throw malformed(`${key} must be an object, got ${JSON.stringify(headers)}`);
  const pairs: RawHeaders = [];
  for (const [name, values] of Object.entries(headers)) {
    if (!Array.isArray(values)) throw malformed(`${key}.${name} must be a list, got ${JSON.stringify(values)}`);
    for (const value of values) pairs.push([name, headerValueText(name, value)]);
  }
  return pairs;
}

/**
 * headers and multiValueHeaders merged as API Gateway documents it: one list, multiValueHeaders
 * first, a name/value pair given in both appearing once.
 */
export function mergedHeaders(result: JsonObject): RawHeaders {
  const merged = multiHeaders(result);
  const seen = new Set(merged.map(([name, value]) => `${name.toLowerCase()}\n${value}`));
  for (const [name, value] of singleHeaders(result)) if (!seen.has(`${name.toLowerCase()}\n${value}`)) merged.push([name, value]);
  return merged;
}

/** Whether a header is present, whatever its case. */
export function hasHeader(headers: RawHeaders, name: string): boolean {
  const key = name.toLowerCase();
  return headers.some(([n]) => n.toLowerCase() === key);
}

/** Adds Content-Type: application/json when the function named none, as API Gateway does. */
export function withDefaultContentType(headers: RawHeaders): RawHeaders {
  return hasHeader(headers, "content-type") ? headers : [...headers, ["Content-Type", "application/json"]];
}
