import type { ServeConfig } from "../config.js";
import type { Destination } from "../proxy/types.js";

/** The request header by which an OpenTelemetry weblog says where its OTLP goes. */
export const OTLP_ROUTE_HEADER = "dd-otlp-path";

export interface OtlpRoute {
  to: Destination;
  /** True for the Datadog intake: answered locally when the backend is mocked. */
  towardsBackend: boolean;
}

/** The routes of the open_telemetry listener, by the value of its dd-otlp-path header. */
export function otlpRoutes(config: Pick<ServeConfig, "otlpAgent" | "otlpCollector" | "ddSite">): Readonly<Record<string, OtlpRoute>> {
  const http = (t: { host: string; port: number }): OtlpRoute => ({ to: { scheme: "http", host: t.host, port: t.port }, towardsBackend: false });
  const intake = (prefix: string): OtlpRoute => ({ to: { scheme: "https", host: `${prefix}.${config.ddSite}`, port: 443 }, towardsBackend: true });
  return {
    agent: http(config.otlpAgent),
    collector: http(config.otlpCollector),
    "intake-traces": intake("trace.agent"),
    "intake-metrics": intake("api"),
    "intake-logs": intake("http-intake.logs"),
  };
}
