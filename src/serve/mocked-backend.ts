import { splitTarget } from "../model/exchange.js";
import type { Answer } from "../proxy/types.js";

/**
 * What st-proxy answers in place of the Datadog backend (SYSTEM_TESTS_MOCKED_BACKEND=True) when
 * no backend mock matches, as the reference does. Headers are those mitmproxy's
 * `Response.make` sets, lower-case, so the dumps read the same.
 */
export function mockedBackendAnswer(target: string): Answer {
  const path = splitTarget(target).path;
  if (target === "/support/flare") return made(200, "Ok");
  if (path === "/api/v1/validate") return made(200, '{"valid": true}', "application/json");
  return made(202, "Ok");
}

/** The collector's backend, mocked: everything accepted. */
export function mockedCollectorAnswer(): Answer {
  return made(200, "Ok");
}

function made(statusCode: number, text: string, contentType?: string): Answer {
  const body = Buffer.from(text);
  const headers: [string, string][] = contentType ? [["content-type", contentType]] : [];
  headers.push(["content-length", String(body.length)]);
  return { statusCode, headers, body };
}
