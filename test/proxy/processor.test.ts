// ExchangeProcessor without sockets, in the spirit of mitmproxy's Playbook: an in-memory
// upstream and an in-memory recorder, each decision kind played through decide → forward or
// answer → mocks → record, and the recorded exchange checked field by field.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ExchangeProcessor, type ProcessorDeps } from "../../src/proxy/processor.js";
import { textAnswer, type Answer, type Decision, type Incoming } from "../../src/proxy/types.js";
import type { UpstreamRequest } from "../../src/forward/upstream.js";
import type { Exchange } from "../../src/model/exchange.js";

const INCOMING: Incoming = {
  interface: "library",
  method: "PUT",
  target: "/v0.4/traces?x=1",
  headers: [["Content-Type", "application/msgpack"]],
  body: Buffer.from([0x90]),
  startMicros: 1_700_000_000_000_000,
};
const AGENT_ANSWER: Answer = { statusCode: 200, headers: [["Content-Type", "application/json"]], body: Buffer.from('{"rate_by_service": {}}') };
const FORWARD: Decision = { kind: "forward", to: { scheme: "http", host: "agent", port: 8126 } };

function playbook(over: Partial<ProcessorDeps> & { reply?: (req: UpstreamRequest) => Answer } = {}) {
  const sent: UpstreamRequest[] = [];
  const recorded: Exchange[] = [];
  const logged: string[] = [];
  const reply = over.reply ?? (() => AGENT_ANSWER);
  const processor = new ExchangeProcessor({
    upstream: {
      send: async (req) => {
        sent.push(req);
        return reply(req);
      },
    },
    recorder: { record: async (ex) => void recorded.push(ex), writeFailures: 0 },
    decide: () => FORWARD,
    hooks: {},
    editable: (iface) => iface === "library",
    log: (line) => logged.push(line),
    ...over,
  });
  return { processor, sent, recorded, logged };
}

const edited = (_: Incoming, answer: Answer): Answer => ({ ...answer, body: Buffer.from("edited") });

test("forward: the request goes upstream as received, the answer comes back and is recorded", async () => {
  const { processor, sent, recorded } = playbook();
  const { answer, finish } = await processor.process(INCOMING);
  assert.deepEqual(sent, [{ origin: "http://agent:8126", method: "PUT", path: "/v0.4/traces?x=1", headers: INCOMING.headers, body: INCOMING.body }]);
  assert.equal(answer, AGENT_ANSWER);
  assert.deepEqual(recorded, [], "nothing is recorded before finish");
  await finish();
  assert.deepEqual(recorded, [
    {
      interface: "library",
      method: "PUT",
      path: "/v0.4/traces?x=1",
      host: "agent",
      port: 8126,
      startMicros: INCOMING.startMicros,
      request: { headers: INCOMING.headers, body: INCOMING.body },
      response: { statusCode: 200, headers: AGENT_ANSWER.headers, body: AGENT_ANSWER.body },
    },
  ]);
});

test("forward to an IPv6 host: the origin brackets it", async () => {
  const { processor, sent } = playbook({ decide: () => ({ kind: "forward", to: { scheme: "https", host: "::1", port: 443 } }) });
  await processor.process(INCOMING);
  assert.equal(sent[0].origin, "https://[::1]:443");
});

test("answer: nothing goes upstream; the dump shows the decision's host, port and error", async () => {
  const own = textAnswer(404, "no match\n");
  const { processor, sent, recorded } = playbook({ decide: () => ({ kind: "answer", answer: own, host: "replay", port: 9, error: "no match" }), hooks: { editAnswer: edited } });
  const { answer, finish } = await processor.process(INCOMING);
  await finish();
  assert.equal(answer, own, "st-proxy's own answer is never edited");
  assert.deepEqual(sent, []);
  assert.deepEqual([recorded[0].host, recorded[0].port, recorded[0].error, recorded[0].response?.statusCode], ["replay", 9, "no match", 404]);
});

