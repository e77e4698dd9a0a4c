// AssemblyScript, compiled to WebAssembly by `npm run build` (asc): the trace renderer's loop
// (v0.4, and v0.5 at the end of this file).
//
// A tracer's v0.4 payload (msgpack) written straight as the dump's text (Python's json.dump,
// indent 2) in one pass, the hot path of a test run. JavaScript spends about 2 ns per byte on
// a copy-and-check loop on these machines; here strings are checked and copied 16 bytes at a
// time and indentation 8 at a time. The rules are those of the tree path (see
// ../traces-text.ts): anything it alone knows (bin/ext values, non-str or integer-like or
// repeated keys, meta the reference expands, truncation, deep nesting) traps, and the caller
// takes the tree path. Output that would pass the end of its region traps with `roomWanted`
// set: the caller gives more room and runs it again. Nothing here allocates: the caller lays
// out input, work and output regions in this module's memory.

/** A float's text (Python's repr rules), written by the caller at `at`; returns the new end. */
@external("env", "float")
declare function writeFloat(value: f64, at: usize): usize;
/** A str that needs escaping (control, quote, backslash, non-ASCII), written by the caller. */
@external("env", "escaped")
declare function writeEscaped(start: usize, length: usize, at: usize, key: bool): usize;

const MAX_DEPTH: i32 = 32;
// What a map is, for the keys that matter in it.
const PLAIN: i32 = 0;
const SPAN: i32 = 1;
const SPAN_META: i32 = 2;
/** v0.5 span meta and metrics: keys (and meta's values) are string-table indexes. */
const V05_META: i32 = 3;
const V05_METRICS: i32 = 4;
/** Maps with more keys than this find repeated keys with a hash table, not by comparing each pair. */
const LINEAR_KEYS: u32 = 16;

const TRACE_ID = memory.data<u8>([0x74, 0x72, 0x61, 0x63, 0x65, 0x5f, 0x69, 0x64]);
const SPAN_ID = memory.data<u8>([0x73, 0x70, 0x61, 0x6e, 0x5f, 0x69, 0x64]);
const PARENT_ID = memory.data<u8>([0x70, 0x61, 0x72, 0x65, 0x6e, 0x74, 0x5f, 0x69, 0x64]);
const META = memory.data<u8>([0x6d, 0x65, 0x74, 0x61]);
const META_STRUCT = memory.data<u8>([0x6d, 0x65, 0x74, 0x61, 0x53, 0x74, 0x72, 0x75, 0x63, 0x74]);
const APPSEC_S = memory.data<u8>([0x5f, 0x64, 0x64, 0x2e, 0x61, 0x70, 0x70, 0x73, 0x65, 0x63, 0x2e, 0x73, 0x2e]);
const APPSEC_JSON = memory.data<u8>([0x5f, 0x64, 0x64, 0x2e, 0x61, 0x70, 0x70, 0x73, 0x65, 0x63, 0x2e, 0x6a, 0x73, 0x6f, 0x6e]);
/** 10^0 ... 10^19 (the last is 0x8ac7230489e80000). */
const POW10 = memory.data<u64>([1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000, 10000000000, 100000000000, 1000000000000, 10000000000000, 100000000000000, 1000000000000000, 10000000000000000, 100000000000000000, 1000000000000000000, 0x8ac7230489e80000]);
// The other field names of a v0.5 span, as the tree path writes them.
const F_SERVICE = memory.data<u8>([0x73, 0x65, 0x72, 0x76, 0x69, 0x63, 0x65]);
const F_NAME = memory.data<u8>([0x6e, 0x61, 0x6d, 0x65]);
const F_RESOURCE = memory.data<u8>([0x72, 0x65, 0x73, 0x6f, 0x75, 0x72, 0x63, 0x65]);
const F_START = memory.data<u8>([0x73, 0x74, 0x61, 0x72, 0x74]);
const F_DURATION = memory.data<u8>([0x64, 0x75, 0x72, 0x61, 0x74, 0x69, 0x6f, 0x6e]);
const F_ERROR = memory.data<u8>([0x65, 0x72, 0x72, 0x6f, 0x72]);
const F_METRICS = memory.data<u8>([0x6d, 0x65, 0x74, 0x72, 0x69, 0x63, 0x73]);
const F_TYPE = memory.data<u8>([0x74, 0x79, 0x70, 0x65]);
/** "00" "01" ... "99": the digits of a number two at a time. */
const PAIRS = memory.data<u8>([48,48,48,49,48,50,48,51,48,52,48,53,48,54,48,55,48,56,48,57,49,48,49,49,49,50,49,51,49,52,49,53,49,54,49,55,49,56,49,57,50,48,50,49,50,50,50,51,50,52,50,53,50,54,50,55,50,56,50,57,51,48,51,49,51,50,51,51,51,52,51,53,51,54,51,55,51,56,51,57,52,48,52,49,52,50,52,51,52,52,52,53,52,54,52,55,52,56,52,57,53,48,53,49,53,50,53,51,53,52,53,53,53,54,53,55,53,56,53,57,54,48,54,49,54,50,54,51,54,52,54,53,54,54,54,55,54,56,54,57,55,48,55,49,55,50,55,51,55,52,55,53,55,54,55,55,55,56,55,57,56,48,56,49,56,50,56,51,56,52,56,53,56,54,56,55,56,56,56,57,57,48,57,49,57,50,57,51,57,52,57,53,57,54,57,55,57,56,57,57]);
const IAST_JSON = memory.data<u8>([0x5f, 0x64, 0x64, 0x2e, 0x69, 0x61, 0x73, 0x74, 0x2e, 0x6a, 0x73, 0x6f, 0x6e]);

