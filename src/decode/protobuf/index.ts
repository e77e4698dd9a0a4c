/**
 * Protobuf payloads of the agent / Lambda extension and of OTLP, rendered as the reference's
 * google.protobuf.json_format.MessageToDict does. Pure functions: bytes in, JSON out; they
 * throw on bytes that are not the message.
 */
import type { Json, JsonObject } from "../../json/value.js";
import { deserializeSpanMeta } from "../span-meta.js";
import { uncompressIdxTracerPayloads } from "./agent-idx.js";
import { MESSAGES } from "./catalog.js";
import { messageToDict } from "./message-to-dict.js";
import { decodeMetricsV3Payload } from "./metrics-v3.js";
import { flattenOtlpTraces as flatten } from "./otlp-flatten.js";

export { DecodeError } from "./wire.js";

export interface AgentPayloadOptions {
  /**
   * expand: the reference's _deserialized_nested_json_from_trace_payloads (JSON in span meta);
   * reject: fail on a non-empty payload, as the reference does where it walks the payload as a
   * list of traces (iterating the dict's keys).
   */
  spanMeta?: "expand" | "reject";
  /** Uncompress v1 (idx) tracer payloads. */
  uncompressIdx?: boolean;
}

/** datadog.trace.AgentPayload on /api/v0.2/traces. */
export function decodeAgentPayload(body: Buffer, options: AgentPayloadOptions): Json {
  const payload = messageToDict(MESSAGES.agentPayload, body);
  if (options.spanMeta === "expand") expandSpanMeta(payload);
  else if (options.spanMeta === "reject" && Object.keys(payload).length > 0)
    throw new TypeError("'str' object has no attribute 'get' (an AgentPayload on the library interface)");
  if (options.uncompressIdx) uncompressIdxTracerPayloads(payload);
  return payload;
}

function expandSpanMeta(payload: JsonObject): void {
  for (const tracerPayload of (payload.tracerPayloads ?? []) as JsonObject[]) {
    for (const chunk of (tracerPayload.chunks ?? []) as JsonObject[]) {
      for (const span of (chunk.spans ?? []) as JsonObject[]) deserializeSpanMeta(span);
    }
  }
}

/** datadog.agentpayload.MetricPayload on /api/v2/series (request side). */
export function decodeMetricPayload(body: Buffer): Json {
  return messageToDict(MESSAGES.metricPayload, body);
}

/** Metrics v3 on /api/intake/metrics/v3/series (request side). */
export function decodeMetricsV3(body: Buffer): Json {
  return decodeMetricsV3Payload(body);
}

/** The backend's protobuf answer on /api/v2/series and /api/intake/metrics/v3/series. */
export function decodeBackendResponse(body: Buffer): Json {
  return messageToDict(MESSAGES.backendResponse, body);
}

/** datadog.agentpayload.SketchPayload on /api/beta/sketches. */
export function decodeSketchPayload(body: Buffer): Json {
  return messageToDict(MESSAGES.sketchPayload, body);
}

export type OtlpSignal = "traces" | "metrics" | "logs";

/** OTLP Export<Signal>ServiceRequest in protobuf (traces: attributes flattened). */
export function decodeOtlpRequest(signal: OtlpSignal, body: Buffer): Json {
  const request = messageToDict(MESSAGES.otlp[signal].request, body, { enumsAsIntegers: true });
  return signal === "traces" ? flatten(request) : request;
}

/** OTLP Export<Signal>ServiceResponse in protobuf. */
export function decodeOtlpResponse(signal: OtlpSignal, body: Buffer): Json {
  return messageToDict(MESSAGES.otlp[signal].response, body, { enumsAsIntegers: true });
}

/** The reference's flattening of OTLP traces (applied to both protobuf and JSON payloads). */
export function flattenOtlpTraces(value: Json): Json {
  return flatten(value);
}
