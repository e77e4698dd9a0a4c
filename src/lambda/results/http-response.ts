/** What a result converter produces: the HTTP response to send back, whatever the event type. */
import type { RawHeaders } from "../../model/headers.js";

export interface HttpResponse {
  statusCode: number;
  /** The reason phrase, when the result names one (ALB's statusDescription). */
  statusMessage?: string;
  headers: RawHeaders;
  body: Buffer;
}
