/**
 * Which JSON Schema checks the decoded content of which message: the one table of it. A
 * schema's id is its path under schemas/ (e.g. /content/telemetry.request.schema.json).
 */
export interface ContentRoute {
  /** The dump's path (query aside). */
  path: string;
  side: "request" | "response";
  /** Only answers with this status (an error answer is not the documented payload). */
  status?: number;
  schema: string;
}

export const CONTENT_ROUTES: readonly ContentRoute[] = [
  { path: "/v0.4/traces", side: "request", schema: "/content/traces-v04.request.schema.json" },
  { path: "/v0.4/traces", side: "response", status: 200, schema: "/content/traces.response.schema.json" },
  { path: "/v0.5/traces", side: "request", schema: "/content/traces-v05.request.schema.json" },
  { path: "/v0.5/traces", side: "response", status: 200, schema: "/content/traces.response.schema.json" },
  { path: "/telemetry/proxy/api/v2/apmtelemetry", side: "request", schema: "/content/telemetry.request.schema.json" },
  { path: "/api/v2/apmtelemetry", side: "request", schema: "/content/telemetry.request.schema.json" },
  { path: "/v0.7/config", side: "request", schema: "/content/remote-config.request.schema.json" },
  { path: "/v0.7/config", side: "response", status: 200, schema: "/content/remote-config.response.schema.json" },
  { path: "/api/v0.2/traces", side: "request", schema: "/content/agent-payload.request.schema.json" },
  { path: "/info", side: "response", status: 200, schema: "/content/info.response.schema.json" },
];

export function contentRoutesFor(path: string, side: "request" | "response", status?: number): ContentRoute[] {
  return CONTENT_ROUTES.filter((r) => r.path === path && r.side === side && (r.status === undefined || r.status === status));
}
