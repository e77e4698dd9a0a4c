// The answer tracer mocks edit, with mitmproxy's message semantics: `content` is the body with
// its Content-Encoding undone, and setting it encodes it again. Compressed bodies are made here
// with Node's zlib and fzstd's counterpart (the zstd program's format, by hand in encoding.test).
import { test } from "node:test";
import assert from "node:assert/strict";
import { brotliCompressSync, brotliDecompressSync, deflateRawSync, deflateSync, gzipSync, gunzipSync, inflateSync } from "node:zlib";
import { EditableAnswer, requestContent } from "../../src/mocks/editable-answer.js";
import type { Incoming } from "../../src/proxy/types.js";

const answer = (encoding: string | undefined, body: Buffer, extra: [string, string][] = []) =>
  new EditableAnswer({ statusCode: 200, headers: [...(encoding === undefined ? [] : [["Content-Encoding", encoding] as [string, string]]), ["Content-Length", String(body.length)], ...extra], body });

// A zstd frame with one raw block (RFC 8878): magic, descriptor (single segment, 1-byte size), block header.
const zstdFrame = (text: string) => Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x20, text.length, (text.length << 3) | 1, 0, 0]), Buffer.from(text)]);

test("content undoes each encoding the reference undoes (gzip, x-gzip, br, deflate with and without zlib header, zstd)", () => {
  const cases: [string, Buffer][] = [
    ["gzip", gzipSync("hello")],
    [" X-GZIP ", gzipSync("hello")],
    ["br", brotliCompressSync("hello")],
    ["deflate", deflateSync("hello")],
    ["deflate", deflateRawSync("hello")],
    ["zstd", zstdFrame("hello")],
    ["identity", Buffer.from("hello")],
  ];
  for (const [encoding, body] of cases) assert.equal(answer(encoding, body).content.toString(), "hello", encoding);
  assert.equal(answer(undefined, Buffer.from("plain")).content.toString(), "plain");
});

test("a body that does not decode, an empty one, or an unknown encoding: content is the body as it is", () => {
  assert.equal(answer("gzip", Buffer.from("not gzip")).content.toString(), "not gzip");
  assert.equal(answer("br", Buffer.from("not br")).content.toString(), "not br");
  assert.equal(answer("zstd", Buffer.from("not zstd")).content.toString(), "not zstd");
  assert.equal(answer("deflate", Buffer.from("not deflate at all")).content.toString(), "not deflate at all");
  assert.equal(answer("compress", Buffer.from("lzw?")).content.toString(), "lzw?");
  // Only a body that says deflate is inflated, even when another one happens to be zlib data.
  assert.deepEqual(answer("compress", deflateSync("hello")).content, deflateSync("hello"));
  assert.equal(answer("gzip", Buffer.alloc(0)).content.length, 0);
});

test("setting content encodes it again with the answer's encoding and updates Content-Length", () => {
  const decoders: Record<string, (b: Buffer) => Buffer> = { gzip: gunzipSync, "x-gzip": gunzipSync, br: brotliDecompressSync, deflate: inflateSync, identity: (b) => b };
  for (const [encoding, decode] of Object.entries(decoders)) {
    const edited = answer(encoding, Buffer.from("old"));
    edited.content = Buffer.from('{"new": true}');
    assert.equal(decode(edited.body).toString(), '{"new": true}', encoding);
    assert.deepEqual(edited.headers, [["Content-Encoding", encoding], ["Content-Length", String(edited.body.length)]], encoding);
  }
  const plain = answer(undefined, Buffer.from("old"));
  plain.content = Buffer.from("newer");
  assert.deepEqual(plain.toAnswer(), { statusCode: 200, headers: [["Content-Length", "5"]], body: Buffer.from("newer") });
});

test("an encoding st-proxy cannot write (zstd): the new content goes plain and Content-Encoding is dropped", () => {
  const edited = answer("zstd", zstdFrame("old"), [["Vary", "Accept-Encoding"]]);
  edited.content = Buffer.from("new body");
  assert.deepEqual(edited.toAnswer(), { statusCode: 200, headers: [["Content-Length", "8"], ["Vary", "Accept-Encoding"]], body: Buffer.from("new body") });
});

test("with Transfer-Encoding, no Content-Length is added", () => {
  const edited = new EditableAnswer({ statusCode: 200, headers: [["Transfer-Encoding", "chunked"]], body: Buffer.from("x") });
  edited.content = Buffer.from("longer");
  assert.deepEqual(edited.headers, [["Transfer-Encoding", "chunked"]]);
});

test("setHeader replaces every value of a name in the first one's place and spelling; deleteHeader removes all", () => {
  const edited = new EditableAnswer({ statusCode: 200, headers: [["X-A", "1"], ["Other", "o"], ["x-a", "2"]], body: Buffer.alloc(0) });
  edited.setHeader("x-A", "3");
  assert.deepEqual(edited.headers, [["X-A", "3"], ["Other", "o"]]);
  edited.setHeader("New", "n");
  assert.deepEqual(edited.headers, [["X-A", "3"], ["Other", "o"], ["New", "n"]]);
  edited.deleteHeader("OTHER");
  assert.deepEqual(edited.headers, [["X-A", "3"], ["New", "n"]]);
});

test("the answer given is not changed by edits", () => {
  const original = { statusCode: 500, headers: [["X-A", "1"]] as [string, string][], body: Buffer.from("b") };
  const edited = new EditableAnswer(original);
  edited.setHeader("X-A", "2");
  edited.statusCode = 200;
  assert.deepEqual(original.headers, [["X-A", "1"]]);
  assert.equal(original.statusCode, 500);
});

test("requestContent: the request body with its Content-Encoding undone", () => {
  const req = (encoding: string | undefined, body: Buffer): Incoming => ({
    interface: "library",
    method: "POST",
    target: "/v0.7/config",
    headers: encoding === undefined ? [] : [["content-encoding", encoding]],
    body,
    startMicros: 0,
  });
  assert.equal(requestContent(req("gzip", gzipSync('{"a": 1}'))).toString(), '{"a": 1}');
  assert.equal(requestContent(req("deflate", deflateRawSync("raw"))).toString(), "raw");
  assert.equal(requestContent(req(undefined, Buffer.from("plain"))).toString(), "plain");
});

test("encodings the dump's decoding knows but mocks do not undo: content is the body as it is", () => {
  // decode/encoding.ts decodes these for the dump; mitmproxy's content, which mocks follow, does not.
  const b64 = Buffer.from(Buffer.from("hello").toString("base64"));
  assert.equal(answer("base64", b64).content, b64);
  const raw = deflateRawSync("hello");
  assert.equal(answer("deflateraw", raw).content, raw);
  assert.equal(answer("none", Buffer.from("x")).content.toString(), "x");
  assert.equal(answer("constructor", Buffer.from("x")).content.toString(), "x");
});
