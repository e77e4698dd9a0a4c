import { LayoutCompiler, type MessageLayout } from "./layout.js";
import { loadSchemas } from "./schemas.js";

// Parsed and compiled once, on first use (a proxy that only ever sees msgpack never pays the
// schemas' memory), then reused by every request.
let root: ReturnType<typeof loadSchemas> | undefined;
const compiler = new LayoutCompiler();
const compiled = new Map<string, MessageLayout>();

/** The layout of a message type of the project's schemas, by full name. */
export function layoutFor(fullName: string): MessageLayout {
  let layout = compiled.get(fullName);
  if (!layout) {
    root ??= loadSchemas();
    compiled.set(fullName, (layout = compiler.layoutOf(root.lookupType(fullName))));
  }
  return layout;
}

/** The messages the reference decodes, named as its deserializer names them. */
export const MESSAGES = {
  get agentPayload() {
    return layoutFor("datadog.trace.AgentPayload");
  },
  get metricPayload() {
    return layoutFor("datadog.agentpayload.MetricPayload");
  },
  get sketchPayload() {
    return layoutFor("datadog.agentpayload.SketchPayload");
  },
  get backendResponse() {
    return layoutFor("datadoghq.api.series.v2.Response");
  },
  get metricsV3Payload() {
    return layoutFor("datadog.dogstatsdhttp.Payload");
  },
  otlp: {
    traces: {
      get request() {
        return layoutFor("opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest");
      },
      get response() {
        return layoutFor("opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse");
      },
    },
    metrics: {
      get request() {
        return layoutFor("opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest");
      },
      get response() {
        return layoutFor("opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse");
      },
    },
    logs: {
      get request() {
        return layoutFor("opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest");
      },
      get response() {
        return layoutFor("opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse");
      },
    },
  },
};
