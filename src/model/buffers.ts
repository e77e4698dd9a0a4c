/**
 * Gives a buffer's memory back at once, when the buffer owns its whole ArrayBuffer and the caller
 * is its last user (ArrayBuffer#transfer, Node >= 21; on Node 20 it is left to the GC). Bodies
 * die young, but a thread allocating little on its heap collects seldom: megabytes of them
 * stayed resident between collections. After this the buffer is empty.
 */
export function releaseBuffer(buffer: Uint8Array): void {
  const whole = buffer.buffer as ArrayBuffer & { transfer?: (length: number) => ArrayBuffer };
  if (buffer.byteOffset === 0 && buffer.byteLength === whole.byteLength && typeof whole.transfer === "function") whole.transfer(0);
}
