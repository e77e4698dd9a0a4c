import type { Json, JsonObject } from "../json/value.js";
import { isJsonObject } from "../json/value.js";
import { parseJson } from "../json/parse.js";
import { writePythonJson } from "../json/write.js";
import type { Incoming } from "../proxy/types.js";
import { tracerMockPath, type TracerMockDefinition } from "./definitions.js";
import { requestContent, type EditableAnswer } from "./editable-answer.js";
import { gateByProducts } from "./rc-gating.js";

/** What a tracer mock does to an answer; it may keep state (sequence positions) between uses. */
export interface TracerMock {
  readonly definition: TracerMockDefinition;
  /** The request target (path and query, as the reference compares it) it applies to. */
  readonly path: string;
  /** Edits the answer; throws MockNotApplicable (answer untouched) when the exchange does not fit. */
  apply(answer: EditableAnswer, request: Incoming): void;
}

/** The exchange does not have what the mock needs (e.g. an /info answer that is not JSON). */
export class MockNotApplicable extends Error {}

/** A fresh mock for a definition: a new list of definitions starts every sequence over. */
export function createTracerMock(def: TracerMockDefinition): TracerMock {
  const path = tracerMockPath(def);
  return { definition: def, path, apply: effectOf(def) };
}

type Effect = (answer: EditableAnswer, request: Incoming) => void;

function effectOf(def: TracerMockDefinition): Effect {
  switch (def.type) {
    case "MockedTracerResponse":
      return (answer) => {
        answer.statusCode = 200;
        for (const [name, value] of Object.entries(def.mocked_headers ?? {})) answer.setHeader(name, value);
      };

    case "StaticJsonMockedTracerResponse":
      return (answer, request) => {
        let json = def.mocked_json;
        if (def.path === "/v0.7/config" && isJsonObject(json)) {
          const sent = tryJson(requestContent(request));
          if (isJsonObject(sent)) json = gateByProducts(json, sent);
        }
        answerJson(answer, def.status_code, json);
      };

    case "SequentialRemoteConfigJsonMockedTracerResponse": {
      // One position per tracer (runtime id): each client walks the sequence on its own.
      const positions = new Map<string, number>();
      const last = def.mocked_json_sequence.length - 1;
      return (answer, request) => {
        const sent = tryJson(requestContent(request));
        const runtimeId = runtimeIdOf(sent);
        if (runtimeId === undefined) throw new MockNotApplicable("the request has no client.client_tracer.runtime_id");
        const index = positions.get(runtimeId) ?? 0;
        answerJson(answer, 200, gateByProducts(def.mocked_json_sequence[index], sent ?? null));
        answer.setHeader("st-proxy-overwrite-rc-response", String(index));
        if (index < last) positions.set(runtimeId, index + 1);
      };
    }

    case "SequentialJsonMockedTracerResponse": {
      // One position for everyone; the last answer repeats once the sequence is used up.
      let position = 0;
      const last = def.mocked_json_sequence.length - 1;
      return (answer) => {
        const index = Math.min(position, last);
        answerJson(answer, 200, def.mocked_json_sequence[index]);
        answer.setHeader("st-proxy-sequential-response-idx", String(index));
        if (position < last) position++;
      };
    }

    case "AddRemoteConfigEndpoint":
      return editInfo((info) => {
        const endpoints = info.endpoints;
        if (!Array.isArray(endpoints)) throw new MockNotApplicable("the /info answer has no endpoints list");
        if (endpoints.includes("/v0.7/config")) return false;
        info.endpoints = [...endpoints, "/v0.7/config"];
        return true;
      });

    case "RemoveMetaStructsSupport":
      return editInfo((info) => {
        if (!Object.hasOwn(info, "span_meta_structs")) return false;
        delete info.span_meta_structs;
        return true;
      });

    case "SetSpanEventFlags":
      return editInfo((info) => {
        info.span_events = def.span_events;
        return true;
      });

    case "SetClientDropP0s":
      return editInfo((info) => {
        info.client_drop_p0s = def.client_drop_p0s;
        return true;
      });

    case "SetObfuscationVersion":
      return editInfo((info) => {
        if (def.obfuscation_version !== "MISSING") {
          info.obfuscation_version = def.obfuscation_version;
          return true;
        }
        if (!Object.hasOwn(info, "obfuscation_version")) return false;
        delete info.obfuscation_version;
        return true;
      });
  }
}

/**
 * An /info editor: only a 200 answer is edited; the body is rewritten only when the editor
 * changed something (it returns whether it did), as the reference does.
 */
function editInfo(edit: (info: JsonObject) => boolean): Effect {
  return (answer) => {
    if (answer.statusCode !== 200) return;
    const info = tryJson(answer.content);
    if (!isJsonObject(info)) throw new MockNotApplicable("the /info answer is not a JSON object");
    if (edit(info)) answer.content = pythonJsonBytes(info);
  };
}

/** Replaces the answer with a JSON document (status, Content-Type, body). */
function answerJson(answer: EditableAnswer, statusCode: number, json: Json): void {
  answer.statusCode = statusCode;
  answer.setHeader("Content-Type", "application/json");
  answer.content = pythonJsonBytes(json);
}

/** Python's `json.dumps(value).encode()`: the exact bytes the reference's tracer mocks send. */
function pythonJsonBytes(value: Json): Buffer {
  return Buffer.from(writePythonJson(value, 0));
}

function tryJson(bytes: Buffer): Json | undefined {
  try {
    return parseJson(bytes.toString("utf8"));
  } catch {
    return undefined;
  }
}

function runtimeIdOf(request: Json | undefined): string | undefined {
  if (!isJsonObject(request) || !isJsonObject(request.client)) return undefined;
  const tracer = request.client.client_tracer;
  if (!isJsonObject(tracer)) return undefined;
  const id = tracer.runtime_id;
  return typeof id === "string" ? id : undefined;
}
