/**
 * One request through the function: build the event, invoke, read the result, and answer the
 * HTTP response — or a 502 that says why there is none.
 */
import { validateHeaderName, validateHeaderValue } from "node:http";
import type { RawHeaders } from "../model/headers.js";
import { endToEndHeaders } from "../forward/hop-by-hop.js";
import { GatewayError, excerpt } from "./errors.js";
import type { EventType } from "./event-types.js";
import type { Invocation } from "./invoker.js";
import type { ProxyRequest } from "./request.js";
import { functionError, parseResult } from "./results/fields.js";
import type { HttpResponse } from "./results/http-response.js";

export interface Invoke {
  (event: object): Promise<Invocation>;
}

function sendableHeaders(headers: RawHeaders): RawHeaders {
  // Framing and connection headers are the proxy's own business, whatever the function says.
  const kept = endToEndHeaders(headers, ["content-length"]);
  for (const [name, value] of kept) {
    try {
      validateHeaderName(name);
      validateHeaderValue(name, value);
    } catch (error) {
      throw new GatewayError("malformed-result", `malformed result: header ${JSON.stringify(name)}: ${(error as Error).message}`);
    }
  }
  return kept;
}

/** The 502 a gateway answers when the function gives no usable response, with the reason. */
export function badGateway(reason: string): HttpResponse {
  return {
    statusCode: 502,
    headers: [["Content-Type", "application/json"]],
    body: Buffer.from(JSON.stringify({ message: "Internal server error", reason })),
  };
}

/** The response for one request; a GatewayError on the way becomes a 502 (reported through `onError`). */
export async function exchange(
  request: ProxyRequest,
  eventType: EventType,
  invoke: Invoke,
  onError: (error: GatewayError) => void = () => {},
): Promise<HttpResponse> {
  try {
    const { payload, functionFailed } = await invoke(eventType.buildEvent(request));
    if (functionFailed) {
      let failure: GatewayError | null = null;
      try {
        failure = functionError(JSON.parse(payload));
      } catch {
        // not JSON: the text is the reason
      }
      throw failure ?? new GatewayError("function-error", `the function failed: ${excerpt(payload)}`);
    }
    const result = parseResult(payload);
    const failure = functionError(result);
    if (failure) throw failure;
    const response = eventType.convertResult(result, payload, request);
    return { ...response, headers: sendableHeaders(response.headers) };
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    onError(error);
    return badGateway(error.message);
  }
}
