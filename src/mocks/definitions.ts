import { isJsonObject, type Json } from "../json/value.js";

/**
 * What a mock *is*: plain data, as the Python test runner serializes it (`to_json()` of the
 * classes in system-tests' utils/proxy/mocked_response.py), parsed and validated. What a mock
 * *does* lives in tracer-effects.ts and backend-effects.ts.
 */

/** Tracer mocks edit the agent's answer to a tracer, after forwarding. */
export type TracerMockDefinition =
  | { type: "MockedTracerResponse"; path: string; mocked_headers: Record<string, string> | null }
  | { type: "StaticJsonMockedTracerResponse"; path: string; mocked_json: Json; status_code: number }
  | { type: "SequentialRemoteConfigJsonMockedTracerResponse"; mocked_json_sequence: Json[] }
  | { type: "SequentialJsonMockedTracerResponse"; path: string; mocked_json_sequence: Json[] }
  | { type: "AddRemoteConfigEndpoint" }
  | { type: "RemoveMetaStructsSupport" }
  | { type: "SetSpanEventFlags"; span_events: boolean }
  | { type: "SetClientDropP0s"; client_drop_p0s: boolean }
  | { type: "SetObfuscationVersion"; obfuscation_version: number | bigint | "MISSING" };

/** Backend mocks answer backend traffic without forwarding it (when the backend is mocked). */
export interface BackendMockDefinition {
  type: "MockedBackendResponse";
  path: string;
  content: Buffer;
  content_type: string;
  status_code: number;
}

export type MockFamily = "tracer" | "backend";

/** A definition that cannot be used; the message is one line naming the problem. */
export class MockDefinitionError extends Error {}

/** One field of a definition: how it is checked, and its default when it may be left out. */
interface Field {
  check: (value: Json) => string | undefined;
  convert?: (value: Json) => unknown;
  /** Present when the field is optional (the Python constructor has a default for it). */
  default?: () => unknown;
}

const isInt = (v: Json): boolean => (typeof v === "number" && Number.isInteger(v)) || typeof v === "bigint";

const string: Field = { check: (v) => (typeof v === "string" ? undefined : "must be a string") };
const boolean: Field = { check: (v) => (typeof v === "boolean" ? undefined : "must be true or false") };
const anyJson: Field = { check: () => undefined };
const statusCode = (fallback?: number): Field => ({
  // A 1xx is not a final answer: the client would wait for one that never comes.
  check: (v) => (typeof v === "number" && Number.isInteger(v) && v >= 200 && v <= 599 ? undefined : "must be a final HTTP status code (an integer from 200 to 599)"),
  ...(fallback === undefined ? {} : { default: () => fallback }),
});
const jsonSequence: Field = {
  // The Python class indexes the list on every request: an empty one could never answer.
  check: (v) => (Array.isArray(v) && v.length > 0 ? undefined : "must be a non-empty list"),
};
const headers: Field = {
  check: (v) => {
    if (v === null) return undefined;
    if (typeof v !== "object" || Array.isArray(v) || typeof v === "bigint") return "must be an object of header names to string values, or null";
    for (const [name, value] of Object.entries(v)) {
      if (typeof value !== "string") return `header ${JSON.stringify(name)} must have a string value`;
      if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) return `${JSON.stringify(name)} is not a valid header name`;
      // What Node's validateHeaderValue refuses: control characters other than tab, and anything past U+00FF.
      if (/[^\t\x20-\x7e\x80-\xff]/.test(value)) return `header ${JSON.stringify(name)} has a control character or a character beyond U+00FF in its value`;
    }
    return undefined;
  },
  default: () => null,
};
const obfuscationVersion: Field = { check: (v) => (isInt(v) || v === "MISSING" ? undefined : 'must be an integer or "MISSING"') };
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const base64Content: Field = {
  check: (v) => (typeof v === "string" && BASE64.test(v.replace(/\s+/g, "")) ? undefined : "must be a base64 string"),
  convert: (v) => Buffer.from(v as string, "base64"),
};

