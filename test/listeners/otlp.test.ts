// The open_telemetry listener with OpenTelemetry's own JS exporters (protobuf and JSON), routed
// by dd-otlp-path to stand-in receivers (real HTTP servers), and its refusals.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { request } from "undici";
import { OTLPTraceExporter as ProtoTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { OTLPTraceExporter as JsonTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { SimpleSpanProcessor, TracerProvider, type SpanExporter } from "@opentelemetry/sdk-trace";
import { startServe } from "../helpers/serve.js";
import { readDumps } from "../helpers/dumps.js";

interface Got {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** An OTLP/HTTP receiver: keeps what it gets, answers an empty export response in the request's format. */
async function startReceiver(host = "127.0.0.1"): Promise<{ port: number; got: Got[]; close: () => Promise<void> }> {
  const got: Got[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      got.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks) });
      const json = req.headers["content-type"]?.includes("json");
      res.writeHead(200, { "Content-Type": json ? "application/json" : "application/x-protobuf" }).end(json ? "{}" : "");
    });
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  return {
    port: (server.address() as AddressInfo).port,
    got,
    close: () =>
      new Promise((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** Exports one span named `name` through the exporter, and waits until it was sent. */
async function exportOneSpan(exporter: SpanExporter, name: string): Promise<void> {
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  provider.getTracer("st-proxy-test").startSpan(name, { attributes: { "test.id": 42 } }).end();
  await provider.forceFlush();
  await provider.shutdown();
}

test("OTLP from OpenTelemetry's exporters (protobuf and JSON) reaches the receiver its dd-otlp-path names, and is dumped", async () => {
  const agentReceiver = await startReceiver();
  const collector = await startReceiver();
  const proxy = await startServe(["--otlp-agent", `127.0.0.1:${agentReceiver.port}`, "--otlp-collector", `127.0.0.1:${collector.port}`], { listeners: ["open_telemetry"] });
  const url = `http://127.0.0.1:${proxy.ports.open_telemetry}/v1/traces`;
  try {
    await exportOneSpan(new ProtoTraceExporter({ url, headers: { "dd-otlp-path": "collector" } }), "proto-span-to-collector");
    await exportOneSpan(new JsonTraceExporter({ url, headers: { "dd-otlp-path": "agent" } }), "json-span-to-agent");

    assert.equal(collector.got.length, 1);
    const proto = collector.got[0];
    assert.deepEqual([proto.method, proto.url, proto.headers["content-type"], proto.headers["dd-otlp-path"]], ["POST", "/v1/traces", "application/x-protobuf", "collector"]);
    assert.ok(proto.body.includes(Buffer.from("proto-span-to-collector")), "the span travelled in the protobuf body");

    assert.equal(agentReceiver.got.length, 1);
    const json = agentReceiver.got[0];
    assert.equal(json.headers["content-type"], "application/json");
    assert.equal(JSON.parse(json.body.toString()).resourceSpans[0].scopeSpans[0].spans[0].name, "json-span-to-agent");

    const dumps = readDumps(proxy.logFolder, "open_telemetry");
    assert.deepEqual(
      dumps.map((d) => [d.method, d.host, d.port, d.path, d.request.length, d.response.status_code]),
      [
        ["POST", "127.0.0.1", collector.port, "/v1/traces", proto.body.length, 200],
        ["POST", "127.0.0.1", agentReceiver.port, "/v1/traces", json.body.length, 200],
      ],
    );
    assert.match(dumps[0].log_filename, /interfaces\/open_telemetry\/00000__v1_traces\.json$/);
  } finally {
    await proxy.stop();
    await agentReceiver.close();
    await collector.close();
  }
});

test("a missing or unknown dd-otlp-path is answered 400 with the reason, and dumped", async () => {
  const proxy = await startServe(["--otlp-agent", "127.0.0.1:9", "--otlp-collector", "127.0.0.1:9"], { listeners: ["open_telemetry"] });
  const port = proxy.ports.open_telemetry;
  try {
    const missing = await request(`http://127.0.0.1:${port}/v1/metrics`, { method: "POST", body: "{}", headers: { "content-type": "application/json" } });
    assert.equal(missing.statusCode, 400);
    assert.match(await missing.body.text(), /^st-proxy: missing dd-otlp-path header \(known: agent, collector, intake-traces, intake-metrics, intake-logs\)\n$/);
    const unknown = await request(`http://127.0.0.1:${port}/v1/logs`, { method: "POST", body: "{}", headers: { "content-type": "application/json", "dd-otlp-path": "intake-events" } });
    assert.equal(unknown.statusCode, 400);
    assert.match(await unknown.body.text(), /unknown dd-otlp-path header "intake-events"/);

    const dumps = readDumps(proxy.logFolder, "open_telemetry");
    assert.deepEqual(
      dumps.map((d) => [d.path, d.response.status_code]),
      [
        ["/v1/metrics", 400],
        ["/v1/logs", 400],
      ],
    );
  } finally {
    await proxy.stop();
  }
});

test("with the backend mocked, OpenTelemetry's exporter is answered locally on the intake routes of DD_SITE", async () => {
  const proxy = await startServe(["--mocked-backend"], { listeners: ["open_telemetry"], env: { DD_SITE: "datadoghq.eu" } });
  const url = `http://127.0.0.1:${proxy.ports.open_telemetry}/v1/traces`;
  try {
    let result: { code: number; error?: Error } | undefined;
    const exporter = new ProtoTraceExporter({ url, headers: { "dd-otlp-path": "intake-traces" } });
    const original = exporter.export.bind(exporter);
    exporter.export = (spans, done) => original(spans, (r) => done((result = r)));
    await exportOneSpan(exporter, "span-to-mocked-intake");
    assert.equal(result?.code, 0, `the exporter reports success: ${result?.error}`);

    const [dump] = readDumps(proxy.logFolder, "open_telemetry");
    assert.deepEqual([dump.host, dump.port, dump.path, dump.response.status_code], ["trace.agent.datadoghq.eu", 443, "/v1/traces", 202]);
  } finally {
    await proxy.stop();
  }
});
