/**
 * Gives a buffer's memory back at once, when the buffer owns its whole ArrayBuffer and the caller
 * is its last user (ArrayBuffer#transfer, Node >= 21; on Node 20 it is left to the GC). Bodies
 * die young, but a thread allocating little on its heap collects seldom: megabytes of them
 * stayed resident between collections. After this the buffer is empty.
 */
export function releaseBuffer(buffer: Uint8Array): void {
  if (!ownsWholeBuffer(buffer)) return;
  const whole = buffer.buffer as ArrayBuffer & { transfer?: (length: number) => ArrayBuffer };
  if (typeof whole.transfer === "function") whole.transfer(0);
}

/** The buffer views all of an ArrayBuffer of its own (not a slice of a pool, nor shared memory): it may be handed over or freed whole. */
export function ownsWholeBuffer(buffer: Uint8Array): boolean {
  return buffer.byteOffset === 0 && buffer.byteLength === buffer.buffer.byteLength && buffer.buffer instanceof ArrayBuffer;
}
