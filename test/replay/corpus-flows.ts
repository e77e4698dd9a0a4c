// A recording made of the corpus's library cases: flows/library/<counter>_<path>.flow.json, in
// case order, as `serve` would have laid them out. Built in a temporary folder at test time.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CORPUS_CASES } from "../helpers/shared.js";

export interface CorpusFlow {
  case: string;
  file: string;
  method: string;
  path: string;
  requestBody: Buffer;
  response: { status_code: number; headers: [string, string][]; body_b64: string } | null;
  killed: boolean;
}

export function writeCorpusRecording(flowsDir: string, keep: (flow: CorpusFlow) => boolean = () => true): CorpusFlow[] {
  const dir = join(flowsDir, "library");
  mkdirSync(dir, { recursive: true });
  const out: CorpusFlow[] = [];
  for (const name of readdirSync(CORPUS_CASES).filter((n) => n.endsWith(".flow.json")).sort()) {
    const text = readFileSync(join(CORPUS_CASES, name), "utf8");
    const record = JSON.parse(text);
    if (record.interface !== "library") continue;
    const flow: CorpusFlow = {
      case: name.replace(/\.flow\.json$/, ""),
      file: "",
      method: record.method,
      path: record.path,
      requestBody: Buffer.from(record.request.body_b64 ?? "", "base64"),
      response: record.response,
      killed: record.killed === true,
    };
    if (!keep(flow)) continue;
    const path = String(record.path).split("?")[0].replace(/\//g, "_");
    flow.file = join(dir, `${String(out.length).padStart(5, "0")}_${path}.flow.json`);
    writeFileSync(flow.file, text);
    out.push(flow);
  }
  return out;
}
