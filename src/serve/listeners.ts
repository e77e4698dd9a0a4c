import type { Server } from "node:http";
import type { ServeConfig } from "../config.js";
import type { InterfaceSpec, ListenerKind } from "../interfaces.js";
import type { ExchangeProcessor } from "../proxy/processor.js";
import type { Decision, Destination, Incoming } from "../proxy/types.js";
import { createReverseListener } from "../listeners/reverse.js";
import { createConnectListener } from "../listeners/connect.js";
import type { LeafCertificates } from "../tls/leaf-certificates.js";
import { mockedBackendAnswer, mockedCollectorAnswer } from "./mocked-backend.js";
import { textAnswer } from "../proxy/types.js";
import { headerValue } from "../model/headers.js";
import { createCommandsListener } from "../listeners/commands.js";
import { startUdpForwarder } from "../listeners/udp.js";
import type { MockStore } from "../mocks/store.js";
import { putMocks } from "../mocks/api.js";
import { OTLP_ROUTE_HEADER, otlpRoutes } from "./otlp-routes.js";
import { unbracketHost } from "../net/host.js";
import { liveView } from "../view/live.js";

/** What a listener kind needs from the running proxy. */
export interface ListenerContext {
  config: ServeConfig;
  processor: ExchangeProcessor;
  /** The tracer traffic's destination (the configured agent, or the built-in stand-in). */
  agent: { host: string; port: number };
  isClosing: () => boolean;
  /** TLS identities for intercepted hosts; present when a proxy listener (backend, collector) runs. */
  certificates?: LeafCertificates;
  log: (line: string) => void;
  /** The mocks in force (the commands listener replaces the runtime lists). */
  mocks: MockStore;
}

/** A started listener, whatever its transport. */
export interface StartedListener {
  name: string;
  host: string;
  port: number;
  /** Stop accepting; what is in flight goes on. */
  stop(): Promise<void>;
}

/** One listener kind: how its requests are decided, and how its server is made. */
export interface ListenerKindSpec {
  /** For kinds whose requests are exchanges of the processor. */
  decide?: (incoming: Incoming, ctx: ListenerContext) => Decision;
  /** An HTTP listener's server (st-proxy listens with it). */
  create?: (spec: InterfaceSpec, ctx: ListenerContext) => Server;
  /** A listener on another transport (UDP) starts itself. */
  start?: (spec: InterfaceSpec, ctx: ListenerContext, host: string, port: number) => Promise<StartedListener>;
}

/**
 * The listener kinds st-proxy serves so far. The interface's behaviour (forward where, which
 * mocks, which decoders) is looked up here by its kind, never re-derived from port numbers.
 */
export const LISTENER_KINDS: Partial<Record<ListenerKind, ListenerKindSpec>> = {
  tracer: {
    decide: (_incoming, ctx) => ({ kind: "forward", to: { scheme: "http", host: ctx.agent.host, port: ctx.agent.port } }),
    create: (spec, ctx) => createReverseListener(spec.name, ctx.processor, ctx.agent, ctx.isClosing),
  },
  // Agent / Lambda extension / sidecar → backend: forwarded to the CONNECT target, or answered
  // here when the backend is mocked (backend mocks first, through hooks.answerLocally).
  backend: {
    decide: (incoming, ctx) => {
      const to = proxyDestination(incoming);
      return ctx.config.mockedBackend ? { kind: "local", to, otherwise: mockedBackendAnswer(incoming.target) } : { kind: "forward", to };
    },
    create: (spec, ctx) => createProxyListener(spec, ctx),
  },
  // Collector → backend: the same proxy; mocked, it accepts everything (no backend mocks).
  collector: {
    decide: (incoming, ctx) => {
      const to = proxyDestination(incoming);
      return ctx.config.mockedBackend ? { kind: "answer", answer: mockedCollectorAnswer(), host: to.host, port: to.port } : { kind: "forward", to };
    },
    create: (spec, ctx) => createProxyListener(spec, ctx),
  },
  // OpenTelemetry weblog → OTLP receiver, routed by its dd-otlp-path header; the intake routes
  // are backend traffic (answered here when the backend is mocked, backend mocks first).
  otlp: {
    decide: (incoming, ctx) => {
      const name = headerValue(incoming.headers, OTLP_ROUTE_HEADER);
      const routes = otlpRoutes(ctx.config);
      const route = name !== undefined && Object.hasOwn(routes, name) ? routes[name] : undefined;
      if (!route) {
        const why = `st-proxy: ${name === undefined ? "missing" : `unknown`} ${OTLP_ROUTE_HEADER} header${name === undefined ? "" : ` ${JSON.stringify(name)}`} (known: ${Object.keys(routes).join(", ")})`;
        return { kind: "answer", answer: textAnswer(400, why + "\n"), ...hostOf(incoming), error: why };
      }
      if (route.towardsBackend && ctx.config.mockedBackend) return { kind: "local", to: route.to, otherwise: mockedBackendAnswer(incoming.target) };
      return { kind: "forward", to: route.to };
    },
    create: (spec, ctx) => createReverseListener(spec.name, ctx.processor, ctx.config.otlpAgent, ctx.isClosing),
  },
  // DogStatsD datagrams, forwarded as they are (nothing recorded).
  udp: {
    start: async (spec, ctx, host, port) => {
      const forwarder = await startUdpForwarder(spec.name, host, port, ctx.config.dogstatsdTarget, ctx.log);
      return { name: spec.name, host: forwarder.host, port: forwarder.port, stop: () => forwarder.close() };
    },
  },
  // The mock API: the test runner replaces the runtime mock lists (nothing recorded).
  commands: {
    create: (_spec, ctx) =>
      createCommandsListener(
        {
          "/mocked_tracer_responses": (body) => putMocks(ctx.mocks, "tracer", body),
          "/mocked_backend_responses": (body) => putMocks(ctx.mocks, "backend", body),
        },
        ctx.log,
        liveView(ctx.config.logFolder),
      ),
  },
};

/** Where a request that is answered without a route went, for its dump: its Host header. */
function hostOf(incoming: Incoming): { host: string; port: number } {
  const value = headerValue(incoming.headers, "host") ?? "";
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(value);
  return { host: unbracketHost(m?.[1] ?? value), port: m?.[2] ? Number(m[2]) : 80 };
}

/** Kinds whose listener is an HTTP proxy terminating TLS: they need the CA. */
export const PROXY_KINDS: ReadonlySet<ListenerKind> = new Set(["backend", "collector"]);

function createProxyListener(spec: InterfaceSpec, ctx: ListenerContext): Server {
  if (!ctx.certificates) throw new Error(`${spec.name}: no CA loaded for TLS interception`);
  return createConnectListener({ iface: spec.name, processor: ctx.processor, certificates: ctx.certificates, isClosing: ctx.isClosing, log: ctx.log });
}

/** A proxy listener always says where its requests go. */
function proxyDestination(incoming: Incoming): Destination {
  if (!incoming.destination) throw new Error(`${incoming.interface}: proxied request without a destination`);
  return incoming.destination;
}
