// The protobuf / OTLP decoders on the corpus's agent and open_telemetry exchanges, called the
// way the reference's deserializer picks them (content type, dd-protocol header, path), each
// result compared with the reference's dump; where the reference failed to decode, so must we.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseJson } from "../../../src/json/parse.js";
import type { Json } from "../../../src/json/value.js";
import {
  decodeAgentPayload,
  decodeBackendResponse,
  decodeMetricPayload,
  decodeMetricsV3,
  decodeOtlpRequest,
  decodeOtlpResponse,
  decodeSketchPayload,
  flattenOtlpTraces,
} from "../../../src/decode/protobuf/index.js";
import { DecodeError } from "../../../src/decode/protobuf/wire.js";
import { SHARED_PRESENT } from "../../helpers/shared.js";
import { body, caseNames, differences, header, readExpected, readFlow, type Flow, type FlowSide } from "./corpus-bodies.js";

/**
 * The reference's exception, by its Python class name: a protobuf DecodeError is ours too, the
 * Python operations the OTLP flattener mimics fail with their Python name in front of the message.
 * (A bare assert.throws would also take a TypeError from a bug.)
 */
function sameKindAs(pythonError: string): (error: unknown) => true {
  return (error) => {
    assert.ok(error instanceof Error, String(error));
    if (pythonError === "DecodeError") assert.ok(error instanceof DecodeError, `expected a DecodeError, got ${error.name}: ${error.message}`);
    else assert.ok(error.message.startsWith(`${pythonError}: `), `expected Python's ${pythonError}, got ${error.name}: ${error.message}`);
    return true;
  };
}

/** The decoder the reference applies to this side, or undefined when it is not one of ours. */
function decoderFor(flow: Flow, side: "request" | "response", message: FlowSide): ((b: Buffer) => Json) | undefined {
  const path = flow.path.split("?")[0];
  const type = header(message, "content-type")?.toLowerCase();
  if (type?.includes("application/json") || type?.includes("text/json")) {
    return path === "/v1/traces" ? (b) => flattenOtlpTraces(parseJson(b.toString("utf8"))) : undefined;
  }
  if (type !== "application/x-protobuf") return undefined;
  const protocol = header(message, "dd-protocol");
  if (protocol === "otlp" && path.includes("traces")) return (b) => decodeOtlpRequest("traces", b);
  if (protocol === "otlp" && path.includes("metrics")) return (b) => decodeOtlpRequest("metrics", b);
  if (protocol === "otlp" && path.includes("logs")) return (b) => decodeOtlpRequest("logs", b);
  if (path === "/v1/traces") return (b) => decodeOtlpResponse("traces", b);
  if (path === "/v1/metrics") return (b) => decodeOtlpResponse("metrics", b);
  if (path === "/v1/logs") return (b) => decodeOtlpResponse("logs", b);
  if (path === "/api/v0.2/traces") return (b) =>
      decodeAgentPayload(b, flow.interface === "agent" ? { spanMeta: "expand", uncompressIdx: true } : flow.interface === "library" ? { spanMeta: "reject" } : {});
  if (path === "/api/v2/series" || path === "/api/intake/metrics/v3/series") {
    if (side === "response") return decodeBackendResponse;
    return path === "/api/v2/series" ? decodeMetricPayload : decodeMetricsV3;
  }
  if (path === "/api/beta/sketches") return decodeSketchPayload;
  return undefined;
}

if (!SHARED_PRESENT) {
  test("protobuf corpus cases: SKIPPED because ../shared/corpus is absent (a clone on its own)", { skip: true }, () => {});
} else {
  const names = caseNames((flow) => flow.interface === "agent" || flow.interface === "open_telemetry");
  let exercised = 0;
  for (const name of names) {
    const flow = readFlow(name);
    const expected = readExpected(name);
    for (const side of ["request", "response"] as const) {
      const message = flow[side];
      const dump = expected?.[side];
      if (!message || !dump) continue;
      const decode = decoderFor(flow, side, message);
      const bytes = body(message);
      // Empty bodies never reach a decoder (the reference returns None first).
      if (!decode || bytes.length === 0) continue;
      exercised++;
      const status = message.status_code;
      if ("traceback" in dump) {
        const pythonError = String(dump.traceback).trim().split("\n").at(-1)!.split(":")[0].split(".").at(-1)!;
        test(`${name} ${side}: fails to decode with the reference's kind of error (${pythonError})`, () => assert.throws(() => decode(bytes), sameKindAs(pythonError)));
      } else if (side === "response" && (status === 500 || status === 408 || status === 403) && typeof dump.content === "string") {
        // The reference shows repr(body) there because decoding raised.
        test(`${name} ${side}: fails to decode (the reference shows the raw body)`, () => assert.throws(() => decode(bytes), DecodeError));
      } else {
        test(`${name} ${side}: decodes as the reference`, () => {
          assert.deepEqual(differences(dump.content, decode(bytes)), []);
        });
      }
    }
  }
  test("protobuf corpus cases: the agent and OTLP cases were found", () => assert.ok(exercised >= 15, `only ${exercised} bodies`));
}
