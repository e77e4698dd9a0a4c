import { LayoutCompiler, type MessageLayout } from "./layout.js";
import { loadSchemas } from "./schemas.js";

// Parsed and compiled once, at module load: every request reuses these layouts.
const root = loadSchemas();
const compiler = new LayoutCompiler();

/** The layout of a message type of the project's schemas, by full name. */
export function layoutFor(fullName: string): MessageLayout {
  return compiler.layoutOf(root.lookupType(fullName));
}

/** The messages the reference decodes, named as its deserializer names them. */
export const MESSAGES = {
  agentPayload: layoutFor("datadog.trace.AgentPayload"),
  metricPayload: layoutFor("datadog.agentpayload.MetricPayload"),
  sketchPayload: layoutFor("datadog.agentpayload.SketchPayload"),
  backendResponse: layoutFor("datadoghq.api.series.v2.Response"),
  metricsV3Payload: layoutFor("datadog.dogstatsdhttp.Payload"),
  otlp: {
    traces: {
      request: layoutFor("opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest"),
      response: layoutFor("opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse"),
    },
    metrics: {
      request: layoutFor("opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest"),
      response: layoutFor("opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse"),
    },
    logs: {
      request: layoutFor("opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest"),
      response: layoutFor("opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse"),
    },
  },
} as const;
