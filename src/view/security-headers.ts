import type { OutgoingHttpHeaders } from "node:http";

/**
 * Headers on everything the view serves. Everything shown comes from traffic under test, which
 * may be hostile on purpose: no inline script or style, nothing loaded from elsewhere, no
 * framing, no MIME sniffing (a dump served as JSON stays JSON).
 */
export const SECURITY_HEADERS: OutgoingHttpHeaders = {
  "Content-Security-Policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Cross-Origin-Resource-Policy": "same-origin",
  "X-Frame-Options": "DENY",
};
