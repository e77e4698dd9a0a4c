/**
 * Invokes the function through the Runtime Interface Emulator's invoke API
 * (POST /2015-03-31/functions/NAME/invocations, the event as JSON body, the result as answer),
 * one invocation at a time: concurrent callers wait their turn instead of failing.
 */
import { Client, errors as undiciErrors } from "undici";
import { excerpt, GatewayError } from "./errors.js";
import { SerialQueue } from "./serial-queue.js";
import { bracketHost } from "../net/host.js";

export interface InvokerOptions {
  host: string;
  port: number;
  functionName: string;
  /** Longest wait for one invocation's answer (queueing not counted). */
  timeoutMs: number;
}

export function invokeUrl(options: Pick<InvokerOptions, "host" | "port" | "functionName">): string {
  const host = bracketHost(options.host);
  return `http://${host}:${options.port}/2015-03-31/functions/${encodeURIComponent(options.functionName)}/invocations`;
}

export interface Invocation {
  payload: string;
  functionFailed: boolean;
}

function describe(error: unknown, timeoutMs: number): string {
  const timedOut = error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError;
  if (timedOut) return `no answer within ${timeoutMs} ms`;
  const e = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const cause = e.cause?.message && e.cause.message !== e.message ? ` (${e.cause.message})` : "";
  return `${e.code ?? e.cause?.code ?? "error"}: ${e.message ?? String(error)}${cause}`;
}

export class RieInvoker {
  readonly url: string;
  private readonly client: Client;
  private readonly path: string;
  private readonly queue = new SerialQueue();

  constructor(private readonly options: InvokerOptions) {
    this.url = invokeUrl(options);
    const url = new URL(this.url);
    this.path = url.pathname;
    // One connection is all a one-at-a-time RIE needs (undici would queue on it too; the explicit
    // queue keeps the guarantee whatever the transport does); keep-alive spares a connect per call.
    // headersTimeout bounds the wait for the function's answer.
    this.client = new Client(url.origin, { headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs, pipelining: 1 });
  }

  /** Invocations queued or running. */
  get pending(): number {
    return this.queue.size;
  }

  /**
   * The function's answer: its result payload, and whether the RIE reported the function itself
   * failed. A GatewayError when the RIE cannot be reached, does not answer in time, or refuses.
   */
  invoke(event: object): Promise<Invocation> {
    const body = JSON.stringify(event);
    return this.queue.run(() => this.send(body));
  }

  private async send(body: string): Promise<Invocation> {
    let status: number;
    let payload: string;
    try {
      const response = await this.client.request({
        method: "POST",
        path: this.path,
        headers: { "content-type": "application/json" },
        body,
      });
      status = response.statusCode;
      payload = await response.body.text();
    } catch (error) {
      throw new GatewayError("rie-unreachable", `RIE at ${this.url} unreachable: ${describe(error, this.options.timeoutMs)}`);
    }
    if (status === 200) return { payload, functionFailed: false };
    // RIE answers 502 with the runtime's error when the function's process failed.
    if (status === 502 && payload) return { payload, functionFailed: true };
    throw new GatewayError("rie-error", `RIE at ${this.url} answered ${status}: ${JSON.stringify(excerpt(payload))}`);
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
