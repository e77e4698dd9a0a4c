import type { ServeConfig } from "../config.js";
import { INTERFACES, interfaceByName } from "../interfaces.js";
import { Upstream } from "../forward/upstream.js";
import { startStandInAgent, type StandInAgent } from "../forward/stand-in-agent.js";
import { ExchangeProcessor } from "../proxy/processor.js";
import type { ExchangeHooks } from "../proxy/types.js";
import { Recorder } from "../record/recorder.js";
import { Scrubber, secretsFromEnv } from "../record/scrub.js";
import { listen, stopAccepting, type Listening } from "../listeners/server.js";
import { LISTENER_KINDS, PROXY_KINDS, type ListenerContext } from "./listeners.js";
import { interceptionCertificates } from "../tls/index.js";
import { readFileSync } from "node:fs";

/** Interfaces whose listener kind st-proxy implements. */
export function availableInterfaces(): string[] {
  return INTERFACES.filter((i) => LISTENER_KINDS[i.kind]).map((i) => i.name);
}

export interface RunningProxy {
  listening: Listening[];
  recorder: Recorder;
  /** Stop accepting, let exchanges in flight finish and be recorded, release everything. */
  shutdown(): Promise<void>;
}

export interface ServeOptions {
  env?: NodeJS.ProcessEnv;
  hooks?: ExchangeHooks;
  log?: (line: string) => void;
}

export async function startServe(config: ServeConfig, options: ServeOptions = {}): Promise<RunningProxy> {
  const log = options.log ?? ((line: string) => console.log(`st-proxy: ${line}`));
  const env = options.env ?? process.env;
  const recorder = new Recorder({ logFolder: config.logFolder, scrubber: new Scrubber(secretsFromEnv(env)), flows: config.flows });
  // The CA is read (or made) before any listener starts: a bad confdir stops the start.
  const needsTls = config.listeners.some((name) => PROXY_KINDS.has(interfaceByName(name)!.kind));
  const certificates = needsTls ? await interceptionCertificates(config.confdir, log) : undefined;
  const upstreamCa = config.upstreamCa !== undefined ? [readFileSync(config.upstreamCa, "utf8")] : undefined;
  const upstream = new Upstream({ connectTimeout: config.connectTimeout, responseTimeout: config.responseTimeout, ...(upstreamCa ? { ca: upstreamCa } : {}) });

  let standIn: StandInAgent | undefined;
  let agent: { host: string; port: number };
  if (config.agentTarget === "builtin") {
    standIn = await startStandInAgent();
    agent = { host: standIn.host, port: standIn.port };
    log(`built-in stand-in agent on ${agent.host}:${agent.port}`);
  } else agent = config.agentTarget;

  let closing = false;
  const ctx = {} as ListenerContext;
  const processor = new ExchangeProcessor({
    upstream,
    recorder,
    decide: (incoming) => {
      const kind = LISTENER_KINDS[interfaceByName(incoming.interface)!.kind]!;
      return kind.decide(incoming, ctx);
    },
    hooks: options.hooks ?? {},
    editable: (iface) => interfaceByName(iface)?.fromTracer ?? false,
    log,
  });
  Object.assign(ctx, { config, processor, agent, isClosing: () => closing, log, ...(certificates ? { certificates } : {}) } satisfies ListenerContext);

  const listening: Listening[] = [];
  try {
    for (const name of config.listeners) {
      const spec = interfaceByName(name)!;
      const kind = LISTENER_KINDS[spec.kind]!;
      const l = await listen(name, kind.create(spec, ctx), config.listenHost, config.ports[name]);
      listening.push(l);
      log(`${name} listening on ${formatAddress(l.host, l.port)}`);
    }
  } catch (error) {
    await Promise.all(listening.map((l) => stopAccepting(l.server)));
    await standIn?.close();
    await upstream.close();
    throw error;
  }

  return {
    listening,
    recorder,
    async shutdown() {
      closing = true;
      await Promise.all([...listening.map((l) => stopAccepting(l.server)), processor.idle()]);
      await upstream.close();
      await standIn?.close();
    },
  };
}

function formatAddress(host: string, port: number): string {
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
}