let pos: usize = 0;
let inEnd: usize = 0;
let at: usize = 0;
let outEnd: usize = 0;
let workTop: usize = 0;
let workEnd: usize = 0;
let indentBase: i32 = 0;
let expandMeta: bool = false;
let wanted: bool = false;

/** Where the caller may lay out its regions (after this module's constants). */
export function heapBase(): usize {
  return (__heap_base + 15) & ~(<usize>15);
}

/** Whether the last trap was for output room (run again with more) rather than for the tree path. */
export function roomWanted(): bool {
  return wanted;
}

/**
 * Renders the payload at [input, input + inputLength) into [output, output + outputLength),
 * returning the end of the text. 16 bytes after the input and after the output's end must be
 * readable/writable (strings are read and written 16 bytes at a time). `work` holds the key
 * stack and hash tables of the maps being written.
 */
export function render(input: usize, inputLength: usize, work: usize, workLength: usize, output: usize, outputLength: usize, depth: i32, expand: bool, v05: bool): usize {
  pos = input;
  inEnd = input + inputLength;
  at = output;
  outEnd = output + outputLength;
  workTop = work;
  workEnd = work + workLength;
  indentBase = depth;
  expandMeta = expand;
  wanted = false;
  if (v05) v05Payload();
  else traceList();
  if (pos != inEnd) unreachable();
  return at;
}

// ---- output ----

@inline function room(n: usize): void {
  if (n > outEnd - at) {
    wanted = true;
    unreachable();
  }
}

@inline function byte(b: u8): void {
  room(1);
  store<u8>(at++, b);
}

/** `before` (a comma, or 0 for none), then a new line indented for `depth`. */
function newline(depth: i32, before: u8): void {
  const n = <usize>(2 * (indentBase + depth));
  room(n + 10);
  if (before != 0) store<u8>(at++, before);
  store<u8>(at++, 0x0a);
  for (let k: usize = 0; k < n; k += 8) store<u64>(at + k, 0x2020202020202020);
  at += n;
}

/** Four ASCII bytes, the first in the lowest byte of `w`. */
@inline function word(w: u32): void {
  room(4);
  store<u32>(at, w);
  at += 4;
}

/** "[]" or "{}". */
@inline function empty(open: u8): void {
  room(2);
  store<u8>(at, open);
  store<u8>(at + 1, open + 2);
  at += 2;
}

/** The lanes of 16 bytes that JSON text cannot hold as they are: control, ", \, DEL and non-ASCII. */
@inline function unsafeLanes(v: v128): v128 {
  return v128.or(
    v128.or(i8x16.lt_u(v, i8x16.splat(0x20)), i8x16.gt_u(v, i8x16.splat(0x7e))),
    v128.or(i8x16.eq(v, i8x16.splat(0x22)), i8x16.eq(v, i8x16.splat(0x5c))),
  );
}

