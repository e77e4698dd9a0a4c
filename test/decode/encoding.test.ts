// Content encodings: bodies compressed by other implementations (Node's zlib, the zstd
// program, zstd frames written by hand from RFC 8878), and Python codec names.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from "node:zlib";
import { ContentEncodingError, decodeContentEncoding } from "../../src/decode/encoding.js";
import { BodyTooLargeError } from "../../src/decode/limits.js";
import { decodeMessage } from "../../src/decode/index.js";
import { CORPUS_CASES, SHARED_PRESENT } from "../helpers/shared.js";

const text = (b: Buffer) => b.toString("latin1");
const decode = (body: Buffer | string, encoding?: string) => text(decodeContentEncoding(Buffer.from(body), encoding));

/** Fails with a ContentEncodingError (not any error: a TypeError from a bug would pass a bare throws). */
function fails(run: () => unknown, message: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof ContentEncodingError, `expected a ContentEncodingError, got ${String(error)}`);
    assert.match(error.message, message);
    return true;
  });
}

/** A zstd frame holding `data` in one raw block (RFC 8878: single segment, 1-byte content size). */
function rawZstdFrame(data: string): Buffer {
  const bytes = Buffer.from(data, "latin1");
  assert.ok(bytes.length < 256);
  const blockHeader = (bytes.length << 3) | 1; // Last_Block = 1, Block_Type = 0 (raw)
  return Buffer.concat([
    Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), // magic number, little-endian
    Buffer.from([0x20, bytes.length]), // Single_Segment_flag, Frame_Content_Size
    Buffer.from([blockHeader & 0xff, (blockHeader >> 8) & 0xff, blockHeader >> 16]),
    bytes,
  ]);
}

test("no Content-Encoding, identity and none leave the body as it is", () => {
  assert.equal(decode("abc"), "abc");
  assert.equal(decode("abc", "identity"), "abc");
  assert.equal(decode("abc", "None"), "abc");
});

test("gzip, including several members one after the other", () => {
  assert.equal(decode(gzipSync("hello"), "gzip"), "hello");
  assert.equal(decode(Buffer.concat([gzipSync("hel"), gzipSync("lo")]), "GZIP"), "hello");
});

test("deflate with its zlib header, and raw deflate without it", () => {
  assert.equal(decode(deflateSync("zlib body"), "deflate"), "zlib body");
  assert.equal(decode(deflateRawSync("raw body"), "deflate"), "raw body");
  assert.equal(decode(deflateRawSync("raw body"), "deflateraw"), "raw body");
});

test("br", () => {
  assert.equal(decode(brotliCompressSync("brotli body"), "br"), "brotli body");
});

test("zstd: every concatenated frame is decoded, not only the first", () => {
  const frames = Buffer.concat([rawZstdFrame("first "), rawZstdFrame("second "), rawZstdFrame("third")]);
  assert.equal(decode(frames, "zstd"), "first second third");
});

test("zstd: frames written by the zstd program", (t) => {
  let frames: Buffer;
  try {
    frames = Buffer.concat([execFileSync("zstd", ["-q", "-c"], { input: "made by " }), execFileSync("zstd", ["-q", "-c"], { input: "zstd itself" })]);
  } catch {
    t.skip("the zstd program is not installed");
    return;
  }
  assert.equal(decode(frames, "zstd"), "made by zstd itself");
});

test("zstd: the agent's multi-frame metrics v3 body of the corpus inflates to all 166 bytes", { skip: !SHARED_PRESENT && "../shared is absent" }, () => {
  const flow = JSON.parse(readFileSync(join(CORPUS_CASES, "036-agent-metrics-v3-zstd-multiframe.flow.json"), "utf8"));
  assert.equal(decodeContentEncoding(Buffer.from(flow.request.body_b64, "base64"), "zstd").length, 166);
});

test("Python codec names: base64, hex and zlib decode, whatever the spelling Python accepts", () => {
  assert.equal(decode("aGVsbG8=", "base64"), "hello");
  assert.equal(decode("aGVs\nbG8=", "Base-64"), "hello");
  assert.equal(decode("aGVsbG8=", "base64_codec"), "hello");
  assert.equal(decode("68656c6c6f", "hex"), "hello");
  assert.equal(decode(deflateSync("z"), "zlib"), "z");
});

