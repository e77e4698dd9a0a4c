// Makes docs/view-waterfall.png: a log folder recorded by the Recorder from exchanges built
// here (a web request trace with nested spans and an error, telemetry, a remote-config poll),
// shown by `st-proxy view` in headless Chromium. Run: npm run build && npx tsx test/view/screenshot.ts
import { spawn } from "node:child_process";
import { join } from "node:path";
import { CLI, ROOT } from "../helpers/shared.js";
import { launchChromium } from "./browser.js";
import { newLogFolder, recorderFor, span, v04Exchange } from "./recorded-folder.js";
import type { Exchange } from "../../src/model/exchange.js";

const folder = newLogFolder();
const recorder = recorderFor(folder);
const json = (path: string, body: unknown): Exchange => ({
  ...v04Exchange([]),
  method: "POST",
  path,
  request: { headers: [["Content-Type", "application/json"]], body: Buffer.from(JSON.stringify(body)) },
  response: { statusCode: 202, headers: [], body: Buffer.alloc(0) },
});
await recorder.record(json("/telemetry/proxy/api/v2/apmtelemetry", { api_version: "v2", request_type: "app-started", runtime_id: "r-1", seq_id: 1, payload: { configuration: [] } }));
await recorder.record(json("/v0.7/config", { client: { products: ["APM_TRACING", "ASM_FEATURES"], state: { root_version: 1, targets_version: 0 }, id: "c-1" }, cached_target_files: [] }));
const t = 13835058055282163712n; // above 2^63: exact in the page
const s0 = 1795706746069034240n;
const ms = 1_000_000n;
await recorder.record(
  v04Exchange([
    span({ trace: t, id: t, parent: 0n, name: "web.request", resource: "GET /users/:id", start: s0, duration: 42n * ms }),
    span({ trace: t, id: 101n, parent: t, name: "express.middleware", resource: "auth", start: s0 + 1n * ms, duration: 6n * ms, service: "weblog" }),
    span({ trace: t, id: 102n, parent: t, name: "pg.query", resource: "SELECT * FROM users WHERE id = $1", start: s0 + 8n * ms, duration: 14n * ms, service: "weblog-postgres" }),
    span({ trace: t, id: 103n, parent: t, name: "http.request", resource: "GET /profile", start: s0 + 23n * ms, duration: 17n * ms, service: "weblog" }),
    span({ trace: t, id: 104n, parent: 103n, name: "dns.lookup", resource: "profile.internal", start: s0 + 23n * ms, duration: 2n * ms, service: "weblog" }),
    span({ trace: t, id: 105n, parent: 103n, name: "tcp.connect", resource: "10.0.0.7:8080", start: s0 + 25n * ms, duration: 15n * ms, service: "weblog", error: 1 }),
  ]),
);
await recorder.close();
const view = spawn(process.execPath, [CLI, "view", folder, "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
const url = await new Promise<string>((resolve) => view.stdout!.on("data", (c: Buffer) => / at (http:\S+)/.test(String(c)) && resolve(/ at (http:\S+)/.exec(String(c))![1])));
const browser = await launchChromium({ width: 1400, height: 560 });
try {
  const page = await browser.newPage();
  await page.goto(`${url}#library/00002__v0.4_traces.json`);
  await page.locator("#detail .wf-row", { hasText: "pg.query" }).click();
  await page.locator("#detail .wf-ids").waitFor();
  await page.screenshot({ path: join(ROOT, "docs", "view-waterfall.png") });
} finally {
  await browser.dispose();
  view.kill("SIGTERM");
}