/** A str as JSON text (a key: followed by ": "), printable ASCII copied 16 bytes at a time. */
function string(start: usize, length: usize, key: bool): void {
  room(length + 20);
  const end = start + length;
  let s = start;
  let o = at + 1;
  let plain = true;
  while (length >= 16 && s <= end - 16) {
    const v = v128.load(s);
    if (v128.any_true(unsafeLanes(v))) {
      plain = false;
      break;
    }
    v128.store(o, v);
    s += 16;
    o += 16;
  }
  if (plain && s < end) {
    const v = v128.load(s);
    const rest = <i32>(end - s);
    if ((i8x16.bitmask(unsafeLanes(v)) & ((1 << rest) - 1)) != 0) plain = false;
    else {
      v128.store(o, v);
      o += rest;
    }
  }
  if (!plain) {
    // Rare: the caller escapes it as Python does (at most 6 characters a byte, quotes, ": ").
    room(6 * length + 8);
    at = writeEscaped(start, length, at, key);
    return;
  }
  store<u8>(at, 0x22);
  store<u8>(o, 0x22);
  o++;
  if (key) {
    store<u16>(o, 0x203a); // ": "
    o += 2;
  }
  at = o;
}

/** The decimal digits of an unsigned 64-bit integer, two at a time from the right. */
function unsigned(v: u64): void {
  room(20);
  // The number of digits: from the bit length (log10(2) ≈ 1233 / 4096), corrected by one comparison.
  const t = ((64 - <u32>clz<u64>(v | 1)) * 1233) >> 12;
  const n: usize = v == 0 ? 1 : <usize>t + 1 - <usize>(v < load<u64>(POW10 + (<usize>t << 3)));
  let o = at + n;
  at = o;
  // Eight digits at a time in 32-bit arithmetic (a span id: two 64-bit divisions).
  let x = v;
  while (x > 0xffffffff) {
    const q = x / 100000000;
    let r = <u32>(x - q * 100000000);
    for (let k = 0; k < 4; k++) {
      const r100 = r / 100;
      o -= 2;
      store<u16>(o, load<u16>(PAIRS + ((r - r100 * 100) << 1)));
      r = r100;
    }
    x = q;
  }
  let y = <u32>x;
  while (y >= 100) {
    const y100 = y / 100;
    o -= 2;
    store<u16>(o, load<u16>(PAIRS + ((y - y100 * 100) << 1)));
    y = y100;
  }
  if (y >= 10) store<u16>(o - 2, load<u16>(PAIRS + (y << 1)));
  else store<u8>(o - 1, <u8>(0x30 + y));
}

function signed(v: i64): void {
  if (v < 0) {
    byte(0x2d);
    unsigned(<u64>-v); // -(-2^63) wraps to 2^63 as unsigned: right.
  } else unsigned(<u64>v);
}

function float(v: f64): void {
  room(40);
  at = writeFloat(v, at);
}

// ---- input ----

@inline function need(n: usize): void {
  if (n > inEnd - pos) unreachable();
}

@inline function u8at(): u32 {
  need(1);
  return load<u8>(pos++);
}

@inline function be16(): u32 {
  need(2);
  const v = <u32>bswap<u16>(load<u16>(pos));
  pos += 2;
  return v;
}

@inline function be32(): u32 {
  need(4);
  const v = bswap<u32>(load<u32>(pos));
  pos += 4;
  return v;
}

@inline function be64(): u64 {
  need(8);
  const v = bswap<u64>(load<u64>(pos));
  pos += 8;
  return v;
}

/** A container's item count: fix form (`fix` to `fix + 15`), then 16- and 32-bit forms; anything else traps. */
function header(fix: u32, form16: u32, form32: u32): u32 {
  const b = u8at();
  if (b >= fix && b <= fix + 0x0f) return b & 0x0f;
  if (b == form16) return be16();
  if (b == form32) return be32();
  unreachable();
  return 0;
}

@inline function arrayHeader(): u32 {
  return header(0x90, 0xdc, 0xdd);
}

@inline function mapHeader(): u32 {
  return header(0x80, 0xde, 0xdf);
}

/** A str's length (its bytes start at pos); anything else traps. */
function strLength(): usize {
  const b = u8at();
  let n: u32;
  if (b >= 0xa0 && b <= 0xbf) n = b & 0x1f;
  else if (b == 0xd9) n = u8at();
  else if (b == 0xda) n = be16();
  else if (b == 0xdb) n = be32();
  else {
    unreachable();
    return 0;
  }
  need(n);
  return n;
}

