import type { Server } from "node:http";
import type { ServeConfig } from "../config.js";
import type { InterfaceSpec, ListenerKind } from "../interfaces.js";
import type { ExchangeProcessor } from "../proxy/processor.js";
import type { Decision, Incoming } from "../proxy/types.js";
import { createReverseListener } from "../listeners/reverse.js";

/** What a listener kind needs from the running proxy. */
export interface ListenerContext {
  config: ServeConfig;
  processor: ExchangeProcessor;
  /** The tracer traffic's destination (the configured agent, or the built-in stand-in). */
  agent: { host: string; port: number };
  isClosing: () => boolean;
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
};
