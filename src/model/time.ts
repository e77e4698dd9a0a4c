// Wall-clock time in microseconds since the epoch. performance.now() gives sub-millisecond
// resolution; timeOrigin anchors it to the wall clock. (2^53 µs is year 2255: a number is exact.)
export function nowMicros(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000);
}

function split(micros: number): { iso: string; fraction: number } {
  const millis = Math.floor(micros / 1000);
  const iso = new Date(millis).toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  return { iso: iso.slice(0, 19), fraction: micros - Math.floor(micros / 1e6) * 1e6 };
}

/** As Python's datetime.isoformat() in UTC writes it: the fraction is left out when zero. */
export function pythonIsoTimestamp(micros: number): string {
  const { iso, fraction } = split(micros);
  return fraction === 0 ? `${iso}+00:00` : `${iso}.${String(fraction).padStart(6, "0")}+00:00`;
}

/** The flow record's form: always six fraction digits, "Z". */
export function flowTimestamp(micros: number): string {
  const { iso, fraction } = split(micros);
  return `${iso}.${String(fraction).padStart(6, "0")}Z`;
}

const ISO = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:?\d\d)?$/;

/** Parses an ISO 8601 timestamp, keeping microseconds (Date alone keeps milliseconds). */
export function parseTimestamp(text: string): number {
  const m = ISO.exec(text);
  if (!m) throw new Error(`not an ISO 8601 timestamp: ${JSON.stringify(text)}`);
  const zone = m[3] && m[3] !== "Z" ? m[3] : "Z";
  const seconds = Date.parse(`${m[1]}${zone}`);
  if (Number.isNaN(seconds)) throw new Error(`not an ISO 8601 timestamp: ${JSON.stringify(text)}`);
  const fraction = Number((m[2] ?? "").padEnd(6, "0").slice(0, 6));
  return seconds * 1000 + fraction;
}