/** A signed or unsigned int of up to 32 bits, from its type byte. */
function int(b: u32): i64 {
  if (b <= 0x7f) return b;
  if (b >= 0xe0) return <i64>b - 0x100;
  switch (b) {
    case 0xcc:
      return u8at();
    case 0xcd:
      return be16();
    case 0xce:
      return be32();
    case 0xd0:
      return <i8>u8at();
    case 0xd1:
      return <i16>be16();
    case 0xd2:
      return <i32>be32();
  }
  unreachable();
  return 0;
}

@inline function isInt(b: u32): bool {
  return b <= 0x7f || b >= 0xe0 || (b >= 0xcc && b <= 0xce) || (b >= 0xd0 && b <= 0xd2);
}

@inline function isMap(b: u32): bool {
  return (b >= 0x80 && b <= 0x8f) || b == 0xde || b == 0xdf;
}

function same(a: usize, b: usize, length: usize): bool {
  for (let i: usize = 0; i < length; i++) if (load<u8>(a + i) != load<u8>(b + i)) return false;
  return true;
}

// ---- payload shape ----

// What a list holds.
const ITEM_VALUE: i32 = 0;
const ITEM_TRACE: i32 = 1;
const ITEM_SPAN: i32 = 2;
const ITEM_TRACE_V05: i32 = 3;
const ITEM_SPAN_V05: i32 = 4;

/** The payload: a list of traces, each a list of span maps. */
@inline function traceList(): void {
  list(0, ITEM_TRACE);
}

function list(depth: i32, item: i32): void {
  const n = arrayHeader();
  need(n);
  if (n == 0) return empty(0x5b);
  byte(0x5b);
  for (let i: u32 = 0; i < n; i++) {
    newline(depth + 1, i > 0 ? 0x2c : 0);
    if (item == ITEM_VALUE) value(depth + 1);
    else if (item == ITEM_TRACE) list(depth + 1, ITEM_SPAN);
    else if (item == ITEM_SPAN) map(depth + 1, SPAN);
    else if (item == ITEM_TRACE_V05) list(depth + 1, ITEM_SPAN_V05);
    else spanV05(depth + 1);
  }
  newline(depth, 0);
  byte(0x5d);
}

/**
 * A map with str keys (v0.5 meta and metrics: string-table indexes), each written and then its
 * value by `entry`. Keys that repeat (Python keeps the last value at the first place) or that a
 * JavaScript object would move to the front (integer-like) trap, so that the output stays the
 * tree path's.
 */
function map(depth: i32, kind: i32): void {
  const n = mapHeader();
  if (<usize>n > (inEnd - pos) / 2) unreachable();
  if (n == 0) return empty(0x7b);
  if (depth > MAX_DEPTH) unreachable();
  const mark = workTop;
  const mask = n > LINEAR_KEYS ? newKeyTable(n) : 0;
  byte(0x7b);
  for (let i: u32 = 0; i < n; i++) {
    let start: usize;
    let length: usize;
    if (kind >= V05_META) {
      // v0.5: the key is an index into the string table.
      const e = tableEntry();
      start = load<u32>(e);
      length = load<u32>(e, 4);
    } else {
      length = strLength();
      start = pos;
      pos += length;
    }
    checkMapKey(start, length, mark, mask);
    newline(depth + 1, i > 0 ? 0x2c : 0);
    string(start, length, true);
    entry(kind, depth + 1, start, length);
  }
  workTop = mark;
  newline(depth, 0);
  byte(0x7d);
}

/** Traps on a span meta key whose value the reference expands (AppSec, IAST JSON). */
function expandedMetaKey(key: usize, length: usize): void {
  if (length < 13 || load<u8>(key) != 0x5f) return;
  if (same(key, APPSEC_S, 13)) unreachable();
  if ((length == 15 && same(key, APPSEC_JSON, 15)) || (length == 13 && same(key, IAST_JSON, 13))) unreachable();
}

/**
 * For a map of more than LINEAR_KEYS keys: a zeroed hash table at the top of the work stack
 * (open addressing, 8 bytes a slot: start + 1, length; at least twice as many slots as keys).
 * Returns its mask; the table starts where the map's mark is.
 */
