/**
 * The interfaces (one per listener) and what each one is. The port a request arrives on says
 * where it came from; everything else about an interface is looked up here, not re-derived.
 */
export type ListenerKind =
  /** Tracer → agent traffic, reverse-proxied to the agent target. */
  | "tracer"
  /** OTLP from an OpenTelemetry app, reverse-proxied by the dd-otlp-path header. */
  | "otlp"
  /** Collector → backend. */
  | "collector"
  /** HTTP proxy (CONNECT with TLS interception, absolute-form requests) towards the backend. */
  | "backend"
  /** DogStatsD datagrams, forwarded as they are. */
  | "udp"
  /** The mock API. */
  | "commands";

export interface InterfaceSpec {
  name: string;
  port: number;
  kind: ListenerKind;
  /** True where the traffic comes from a Datadog tracer (tracer mocks and decoders apply). */
  fromTracer: boolean;
}

export const INTERFACES: readonly InterfaceSpec[] = [
  { name: "library", port: 8126, kind: "tracer", fromTracer: true },
  { name: "python_buddy", port: 9001, kind: "tracer", fromTracer: true },
  { name: "nodejs_buddy", port: 9002, kind: "tracer", fromTracer: true },
  { name: "java_buddy", port: 9003, kind: "tracer", fromTracer: true },
  { name: "ruby_buddy", port: 9004, kind: "tracer", fromTracer: true },
  { name: "golang_buddy", port: 9005, kind: "tracer", fromTracer: true },
  { name: "open_telemetry", port: 8127, kind: "otlp", fromTracer: false },
  { name: "otel_collector", port: 8128, kind: "collector", fromTracer: false },
  { name: "agent", port: 8200, kind: "backend", fromTracer: false },
  { name: "datadog_sidecar", port: 8201, kind: "backend", fromTracer: false },
  { name: "datadog_direct", port: 8202, kind: "backend", fromTracer: false },
  { name: "dogstatsd", port: 8125, kind: "udp", fromTracer: false },
  { name: "commands", port: 11111, kind: "commands", fromTracer: false },
];

export function interfaceByName(name: string): InterfaceSpec | undefined {
  return INTERFACES.find((i) => i.name === name);
}

/** Interfaces whose payloads come from a Datadog tracer (as the reference decides it). */
export const TRACER_INTERFACES: ReadonlySet<string> = new Set(INTERFACES.filter((i) => i.fromTracer).map((i) => i.name));
