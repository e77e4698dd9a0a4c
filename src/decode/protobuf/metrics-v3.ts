/**
 * The reference's decode_metrics_v3 (/api/intake/metrics/v3/series): the columnar payload
 * (datadog.dogstatsdhttp.Payload) turned back into v2-like series,
 * {"series": [{"metric", "tags", "type", "interval", "numPoints", "points": [{"value", "timestamp"}]}]},
 * or {} when there is none. Dictionaries hold length-prefixed strings (1-based references,
 * 0 = none), reference columns and timestamps are delta-encoded, tagsets are self-framed.
 */
import { PyFloat, pyFloat, type Json, type JsonObject } from "../../json/value.js";
import { MESSAGES } from "./catalog.js";
import { messageToDict } from "./message-to-dict.js";

const VALUE_TYPE_MASK = 0x30n;
const VALUE_TYPE_ZERO = 0x00n;
const VALUE_TYPE_SINT64 = 0x10n;
const VALUE_TYPE_FLOAT32 = 0x20n;
const VALUE_TYPE_FLOAT64 = 0x30n;

/** MetricData as the raw parse gives it (64-bit columns as bigint, bytes as Buffer). */
interface MetricData {
  dictNameStr?: Buffer;
  dictTagStr?: Buffer;
  dictTagsets?: bigint[];
  types?: bigint[];
  nameRefs?: bigint[];
  tagsetRefs?: bigint[];
  intervals?: bigint[];
  numPoints?: bigint[];
  timestamps?: bigint[];
  valsSint64?: bigint[];
  valsFloat32?: number[];
  valsFloat64?: number[];
}

export function decodeMetricsV3Payload(body: Buffer): JsonObject {
  const payload = messageToDict(MESSAGES.metricsV3Payload, body, { raw: true }) as unknown as { metricData?: MetricData[] };
  const series: Json[] = [];
  for (const data of payload.metricData ?? []) series.push(...decodeMetricData(data));
  return series.length === 0 ? {} : { series };
}

/** A Python int as the dump shows it: a number when exact, else a bigint. */
function pyInt(v: bigint): number | bigint {
  return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
}

/** Varint-length-prefixed strings; a length past the end takes what is left (Python slicing). */
function decodeStringDict(blob: Buffer | undefined): string[] {
  const strings: string[] = [];
  if (!blob) return strings;
  let pos = 0;
  while (pos < blob.length) {
    let length = 0;
    let scale = 1;
    for (;;) {
      if (pos >= blob.length) throw new Error("truncated varint");
      const b = blob[pos++];
      length += (b & 0x7f) * scale;
      scale *= 128;
      if (!(b & 0x80)) break;
    }
    const stop = Math.min(pos + length, blob.length);
    // Python's bytes.decode("utf-8", errors="replace"): Node's decoder replaces alike.
    strings.push(blob.toString("utf8", pos, stop));
    pos += length;
  }
  return strings;
}

/** Tagsets: a count, then that many delta-encoded indexes; a negative one inherits tagset -idx. */
function decodeTagsets(values: bigint[]): bigint[][] {
  const tagsets: bigint[][] = [];
  let pos = 0;
  while (pos < values.length) {
    const count = values[pos++];
    const raw: bigint[] = [];
    let prev = 0n;
    for (let i = 0n; i < count; i++) {
      if (pos >= values.length) throw new Error("IndexError: list index out of range (dictTagsets)");
      prev += values[pos++];
      raw.push(prev);
    }
    const resolved: bigint[] = [];
    for (const idx of raw) {
      if (idx < 0n) {
        const prefix = -idx;
        if (prefix >= 1n && prefix <= BigInt(tagsets.length)) resolved.push(...tagsets[Number(prefix) - 1]);
      } else if (idx > 0n) resolved.push(idx);
    }
    tagsets.push(resolved);
  }
  return tagsets;
}

function accumulate(values: bigint[] | undefined): bigint[] {
  const out: bigint[] = [];
  let prev = 0n;
  for (const delta of values ?? []) out.push((prev += delta));
  return out;
}

/** `list[1-based index]` when in range, else undefined. */
function at<T>(list: T[], oneBased: bigint): T | undefined {
  return oneBased >= 1n && oneBased <= BigInt(list.length) ? list[Number(oneBased) - 1] : undefined;
}

function decodeMetricData(data: MetricData): JsonObject[] {
  const names = decodeStringDict(data.dictNameStr);
  const tagStrings = decodeStringDict(data.dictTagStr);
  const tagsets = decodeTagsets(data.dictTagsets ?? []);
  const nameRefs = accumulate(data.nameRefs);
  const tagsetRefs = accumulate(data.tagsetRefs);
  const types = data.types ?? [];
  const intervals = data.intervals ?? [];
  const numPoints = data.numPoints ?? [];
  const timestamps = accumulate(data.timestamps);
  const columns = new Map<bigint, number[]>([
    [VALUE_TYPE_SINT64, (data.valsSint64 ?? []).map((v) => Number(v))],
    [VALUE_TYPE_FLOAT32, data.valsFloat32 ?? []],
    [VALUE_TYPE_FLOAT64, data.valsFloat64 ?? []],
  ]);
  const cursors = new Map<bigint, number>([
    [VALUE_TYPE_SINT64, 0],
    [VALUE_TYPE_FLOAT32, 0],
    [VALUE_TYPE_FLOAT64, 0],
  ]);
  let timestampCursor = 0;

  // One type per series: the Type column gives the series count.
  const count = types.length || nameRefs.length;
  const series: JsonObject[] = [];
  for (let i = 0; i < count; i++) {
    const metric = at(names, i < nameRefs.length ? nameRefs[i] : 0n) ?? "";
    const tags: Json[] = [];
    for (const index of at(tagsets, i < tagsetRefs.length ? tagsetRefs[i] : 0n) ?? []) {
      const tag = at(tagStrings, index);
      if (tag !== undefined) tags.push(tag);
    }
    const entry: JsonObject = { metric, tags };
    if (i < types.length) entry.type = pyInt(types[i]);
    if (i < intervals.length) entry.interval = pyInt(intervals[i]);
    const pointCount = i < numPoints.length ? Number(numPoints[i]) : 0;
    if (i < numPoints.length) entry.numPoints = pyInt(numPoints[i]);

    if (pointCount > 0) {
      const pointTimestamps = timestamps.slice(timestampCursor, timestampCursor + pointCount);
      timestampCursor += pointCount;
      const valueType = (i < types.length ? types[i] : 0n) & VALUE_TYPE_MASK;
      // The reference makes every value a float (float(v), 0.0 for "zero"), as v2 points are.
      let values: Json[];
      if (valueType === VALUE_TYPE_ZERO) values = Array.from({ length: pointCount }, () => new PyFloat(0));
      else {
        const cursor = cursors.get(valueType) ?? 0;
        values = (columns.get(valueType) ?? []).slice(cursor, cursor + pointCount);
        values = values.map((v) => pyFloat(v as number));
        cursors.set(valueType, cursor + pointCount);
      }
      const n = Math.min(pointTimestamps.length, values.length);
      const points: Json[] = [];
      for (let k = 0; k < n; k++) points.push({ value: values[k], timestamp: pointTimestamps[k].toString() });
      if (points.length > 0) entry.points = points;
    }
    series.push(entry);
  }
  return series;
}