function newKeyTable(n: u32): u32 {
  const slots = <u32>1 << (32 - clz<u32>(n * 2 - 1));
  const bytes = <usize>slots * 8;
  if (bytes > workEnd - workTop) unreachable();
  memory.fill(workTop, 0, bytes);
  workTop += bytes;
  return slots - 1;
}

/** A map's key, checked (integer-like, repeated) by its hash table (`mask` != 0) or its list on the work stack from `mark`. */
@inline function checkMapKey(start: usize, length: usize, mark: usize, mask: u32): void {
  if (mask != 0) checkKeyHashed(start, length, mark, mask);
  else checkKey(start, length, mark);
}

/** Traps on an integer-like key ("0", "42": a JavaScript object lists those first). */
function integerLike(start: usize, length: usize): void {
  if (length == 0 || length > 10 || (length > 1 && load<u8>(start) == 0x30)) return;
  for (let i = start; i < start + length; i++) {
    const c = load<u8>(i);
    if (c < 0x30 || c > 0x39) return;
  }
  unreachable();
}

/** Traps on a key this map already had (its keys are on the work stack from `mark`), else pushes it. */
function checkKey(start: usize, length: usize, mark: usize): void {
  integerLike(start, length);
  for (let k = mark; k < workTop; k += 8) {
    if (load<u32>(k, 4) != <u32>length) continue;
    if (same(load<u32>(k), start, length)) unreachable();
  }
  if (<usize>8 > workEnd - workTop) unreachable();
  store<u32>(workTop, <u32>start);
  store<u32>(workTop, <u32>length, 4);
  workTop += 8;
}

function checkKeyHashed(start: usize, length: usize, table: usize, mask: u32): void {
  integerLike(start, length);
  // FNV-1a over the key's bytes.
  let h: u32 = 0x811c9dc5;
  for (let i = start; i < start + length; i++) h = (h ^ load<u8>(i)) * 0x01000193;
  for (let slot = h & mask; ; slot = (slot + 1) & mask) {
    const p = table + (<usize>slot << 3);
    const other = load<u32>(p);
    if (other == 0) {
      store<u32>(p, <u32>start + 1);
      store<u32>(p, <u32>length, 4);
      return;
    }
    if (load<u32>(p, 4) == <u32>length && same(other - 1, start, length)) unreachable();
  }
}

/** The value of one map entry, given its key and what the map is. */
function entry(kind: i32, depth: i32, key: usize, length: usize): void {
  if (kind == SPAN) {
    if ((length == 8 && same(key, TRACE_ID, 8)) || (length == 7 && same(key, SPAN_ID, 7)) || (length == 9 && same(key, PARENT_ID, 9))) return unsignedId(depth);
    if (expandMeta) {
      if (length == 4 && same(key, META, 4)) {
        // Span meta: the keys the reference expands trap (rare: AppSec, IAST).
        if (pos >= inEnd || !isMap(load<u8>(pos))) unreachable();
        return map(depth, SPAN_META);
      }
      if (length == 10 && same(key, META_STRUCT, 10)) unreachable();
    }
  } else if (kind == SPAN_META) expandedMetaKey(key, length);
  else if (kind == V05_META) {
    if (expandMeta) expandedMetaKey(key, length);
    return tableString(false);
  }
  value(depth);
}

/** trace_id / span_id / parent_id: a negative int is the unsigned id sent as int64. */
function unsignedId(depth: i32): void {
  if (pos >= inEnd) unreachable();
  const b = <u32>load<u8>(pos);
  if (b == 0xd3) {
    pos++;
    return unsigned(be64());
  }
  if (b >= 0xe0 || (b >= 0xd0 && b <= 0xd2)) {
    pos++;
    return unsigned(<u64>int(b));
  }
  value(depth);
}

function value(depth: i32): void {
  if (pos >= inEnd) unreachable();
  const b = <u32>load<u8>(pos);
  if (isInt(b)) {
    pos++;
    return signed(int(b));
  }
  if ((b >= 0xa0 && b <= 0xbf) || (b >= 0xd9 && b <= 0xdb)) {
    const length = strLength();
    const start = pos;
    string(start, length, false);
    pos = start + length;
    return;
  }
  if ((b >= 0x90 && b <= 0x9f) || b == 0xdc || b == 0xdd) {
    if (depth > MAX_DEPTH) unreachable();
    return list(depth, ITEM_VALUE);
  }
  if (isMap(b)) return map(depth, PLAIN);
  pos++;
  switch (b) {
    case 0xc0:
      return word(0x6c6c756e); // "null"
    case 0xc2:
      word(0x736c6166); // "fals"
      return byte(0x65); // "e"
    case 0xc3:
      return word(0x65757274); // "true"
    case 0xcf:
      return unsigned(be64());
    case 0xd3:
      return signed(<i64>be64());
    case 0xca:
      return float(<f64>reinterpret<f32>(be32()));
    case 0xcb:
      return float(reinterpret<f64>(be64()));
  }
  // bin, ext (bytes values need the tree path's rendering), 0xc1.
  unreachable();
}

