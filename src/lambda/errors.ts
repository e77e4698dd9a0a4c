/**
 * Why an invocation produced no usable response. Every kind becomes a 502 carrying the reason,
 * as the gateways answer 502 when the function fails or its result does not fit the format.
 */
export type GatewayErrorKind = "rie-unreachable" | "rie-error" | "function-error" | "malformed-result";

export class GatewayError extends Error {
  constructor(
    readonly kind: GatewayErrorKind,
    message: string,
  ) {
    super(message);
  }
}

/** A result that does not fit the event type's response format. */
export function malformed(reason: string): GatewayError {
  return new GatewayError("malformed-result", `malformed result: ${reason}`);
}

/** At most `max` characters of a text, for error messages. */
export function excerpt(text: string, max = 200): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`;
}