test("local (mocked backend): a mock answers, else the decision's answer; nothing goes upstream", async () => {
  const otherwise = textAnswer(202, "{}");
  const mock = textAnswer(200, "mocked");
  const local: Decision = { kind: "local", to: { scheme: "https", host: "intake", port: 443 }, otherwise };
  for (const [hook, expected] of [[mock, mock], [undefined, otherwise]] as const) {
    const seen: Decision[] = [];
    const { processor, sent, recorded } = playbook({ decide: () => local, hooks: { answerLocally: (_, d) => (seen.push(d), hook) } });
    const { answer, finish } = await processor.process(INCOMING);
    await finish();
    assert.equal(answer, expected);
    assert.deepEqual(seen, [local], "the hook is told the decision");
    assert.deepEqual(sent, []);
    assert.deepEqual([recorded[0].host, recorded[0].port, recorded[0].error], ["intake", 443, undefined]);
  }
});

test("forward with a mock answering locally: the upstream is not asked, the mock is not edited", async () => {
  const mock = textAnswer(200, "mocked");
  const { processor, sent } = playbook({ hooks: { answerLocally: () => mock, editAnswer: edited } });
  assert.equal((await processor.process(INCOMING)).answer, mock);
  assert.deepEqual(sent, []);
});

test("editAnswer applies to the upstream's answer on editable interfaces only", async () => {
  const onLibrary = await playbook({ hooks: { editAnswer: edited } }).processor.process(INCOMING);
  assert.equal(onLibrary.answer.body.toString(), "edited");
  const onAgent = await playbook({ hooks: { editAnswer: edited } }).processor.process({ ...INCOMING, interface: "agent" });
  assert.equal(onAgent.answer, AGENT_ANSWER);
});

test("upstream failure: a 502 saying why, logged and recorded, never edited", async () => {
  const { processor, recorded, logged } = playbook({
    reply: () => {
      throw Object.assign(new Error("connect ECONNREFUSED 10.0.0.1:8126"), { code: "ECONNREFUSED" });
    },
    hooks: { editAnswer: edited },
  });
  const { answer, finish } = await processor.process(INCOMING);
  const why = "st-proxy: upstream http://agent:8126 failed: ECONNREFUSED: connect ECONNREFUSED 10.0.0.1:8126";
  assert.equal(answer.statusCode, 502);
  assert.equal(answer.body.toString(), why + "\n");
  assert.deepEqual(logged, [`library: PUT /v0.4/traces?x=1: ${why}`]);
  await finish({ clientGone: true });
  assert.equal(recorded[0].error, `${why}; client closed the connection before the answer was sent`);
  assert.equal(recorded[0].response?.statusCode, 502);
});

test("client gone: the exchange is recorded with its answer and the reason", async () => {
  const { processor, recorded } = playbook();
  await (await processor.process(INCOMING)).finish({ clientGone: true });
  assert.equal(recorded[0].error, "client closed the connection before the answer was sent");
  assert.equal(recorded[0].response?.statusCode, 200);
});

test("recordUnanswered: no response, the reason as error", async () => {
  const { processor, recorded, sent } = playbook();
  await processor.recordUnanswered(INCOMING, "agent", 8126, "client aborted mid-body");
  assert.deepEqual(sent, []);
  assert.deepEqual([recorded[0].response, recorded[0].error, recorded[0].host], [null, "client aborted mid-body", "agent"]);
});

test("without an upstream, a forward decision is st-proxy's defect, answered 502", async () => {
  const { processor, recorded } = playbook({ upstream: undefined });
  const { answer, finish } = await processor.process(INCOMING);
  await finish();
  assert.equal(answer.statusCode, 502);
  assert.match(recorded[0].error ?? "", /no upstream to forward to/);
});

test("idle: resolves once every begun exchange is done (done twice counts once)", async () => {
  const { processor } = playbook();
  const order: string[] = [];
  const first = processor.begin();
  const second = processor.begin();
  const idle = processor.idle().then(() => order.push("idle"));
  first();
  first();
  await Promise.resolve();
  order.push("second done");
  second();
  await idle;
  assert.deepEqual(order, ["second done", "idle"]);
});
