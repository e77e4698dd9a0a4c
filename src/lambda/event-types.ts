/** The event types the lambda proxy speaks: how each builds its event and reads its result. */
import { buildAlbEvent } from "./events/alb.js";
import { buildHttpApiEvent } from "./events/apigateway-http.js";
import { buildRestEvent } from "./events/apigateway-rest.js";
import { buildFunctionUrlEvent } from "./events/function-url.js";
import type { ProxyRequest } from "./request.js";
import { convertAlbResult } from "./results/alb.js";
import { convertRestResult } from "./results/format1.js";
import { convertFormat2Result } from "./results/format2.js";
import type { HttpResponse } from "./results/http-response.js";

export interface EventType {
  name: string;
  summary: string;
  buildEvent(req: ProxyRequest): object;
  /** `result` is the parsed payload, `payload` its text as the function returned it. */
  convertResult(result: unknown, payload: string, req: ProxyRequest): HttpResponse;
}

const TYPES: EventType[] = [
  {
    name: "apigateway-rest",
    summary: "API Gateway REST API, payload format 1.0, stage Prod",
    buildEvent: buildRestEvent,
    convertResult: (result, _payload, req) => convertRestResult(result, req),
  },
  {
    name: "apigateway-http",
    summary: "API Gateway HTTP API, payload format 2.0",
    buildEvent: buildHttpApiEvent,
    convertResult: (result, payload) => convertFormat2Result(result, payload),
  },
  {
    name: "function-url",
    summary: "Lambda function URL, payload format 2.0",
    buildEvent: buildFunctionUrlEvent,
    convertResult: (result, payload) => convertFormat2Result(result, payload),
  },
  {
    name: "application-load-balancer",
    summary: "Application Load Balancer, multi-value headers off",
    buildEvent: (req) => buildAlbEvent(req, false),
    convertResult: (result) => convertAlbResult(result),
  },
  {
    name: "application-load-balancer-multi",
    summary: "Application Load Balancer, multi-value headers on",
    buildEvent: (req) => buildAlbEvent(req, true),
    convertResult: (result) => convertAlbResult(result),
  },
];

export const EVENT_TYPE_NAMES: readonly string[] = TYPES.map((t) => t.name);

/** The event type of that name; an unknown or missing name is an error that lists the allowed ones. */
export function eventTypeNamed(name: string | undefined): EventType {
  const found = TYPES.find((t) => t.name === name);
  if (found) return found;
  const allowed = EVENT_TYPE_NAMES.join(", ");
  throw new Error(
    name === undefined || name === ""
      ? `no event type given (--event-type or LAMBDA_EVENT_TYPE); allowed: ${allowed}`
      : `unknown event type ${JSON.stringify(name)}; allowed: ${allowed}`,
  );
}

export function eventTypes(): readonly EventType[] {
  return TYPES;
}
