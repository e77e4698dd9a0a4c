import type { Exchange } from "../model/exchange.js";
import type { ExchangeSink } from "../record/sink.js";
import { describeUpstreamError, type Upstream } from "../forward/upstream.js";
import { DefectError } from "../errors.js";
import { textAnswer, type Answer, type Decision, type ExchangeHooks, type Incoming } from "./types.js";
import { bracketHost } from "../net/host.js";
import type { InFlightBodies } from "./in-flight.js";

export interface ProcessorDeps {
  /** Absent for users whose decisions never forward (replay serve): a forward would be a defect. */
  upstream?: Pick<Upstream, "send">;
  recorder: ExchangeSink;
  /** What each interface does with a request (looked up, not re-derived per request). */
  decide: (incoming: Incoming) => Decision;
  hooks: ExchangeHooks;
  /** Interfaces whose answers the tracer mocks may edit. */
  editable: (iface: string) => boolean;
  log: (line: string) => void;
  /** Bodies in flight across listeners: the listener stops reading past its limit. */
  inFlight?: InFlightBodies;
}

export interface Processed {
  answer: Answer;
  /** Records the exchange; call once, before the answer goes to the client. */
  finish: (opts?: { clientGone?: boolean }) => Promise<void>;
}

/**
 * The heart of st-proxy: for one request, decide, forward or answer, let the mocks edit the
 * answer, and hand the whole exchange to the recorder. Knows nothing of sockets or formats.
 */
export class ExchangeProcessor {
  private active = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly deps: ProcessorDeps) {}

  get inFlight(): InFlightBodies | undefined {
    return this.deps.inFlight;
  }

  /** Resolves when no exchange is in flight. */
  idle(): Promise<void> {
    return this.active === 0 ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Marks one exchange begun (a listener calls it as soon as a request starts arriving). */
  begin(): () => void {
    this.active++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      if (--this.active === 0) for (const w of this.idleWaiters.splice(0)) w();
    };
  }

  async process(incoming: Incoming): Promise<Processed> {
    const { decide, hooks, upstream } = this.deps;
    const decision = decide(incoming);
    let answer: Answer | undefined;
    let host: string;
    let port: number;
    let error: string | undefined;
    if (decision.kind === "answer") {
      ({ answer, host, port, error } = decision);
    } else if (decision.kind === "local") {
      ({ host, port } = decision.to);
      answer = hooks.answerLocally?.(incoming, decision) ?? decision.otherwise;
    } else {
      ({ host, port } = decision.to);
      answer = hooks.answerLocally?.(incoming, decision);
      if (!answer) {
        const origin = `${decision.to.scheme}://${bracketHost(host)}:${port}`;
        try {
          if (!upstream) throw new DefectError("this processor has no upstream to forward to");
          answer = await upstream.send({ origin, method: incoming.method, path: incoming.target, headers: incoming.headers, body: incoming.body });
        } catch (e) {
          error = describeUpstreamError(origin, e);
          this.deps.log(`${incoming.interface}: ${incoming.method} ${incoming.target}: ${error}`);
          answer = textAnswer(502, error + "\n");
        }
        if (!error && hooks.editAnswer && this.deps.editable(incoming.interface)) answer = hooks.editAnswer(incoming, answer);
      }
    }
    const final = answer;
    return {
      answer: final,
      finish: async ({ clientGone } = {}) => {
        const why = [error, clientGone ? "client closed the connection before the answer was sent" : undefined].filter(Boolean).join("; ");
        await this.deps.recorder.record(exchangeOf(incoming, host, port, final, why));
      },
    };
  }

  /** Records a request that never got as far as an answer (client aborted mid-body, ...). */
  async recordUnanswered(incoming: Incoming, host: string, port: number, why: string): Promise<void> {
    await this.deps.recorder.record(exchangeOf(incoming, host, port, null, why));
  }
}


/** The recorded form of a request and the answer it got (null: none); `error` says what went wrong. */
function exchangeOf(incoming: Incoming, host: string, port: number, answer: Answer | null, error: string): Exchange {
  const exchange: Exchange = {
    interface: incoming.interface,
    method: incoming.method,
    path: incoming.target,
    host,
    port,
    startMicros: incoming.startMicros,
    request: { headers: incoming.headers, body: incoming.body },
    response: answer && { statusCode: answer.statusCode, headers: answer.headers, body: answer.body },
  };
  if (error) exchange.error = error;
  return exchange;
}
