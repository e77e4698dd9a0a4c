import type { Exchange } from "../model/exchange.js";

/** Where finished exchanges go: the recorder, on this thread or on recording threads. */
export interface ExchangeSink {
  /** Records one exchange; settles once its dump is on disk. Never rejects for a payload. */
  record(ex: Exchange): Promise<void>;
  readonly writeFailures: number;
}