/** Every type each family accepts, with its fields (the Python constructors' parameters). */
const TRACER_TYPES: Record<TracerMockDefinition["type"], Record<string, Field>> = {
  MockedTracerResponse: { path: string, mocked_headers: headers },
  StaticJsonMockedTracerResponse: { path: string, mocked_json: anyJson, status_code: statusCode(200) },
  SequentialRemoteConfigJsonMockedTracerResponse: { mocked_json_sequence: jsonSequence },
  SequentialJsonMockedTracerResponse: { path: string, mocked_json_sequence: jsonSequence },
  AddRemoteConfigEndpoint: {},
  RemoveMetaStructsSupport: {},
  SetSpanEventFlags: { span_events: boolean },
  SetClientDropP0s: { client_drop_p0s: boolean },
  SetObfuscationVersion: { obfuscation_version: obfuscationVersion },
};

const BACKEND_TYPES: Record<BackendMockDefinition["type"], Record<string, Field>> = {
  MockedBackendResponse: { path: string, content: base64Content, content_type: { ...string, default: () => "application/x-protobuf" }, status_code: statusCode(200) },
};

const TYPES: Record<MockFamily, Record<string, Record<string, Field>>> = { tracer: TRACER_TYPES, backend: BACKEND_TYPES };

/** The request path a tracer mock applies to (some types have a fixed one). */
export function tracerMockPath(def: TracerMockDefinition): string {
  switch (def.type) {
    case "SequentialRemoteConfigJsonMockedTracerResponse":
      return "/v0.7/config";
    case "AddRemoteConfigEndpoint":
    case "RemoveMetaStructsSupport":
    case "SetSpanEventFlags":
    case "SetClientDropP0s":
    case "SetObfuscationVersion":
      return "/info";
    default:
      return def.path;
  }
}

export function parseTracerMocks(list: Json): TracerMockDefinition[] {
  return parseList("tracer", list) as TracerMockDefinition[];
}

export function parseBackendMocks(list: Json): BackendMockDefinition[] {
  return parseList("backend", list) as BackendMockDefinition[];
}

/** Parses a list of definitions of one family; throws MockDefinitionError on the first bad one. */
export function parseList(family: MockFamily, list: Json): unknown[] {
  if (!Array.isArray(list)) throw new MockDefinitionError(`expected a JSON list of mock definitions, got ${describe(list)}`);
  return list.map((item, index) => parseOne(family, item, index));
}

function parseOne(family: MockFamily, item: Json, index: number): unknown {
  const where = `item ${index}`;
  if (!isJsonObject(item))
    throw new MockDefinitionError(`${where}: expected an object with a "type", got ${describe(item)}`);
  const type = item.type;
  const known = TYPES[family];
  if (typeof type !== "string") throw new MockDefinitionError(`${where}: missing "type" (one of ${Object.keys(known).join(", ")})`);
  const fields = Object.hasOwn(known, type) ? known[type] : undefined;
  if (!fields) throw new MockDefinitionError(`${where}: unknown ${family} mock type ${JSON.stringify(type)} (known: ${Object.keys(known).join(", ")})`);

  const def: Record<string, unknown> = { type };
  for (const name of Object.keys(item)) {
    if (name !== "type" && !Object.hasOwn(fields, name)) throw new MockDefinitionError(`${where} (${type}): unexpected field ${JSON.stringify(name)}`);
  }
  for (const [name, field] of Object.entries(fields)) {
    if (!Object.hasOwn(item, name)) {
      if (!field.default) throw new MockDefinitionError(`${where} (${type}): missing field ${JSON.stringify(name)}`);
      def[name] = field.default();
      continue;
    }
    const value = item[name];
    const problem = field.check(value);
    if (problem) throw new MockDefinitionError(`${where} (${type}): field ${JSON.stringify(name)} ${problem}`);
    def[name] = field.convert ? field.convert(value) : value;
  }
  return def;
}

function describe(value: Json): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "bigint") return "a number";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
