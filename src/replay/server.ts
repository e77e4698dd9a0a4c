import { createReverseListener } from "../listeners/reverse.js";
import { listen, stopAccepting, type Listening } from "../listeners/server.js";
import { ExchangeProcessor } from "../proxy/processor.js";
import { textAnswer, type Decision, type Incoming } from "../proxy/types.js";
import type { Exchange } from "../model/exchange.js";
import { Recorder } from "../record/recorder.js";
import type { Scrubber } from "../record/scrub.js";
import { RecordedResponses } from "./matcher.js";
import { bracketHost } from "../net/host.js";

export interface ReplayServerOptions {
  interface: string;
  exchanges: Exchange[];
  listenHost: string;
  port: number;
  /** Where the replayed exchanges are recorded, as `serve` records live ones. */
  logFolder: string;
  flows: boolean;
  scrubber: Scrubber;
  log: (line: string) => void;
}

export interface ReplayServer {
  listening: Listening;
  recorder: Recorder;
  shutdown(): Promise<void>;
}

/**
 * `replay serve`: a listener that answers every request with the recorded response of the
 * best-matching recorded request (see RecordedResponses), or 404 with the reason, and records
 * each exchange like `serve` does: a tracer runs offline against a recorded agent.
 */
export async function startReplayServer(options: ReplayServerOptions): Promise<ReplayServer> {
  const recorder = new Recorder({ logFolder: options.logFolder, scrubber: options.scrubber, flows: options.flows });
  const book = new RecordedResponses(options.exchanges);
  // Where unmatched requests are shown to have gone: this server (its port known once listening).
  const self = { host: options.listenHost, port: options.port };

  const decide = (incoming: Incoming): Decision => {
    const found = book.match(incoming.method, incoming.target, incoming.body);
    if (!found.matched) return { kind: "answer", answer: textAnswer(404, found.reason + "\n"), host: self.host, port: self.port, error: found.reason };
    const { exchange } = found;
    const response = exchange.response!;
    return { kind: "answer", answer: { statusCode: response.statusCode, headers: response.headers, body: response.body }, host: exchange.host, port: exchange.port };
  };
  const processor = new ExchangeProcessor({ recorder, decide, hooks: {}, editable: () => false, log: options.log });

  let closing = false;
  const server = createReverseListener(options.interface, processor, self, () => closing);
  const listening: Listening = await listen(options.interface, server, options.listenHost, options.port);
  Object.assign(self, { host: listening.host, port: listening.port });
  options.log(`${options.interface} listening on http://${bracketHost(listening.host)}:${listening.port}`);

  return {
    listening,
    recorder,
    async shutdown() {
      closing = true;
      await stopAccepting(server);
      await processor.idle();
    },
  };
}