// ---- v0.5: [strings, traces], each span an array of 12 fields, strings as table indexes ----
// Written as the tree path expands it (expandTracesV05, then the v0.4 rules): a span map with the
// fields in this order, a zero parent_id or duration as null, meta and metrics keys (and meta
// values) looked up in the table. Anything the lookup would do in Python beyond a plain index (a
// negative or non-int index, a table entry that is not a str, a span of other than 12 fields)
// traps: the tree path knows it.

let table: usize = 0;
let tableSize: u32 = 0;

function v05Payload(): void {
  if (arrayHeader() != 2) unreachable();
  const n = arrayHeader();
  need(n);
  if (<usize>n > (workEnd - workTop) / 8) unreachable();
  table = workTop;
  tableSize = n;
  workTop += <usize>n * 8;
  for (let i: u32 = 0; i < n; i++) {
    const length = strLength();
    const entry = table + (<usize>i << 3);
    store<u32>(entry, <u32>pos);
    store<u32>(entry, <u32>length, 4);
    pos += length;
  }
  list(0, ITEM_TRACE_V05);
}

/** A string-table index; traps unless it is an int from 0 to the table's size. */
function tableEntry(): usize {
  if (pos >= inEnd) unreachable();
  const b = <u32>load<u8>(pos);
  if (!isInt(b)) unreachable();
  pos++;
  const i = int(b);
  if (i < 0 || i >= <i64>tableSize) unreachable();
  return table + (<usize>i << 3);
}

function tableString(key: bool): void {
  const entry = tableEntry();
  string(load<u32>(entry), load<u32>(entry, 4), key);
}

/** `"name": `, on its own line after the previous field. */
function field(depth: i32, name: usize, length: usize, first: bool): void {
  newline(depth, first ? 0 : 0x2c);
  string(name, length, true);
}

/** A zero int, float or false is written null (the reference's `or None`); true when it was. */
function zeroAsNull(): bool {
  if (pos >= inEnd) unreachable();
  const b = <u32>load<u8>(pos);
  const start = pos;
  let zero = false;
  if (isInt(b)) {
    pos++;
    zero = int(b) == 0;
  } else if (b == 0xcf || b == 0xd3) {
    pos++;
    zero = be64() == 0;
  } else if (b == 0xc2) {
    pos++;
    zero = true;
  } else if (b == 0xca) {
    pos++;
    zero = reinterpret<f32>(be32()) == 0;
  } else if (b == 0xcb) {
    pos++;
    zero = reinterpret<f64>(be64()) == 0;
  }
  if (zero) {
    word(0x6c6c756e); // "null"
    return true;
  }
  pos = start;
  return false;
}

function spanV05(depth: i32): void {
  if (arrayHeader() != 12) unreachable();
  byte(0x7b);
  const d = depth + 1;
  field(d, F_SERVICE, 7, true);
  tableString(false);
  field(d, F_NAME, 4, false);
  tableString(false);
  field(d, F_RESOURCE, 8, false);
  tableString(false);
  field(d, TRACE_ID, 8, false);
  unsignedId(d);
  field(d, SPAN_ID, 7, false);
  unsignedId(d);
  field(d, PARENT_ID, 9, false);
  if (!zeroAsNull()) unsignedId(d);
  field(d, F_START, 5, false);
  value(d);
  field(d, F_DURATION, 8, false);
  if (!zeroAsNull()) value(d);
  field(d, F_ERROR, 5, false);
  value(d);
  field(d, META, 4, false);
  map(d, V05_META);
  field(d, F_METRICS, 7, false);
  map(d, V05_METRICS);
  field(d, F_TYPE, 4, false);
  tableString(false);
  newline(depth, 0);
  byte(0x7d);
}