test("Python's codec name spellings: aliases, runs of separators, dots, surrounding separators", () => {
  assert.equal(decode("aGVsbG8=", "base_64"), "hello");
  assert.equal(decode("aGVsbG8=", "base--64"), "hello");
  assert.equal(decode("aGVsbG8=", "base.64"), "hello");
  assert.equal(decode("aGVsbG8=", "-base64-"), "hello");
  assert.equal(decode("aGVsbG8=", "baseé64"), "hello", "a non-ASCII letter is dropped, as normalize_encoding drops it");
  assert.equal(decode("68656C6C6F", "hex_codec"), "hello");
  assert.equal(decode(deflateSync("z"), "zip"), "z");
  assert.equal(decode(deflateSync("z"), "zlib_codec"), "z");
  // Codecs Python has and st-proxy refuses, each named by its module.
  for (const [name, module] of [["bz2", "bz2_codec"], ["quopri", "quopri_codec"], ["quoted-printable", "quopri_codec"], ["quotedprintable", "quopri_codec"], ["uu", "uu_codec"]])
    fails(() => decode("abc", name), new RegExp(`^Python codec ${module} is not supported by st-proxy$`));
});

test("the limit on decoded bytes: past it a BodyTooLargeError (not a decoding error), for every compressed encoding", () => {
  const big = Buffer.alloc(10_000, "a");
  for (const [name, body] of [["gzip", gzipSync(big)], ["deflate", deflateSync(big)], ["deflate", deflateRawSync(big)], ["br", brotliCompressSync(big)]] as const) {
    assert.throws(
      () => decodeContentEncoding(body, name, 1000),
      (error: unknown) => error instanceof BodyTooLargeError && error.limit === 1000 && /would pass the limit of 1000 bytes/.test(error.message),
      name,
    );
    assert.equal(decodeContentEncoding(body, name, 10_000).length, 10_000, `${name}: exactly the limit is allowed`);
  }
});

test("a decoding error says it is one and keeps the codec's error as its cause", () => {
  const body = Buffer.from("not gzip");
  assert.throws(
    () => decodeContentEncoding(body, "gzip"),
    (error: unknown) => error instanceof ContentEncodingError && error.name === "ContentEncodingError" && error.cause instanceof Error && error.message.endsWith(error.cause.message),
  );
});

test("unknown names, text codecs and lists of encodings fail", () => {
  fails(() => decode("abc", "compress"), /unknown or text-only encoding: compress$/);
  fails(() => decode("abc", "utf-8"), /text-only encoding: utf-8$/);
  fails(() => decode(gzipSync("x"), "gzip, br"), /encoding: gzip, br$/);
  fails(() => decode("abc", "x-gzip"), /encoding: x-gzip$/);
});

test("corrupt or truncated bodies fail", () => {
  fails(() => decode(Buffer.from("1f8b0800676172626167652d6e6f742d7265616c6c792d677a6970", "hex"), "gzip"), /Content-Encoding "gzip": \S/);
  fails(() => decode(gzipSync("hello").subarray(0, 10), "gzip"), /Content-Encoding "gzip": \S/);
  fails(() => decode(rawZstdFrame("abc").subarray(0, 9), "zstd"), /Content-Encoding "zstd": \S/);
  fails(() => decode("not base64!", "base64"), /Content-Encoding "base64": \S/);
  fails(() => decode("abc", "hex"), /Content-Encoding "hex": Odd-length string/);
  fails(() => decode("zz", "hex"), /Content-Encoding "hex": Non-hexadecimal digit found/);
});

test("an empty body stays empty, except that an unknown name still fails", () => {
  for (const name of ["gzip", "deflate", "br", "zstd", "identity"]) assert.equal(decode("", name), "");
  assert.equal(decode("", "base64"), "");
  fails(() => decode("", "compress"), /unknown or text-only encoding: compress$/);
});

test("decodeMessage records an undecodable encoding: raw body as repr, traceback, raw length", () => {
  const body = Buffer.from("1f8b0800676172626167652d6e6f742d7265616c6c792d677a6970", "hex");
  const out = decodeMessage(
    { side: "request", interface: "library", method: "POST", path: "/telemetry/proxy/api/v2/apmtelemetry", headers: [["Content-Encoding", "gzip"], ["Content-Type", "application/json"]], body },
    { filesDir: "/logs/interfaces/library/files" },
  );
  assert.equal(out.content, undefined);
  assert.equal(out.length, body.length);
  assert.equal(out.raw_content, "b'\\x1f\\x8b\\x08\\x00garbage-not-really-gzip'");
  assert.match(out.traceback ?? "", /Content-Encoding/);
});

test("decodeMessage: length is that of the decoded body", () => {
  const out = decodeMessage(
    { side: "request", interface: "library", method: "POST", path: "/debugger/v1/input", headers: [["Content-Type", "application/json"], ["Content-Encoding", "br"]], body: brotliCompressSync('{"a": [1, 2]}') },
    { filesDir: "/f" },
  );
  assert.deepEqual(out, { length: 13, content: { a: [1, 2] }, files: [] });
});
