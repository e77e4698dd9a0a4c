import type { IncomingMessage, ServerResponse } from "node:http";
import { pairsFromRaw } from "../model/headers.js";
import { nowMicros } from "../model/time.js";
import type { ExchangeProcessor } from "../proxy/processor.js";
import type { Destination, Incoming } from "../proxy/types.js";
import { writeAnswer } from "./answer.js";
import { BodyReader } from "./read-body.js";
import type { Admission } from "../proxy/in-flight.js";

export interface ExchangeTarget {
  interface: string;
  /** Request target in origin form (path and query). */
  target: string;
  destination?: Destination;
  /** Where the dump says the request went, if the body never completes. */
  fallbackHost: string;
  fallbackPort: number;
}

/**
 * Serves one HTTP request/response pair through the processor: reads the whole body, lets the
 * processor answer, writes the answer, then records. Shared by every HTTP listener.
 */
export function serveExchange(req: IncomingMessage, res: ServerResponse, processor: ExchangeProcessor, where: ExchangeTarget, isClosing: () => boolean): void {
  const endExchange = processor.begin();
  const startMicros = nowMicros();
  const reader = BodyReader.for(req);
  // Bodies held until recorded count against the in-flight limit: a request's body is read
  // only once its declared size fits (see InFlightBodies).
  let admission: Admission | undefined;
  const end = () => {
    admission?.release();
    endExchange();
  };
  const read = () => {
    req.on("data", (chunk: Buffer) => {
      // (Counted first: the reader gives the chunk's memory back.)
      admission?.use(chunk.length);
      reader.push(chunk);
    });
  };
  if (processor.inFlight) {
    req.pause();
    admission = processor.inFlight.admit(reader.declared, () => {
      read();
      req.resume();
    });
  } else read();
  const incoming = (): Incoming => ({
    interface: where.interface,
    method: req.method ?? "GET",
    target: where.target,
    headers: pairsFromRaw(req.rawHeaders),
    body: reader.body(),
    startMicros,
    ...(where.destination ? { destination: where.destination } : {}),
  });
  let settled = false;
  const abandon = (why: string) => {
    if (settled) return;
    settled = true;
    processor.recordUnanswered(incoming(), where.fallbackHost, where.fallbackPort, why).finally(end);
  };
  req.on("error", (error) => abandon(`client connection failed before the request was complete: ${error.message}`));
  req.on("aborted", () => abandon("client closed the connection before the request was complete"));
  req.on("end", () => {
    if (settled) return;
    settled = true;
    processor
      .process(incoming())
      .then(async ({ answer, finish }) => {
        admission?.use(answer.body.length);
        // Recorded before the client gets the answer, as the reference does (its response hook
        // runs first): whoever saw the answer can rely on the dump being there.
        const clientGone = res.destroyed || req.socket.destroyed;
        await finish({ clientGone });
        if (clientGone || res.destroyed) return;
        try {
          writeAnswer(res, req.method ?? "GET", answer, isClosing());
        } catch (error) {
          // Recorded already: this exchange must not be recorded twice. The client loses its answer.
          console.error(`st-proxy: ${where.interface}: could not send the answer to ${req.method} ${where.target}: ${(error as Error).message}`);
          res.destroy();
        }
      })
      .catch((error: unknown) => {
        const why = `st-proxy internal error: ${(error as Error).stack ?? error}`;
        console.error(`st-proxy: ${where.interface}: ${why}`);
        if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain" }).end(why.split("\n")[0] + "\n");
        return processor.recordUnanswered(incoming(), where.fallbackHost, where.fallbackPort, why);
      })
      .finally(end);
  });
}
