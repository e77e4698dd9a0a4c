import JSON5 from "json5";

/** What a row shows once its dump has been read. */
export interface DumpSummary {
  method?: string;
  /** The request path (the file name only hints at it: "_" stands for "/" there). */
  path?: string;
  /** The response's status; null when the exchange got no response. */
  status?: number | null;
  requestLength?: number;
  responseLength?: number;
  /** The request's timestamp_start, as written. */
  time?: string;
  /** A side has a traceback (a body that could not be decoded) or the exchange an error. */
  problem?: string;
  /** A word about the content: telemetry request_type, remote-config products. */
  note?: string;
  /** The dump file's size in bytes. */
  bytes: number;
}

/**
 * Summarizes a dump from its text. Numbers need not be exact here (none of these is an id),
 * so V8's JSON.parse does it; JSON5 only for Python's NaN / Infinity tokens.
 */
export function summarizeDump(text: string): DumpSummary {
  const bytes = Buffer.byteLength(text);
  let dump: any;
  try {
    dump = JSON.parse(text);
  } catch (error) {
    try {
      if (!/\b(NaN|Infinity)\b/.test(text)) throw error;
      dump = JSON5.parse(text);
    } catch (e) {
      return { bytes, problem: `not readable as JSON: ${(e as Error).message}` };
    }
  }
  if (typeof dump !== "object" || dump === null) return { bytes, problem: "not a dump object" };
  const request = dump.request ?? {};
  const response = dump.response ?? null;
  const problems: string[] = [];
  if (typeof dump.error === "string") problems.push(`error: ${dump.error}`);
  if (request.traceback !== undefined) problems.push("request traceback");
  if (response?.traceback !== undefined) problems.push("response traceback");
  const summary: DumpSummary = {
    bytes,
    method: typeof dump.method === "string" ? dump.method : undefined,
    path: typeof dump.path === "string" ? dump.path : undefined,
    status: response === null ? null : typeof response.status_code === "number" ? response.status_code : undefined,
    requestLength: typeof request.length === "number" ? request.length : undefined,
    responseLength: typeof response?.length === "number" ? response.length : undefined,
    time: typeof request.timestamp_start === "string" ? request.timestamp_start : undefined,
  };
  if (problems.length > 0) summary.problem = problems.join("; ");
  const note = contentNote(request.content);
  if (note) summary.note = note;
  return summary;
}

/** Telemetry's request_type (each event's, for a batch) or a remote-config poll's products. */
export function contentNote(content: unknown): string | undefined {
  if (typeof content !== "object" || content === null || Array.isArray(content)) return undefined;
  const c = content as Record<string, any>;
  if (typeof c.request_type === "string") {
    if (c.request_type === "message-batch" && Array.isArray(c.payload)) {
      const types = c.payload.map((e: any) => (typeof e?.request_type === "string" ? e.request_type : "?"));
      return `message-batch: ${types.join(", ")}`;
    }
    return c.request_type;
  }
  if (typeof c.client === "object" && c.client !== null && Array.isArray(c.client.products)) return `rc: ${c.client.products.join(", ")}`;
  return undefined;
}
