import type { ServeConfig } from "../config.js";
import { INTERFACES, interfaceByName } from "../interfaces.js";
import { Upstream } from "../forward/upstream.js";
import { startStandInAgent, type StandInAgent } from "../forward/stand-in-agent.js";
import { ExchangeProcessor } from "../proxy/processor.js";
import type { ExchangeHooks } from "../proxy/types.js";
import { Recorder } from "../record/recorder.js";
import { InFlightBodies } from "../proxy/in-flight.js";
import { Scrubber, secretsFromEnv } from "../record/scrub.js";
import { listen, stopAccepting } from "../listeners/server.js";
import { LISTENER_KINDS, PROXY_KINDS, type ListenerContext, type StartedListener } from "./listeners.js";
import { MockStore } from "../mocks/store.js";
import { readInternalMocks } from "../mocks/internal-files.js";
import { mockHooks } from "../mocks/hooks.js";
import { readFileSync } from "node:fs";
import { bracketHost } from "../net/host.js";

/** Interfaces whose listener kind st-proxy implements. */
export function availableInterfaces(): string[] {
  return INTERFACES.filter((i) => LISTENER_KINDS[i.kind]).map((i) => i.name);
}

export interface RunningProxy {
  listening: StartedListener[];
  recorder: Recorder;
  /** The mocks in force (internal lists from the mocks folder, runtime lists from the mock API). */
  mocks: MockStore;
  /** Stop accepting, let exchanges in flight finish and be recorded, release everything. */
  shutdown(): Promise<void>;
}

export interface ServeOptions {
  env?: NodeJS.ProcessEnv;
  /** Replaces the hooks made from the mocks (tests of the processor). */
  hooks?: ExchangeHooks;
  log?: (line: string) => void;
}

export async function startServe(config: ServeConfig, options: ServeOptions = {}): Promise<RunningProxy> {
  const log = options.log ?? ((line: string) => console.log(`st-proxy: ${line}`));
  const env = options.env ?? process.env;
  // Everything that can fail on its own comes first, before any thread or listener starts: a
  // bad mocks file, CA folder or CA file stops the start at once, with nothing left running.
  const mocks = new MockStore(await readInternalMocks(config.mocksFolder), log);
  const needsTls = config.listeners.some((name) => PROXY_KINDS.has(interfaceByName(name)!.kind));
  // The certificate code (an X.509 library, ~9 MB resident with ws) is loaded only when a listener intercepts TLS.
  const certificates = needsTls ? await (await import("../tls/index.js")).interceptionCertificates(config.confdir, log) : undefined;
  const upstreamCa = config.upstreamCa !== undefined ? [readUpstreamCa(config.upstreamCa)] : undefined;

  const secrets = secretsFromEnv(env);
  const recorder = new Recorder({
    logFolder: config.logFolder,
    scrubber: new Scrubber(secrets),
    secrets,
    flows: config.flows,
    maxBodySize: config.maxBodySize,
    threads: config.recordThreads,
  });
  const upstream = new Upstream({ connectTimeout: config.connectTimeout, responseTimeout: config.responseTimeout, ...(upstreamCa ? { ca: upstreamCa } : {}) });
  let standIn: StandInAgent | undefined;
  const release = async () => {
    await standIn?.close();
    await upstream.close();
    await recorder.close();
  };

  let agent: { host: string; port: number };
  try {
    if (config.agentTarget === "builtin") {
      standIn = await startStandInAgent();
      agent = { host: standIn.host, port: standIn.port };
      log(`built-in stand-in agent on ${agent.host}:${agent.port}`);
    } else agent = config.agentTarget;
  } catch (error) {
    await release();
    throw error;
  }

  let closing = false;
  const ctx = {} as ListenerContext;
  const processor = new ExchangeProcessor({
    upstream,
    recorder,
    decide: (incoming) => {
      const kind = LISTENER_KINDS[interfaceByName(incoming.interface)!.kind]!;
      if (!kind.decide) throw new Error(`${incoming.interface}: this listener kind has no exchanges to decide`);
      return kind.decide(incoming, ctx);
    },
    hooks: options.hooks ?? mockHooks(mocks),
    editable: (iface) => interfaceByName(iface)?.fromTracer ?? false,
    log,
    inFlight: new InFlightBodies(config.bufferLimit),
  });
  Object.assign(ctx, { config, processor, agent, isClosing: () => closing, log, mocks, ...(certificates ? { certificates } : {}) } satisfies ListenerContext);

  const listening: StartedListener[] = [];
  try {
    for (const name of config.listeners) {
      const spec = interfaceByName(name)!;
      const kind = LISTENER_KINDS[spec.kind]!;
      let l: StartedListener;
      if (kind.start) l = await kind.start(spec, ctx, config.listenHost, config.ports[name]);
      else if (kind.create) {
        const http = await listen(name, kind.create(spec, ctx), config.listenHost, config.ports[name]);
        l = { name, host: http.host, port: http.port, stop: () => stopAccepting(http.server) };
      } else throw new Error(`${name}: its listener kind ${spec.kind} can neither create nor start a listener`);
      listening.push(l);
      log(`${name} listening on ${formatAddress(kind.start ? "udp" : "http", l.host, l.port)}`);
    }
  } catch (error) {
    await Promise.all(listening.map((l) => l.stop()));
    await release();
    throw error;
  }

  return {
    listening,
    recorder,
    mocks,
    async shutdown() {
      closing = true;
      // Listeners first (they resolve once their last connection is gone), then what they started.
      await Promise.all(listening.map((l) => l.stop()));
      await processor.idle();
      await release();
    },
  };
}

function formatAddress(scheme: string, host: string, port: number): string {
  return `${scheme}://${bracketHost(host)}:${port}`;
}

function readUpstreamCa(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new Error(`--upstream-ca ${file}: ${(error as Error).message}`);
  }
}
