/**
 * Protobuf payloads of the agent / Lambda extension and of OTLP, rendered as the reference's
 * google.protobuf.json_format.MessageToDict does. Pure functions: bytes in, JSON out; they
 * throw on bytes that are not the message.
 */
import type { Json } from "../../json/value.js";

const todo = (what: string): never => {
  throw new Error(`${what}: decoder not implemented yet`);
};

/** datadog.trace.AgentPayload on /api/v0.2/traces (span meta expanded, v1 chunks uncompressed). */
export function decodeAgentPayload(_body: Buffer, _iface: string): Json {
  return todo("AgentPayload");
}
/** datadog.agentpayload.MetricPayload on /api/v2/series (request side). */
export function decodeMetricPayload(_body: Buffer): Json {
  return todo("MetricPayload");
}
/** Metrics v3 on /api/intake/metrics/v3/series (request side). */
export function decodeMetricsV3(_body: Buffer): Json {
  return todo("metrics v3");
}
/** The backend's protobuf answer on /api/v2/series and /api/intake/metrics/v3/series. */
export function decodeBackendResponse(_body: Buffer): Json {
  return todo("backend response");
}
/** datadog.agentpayload.SketchPayload on /api/beta/sketches. */
export function decodeSketchPayload(_body: Buffer): Json {
  return todo("SketchPayload");
}

export type OtlpSignal = "traces" | "metrics" | "logs";
/** OTLP Export<Signal>ServiceRequest in protobuf (traces: attributes flattened). */
export function decodeOtlpRequest(_signal: OtlpSignal, _body: Buffer): Json {
  return todo("OTLP request");
}
/** OTLP Export<Signal>ServiceResponse in protobuf. */
export function decodeOtlpResponse(_signal: OtlpSignal, _body: Buffer): Json {
  return todo("OTLP response");
}
/** The reference's flattening of OTLP traces (applied to both protobuf and JSON payloads). */
export function flattenOtlpTraces(value: Json): Json {
  return value;
}
