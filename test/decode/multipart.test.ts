// multipart/form-data bodies written by hand (RFC 7578 layout), through decodeMessage; md5s
// computed here with node:crypto, gzip parts made with node:zlib.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { basename, dirname, resolve, sep } from "node:path";
import { gzipSync } from "node:zlib";
import { decodeMessage } from "../../src/decode/index.js";
import { safeFileName } from "../../src/decode/multipart.js";
import type { Json } from "../../src/json/value.js";

const FILES = "./logs/interfaces/library/files";
const md5 = (b: Buffer) => createHash("md5").update(b).digest("hex");

function body(boundary: string, parts: { headers: string[]; content: Buffer | string }[], preamble = ""): Buffer {
  const chunks: Buffer[] = [Buffer.from(preamble)];
  for (const p of parts) chunks.push(Buffer.from(`--${boundary}\r\n${p.headers.join("\r\n")}\r\n\r\n`), Buffer.from(p.content), Buffer.from("\r\n"));
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

function decode(payload: Buffer, path = "/profiling/v1/input", contentType = "multipart/form-data; boundary=XyZ") {
  return decodeMessage({ side: "request", interface: "library", method: "POST", path, headers: [["Content-Type", contentType]], body: payload }, { filesDir: FILES });
}

test("JSON parts are parsed, files exported under <md5>_<name>, other parts kept as text", () => {
  const pprof = Buffer.from([0x1f, 0x00, 0xff, 0x10]);
  const out = decode(
    body("XyZ", [
      { headers: ['Content-Disposition: form-data; name="event"; filename="event.json"', "Content-Type: application/json"], content: '{"family": "node", "n": 18446744073709551615}' },
      { headers: ['Content-Disposition: form-data; name="wall.pprof"; filename="wall.pprof"', "Content-Type: application/octet-stream"], content: pprof },
      { headers: ['Content-Disposition: form-data; name="field"'], content: "plain value" },
      { headers: ['Content-Disposition: form-data; name="bin"'], content: Buffer.from([0xff, 0x27]) },
    ]),
  );
  assert.equal(out.traceback, undefined, out.traceback);
  assert.deepEqual(out.content, [
    { headers: { "content-disposition": 'form-data; name="event"; filename="event.json"', "content-type": "application/json" }, content: { family: "node", n: 18446744073709551615n } },
    {
      headers: { "content-disposition": 'form-data; name="wall.pprof"; filename="wall.pprof"', "content-type": "application/octet-stream" },
      "system-tests-filename": "wall.pprof",
      "system-tests-information": "File exported to a separated file",
      "system-tests-file-path": `${FILES}/${md5(pprof)}_wall.pprof`,
    },
    { headers: { "content-disposition": 'form-data; name="field"' }, content: "plain value" },
    { headers: { "content-disposition": 'form-data; name="bin"' }, content: `b"\\xff'"` },
  ]);
  assert.deepEqual(out.files, [{ path: `${FILES}/${md5(pprof)}_wall.pprof`, data: pprof }]);
});

test('a file named "../../etc/passwd" is exported inside the files folder, under a readable name', () => {
  const data = Buffer.from("root:x:0:0");
  const out = decode(body("XyZ", [{ headers: ['Content-Disposition: form-data; name="f"; filename="../../etc/passwd"', "Content-Type: application/octet-stream"], content: data }]));
  const item = (out.content as Record<string, Json>[])[0];
  assert.equal(item["system-tests-filename"], "../../etc/passwd");
  const path = item["system-tests-file-path"] as string;
  assert.equal(path, `${FILES}/${md5(data)}_etc_passwd`);
  assert.equal(dirname(resolve(path)), resolve(FILES));
  assert.ok(resolve(path).startsWith(resolve(FILES) + sep));
  assert.equal(out.files.length, 1);
  assert.equal(out.files[0].path, path);
});

test("safe file names: no separators, no dot-dot, bounded length, the extension kept", () => {
  for (const name of ["../../etc/passwd", "..\\..\\win.ini", "/abs/path", "a/../../b", "..", ".", "", "x\u0000y\ny"]) {
    const safe = safeFileName(name);
    assert.ok(!/[/\\\x00-\x1f]/.test(safe), `${JSON.stringify(name)} -> ${JSON.stringify(safe)}`);
    assert.ok(!safe.includes(".."), `${JSON.stringify(name)} -> ${JSON.stringify(safe)}`);
    assert.ok(safe.length > 0);
    assert.equal(basename(safe), safe);
  }
  assert.equal(safeFileName("space.pprof"), "space.pprof");
  assert.equal(safeFileName("dir/file.bin"), "dir_file.bin");
  assert.equal(safeFileName("archive..tar"), "archive.tar");
  const long = safeFileName("é".repeat(300) + ".pprof");
  assert.ok(Buffer.byteLength(long) <= 200);
  assert.ok(long.endsWith(".pprof"));
});

test("symdb: a gzip file part is inflated and read as JSON whatever its name", () => {
  const json = { service: "weblog", scopes: [] };
  const out = decode(
    body("XyZ", [{ headers: ['Content-Disposition: form-data; name="file"; filename="file.gz"', "Content-Type: application/gzip"], content: gzipSync(JSON.stringify(json)) }]),
    "/symdb/v1/input",
  );
  assert.deepEqual(out.content, [{ headers: { "content-disposition": 'form-data; name="file"; filename="file.gz"', "content-type": "application/gzip" }, "system-tests-filename": "file.gz", content: json }]);
});

test("a gzip file part that is JSON only by name elsewhere; a corrupt gzip part is dropped", () => {
  const inner = Buffer.from("not json");
  const out = decode(
    body("XyZ", [
      { headers: ['Content-Disposition: form-data; name="a"; filename="data.json.gz"', "Content-Type: application/gzip"], content: gzipSync(inner) },
      { headers: ['Content-Disposition: form-data; name="b"; filename="b.gz"', "Content-Type: application/gzip"], content: "not gzip" },
    ]),
  );
  assert.deepEqual(out.content, [
    {
      headers: { "content-disposition": 'form-data; name="a"; filename="data.json.gz"', "content-type": "application/gzip" },
      "system-tests-filename": "data.json.gz",
      "system-tests-error": "Can't decode json file",
      "system-tests-information": "File exported to a separated file",
      "system-tests-file-path": `${FILES}/${md5(inner)}_data.json`,
    },
  ]);
});

test("invalid JSON in a JSON part: an error note and the part's repr, not a failure", () => {
  const out = decode(body("XyZ", [{ headers: ["Content-Type: application/json"], content: "{nope" }]));
  assert.deepEqual(out.content, [{ headers: { "content-type": "application/json" }, "system-tests-error": "Can't decode json file", raw_content: "b'{nope'" }]);
});

test("disposition without a filename, or not form-data", () => {
  const out = decode(
    body("XyZ", [
      { headers: ['Content-Disposition: form-data; name="x"', "Content-Type: application/octet-stream"], content: "a" },
      { headers: ['Content-Disposition: attachment; filename="y"', "Content-Type: application/octet-stream"], content: "b" },
    ]),
  );
  assert.deepEqual(out.content, [
    { headers: { "content-disposition": 'form-data; name="x"', "content-type": "application/octet-stream" }, "system-tests-error": "Filename not found in content-disposition, please contact #apm-shared-testing" },
    {
      headers: { "content-disposition": 'attachment; filename="y"', "content-type": "application/octet-stream" },
      "system-tests-error": 'Unknown content-disposition: attachment; filename="y", please contact #apm-shared-testing',
      content: null,
    },
  ]);
});

test("header names are folded to lowercase, the last of a repeated one wins, a folded line continues", () => {
  const out = decode(body("XyZ", [{ headers: ["X-Note: first", "x-note: second", "Content-Type: text/plain;", " charset=utf-8"], content: "t" }]));
  assert.deepEqual(out.content, [{ headers: { "x-note": "second", "content-type": "text/plain;\r\n charset=utf-8" }, content: "t" }]);
});

test("a quoted boundary, a preamble and a part with a __proto__ header", () => {
  const out = decode(body("a b", [{ headers: ["__proto__: x"], content: "v" }], "preamble\r\n\r\nignored\r\n"), "/x", 'multipart/form-data; boundary="a b"');
  const items = out.content as Record<string, Json>[];
  // the preamble has a blank line, so it reads as a part of its own, as with the reference
  assert.equal(items.length, 2);
  assert.equal(Object.getPrototypeOf(items[1].headers), Object.prototype);
  assert.deepEqual(Object.keys(items[1].headers as object), ["__proto__"]);
  assert.equal(items[1].content, "v");
});

test("no boundary in the content type, or a part without a blank line, fails", () => {
  assert.match(decode(body("XyZ", []), "/x", "multipart/form-data; charset=utf-8").traceback ?? "", /boundary/);
  assert.match(decode(Buffer.from("--XyZ\r\nno blank line here--XyZ--")).traceback ?? "", /CR-LF-CR-LF/);
});
