import type { Server } from "node:http";
import type { ServeConfig } from "../config.js";
import type { InterfaceSpec, ListenerKind } from "../interfaces.js";
import type { ExchangeProcessor } from "../proxy/processor.js";
import type { Decision, Destination, Incoming } from "../proxy/types.js";
import { createReverseListener } from "../listeners/reverse.js";
import { createConnectListener } from "../listeners/connect.js";
import type { LeafCertificates } from "../tls/leaf-certificates.js";
import { mockedBackendAnswer, mockedCollectorAnswer } from "./mocked-backend.js";

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
}

/** One listener kind: how its requests are decided, and how its server is made. */
export interface ListenerKindSpec {
  decide: (incoming: Incoming, ctx: ListenerContext) => Decision;
  create: (spec: InterfaceSpec, ctx: ListenerContext) => Server;
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
};

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
