/**
 * Bodies held by exchanges in flight (received, not yet recorded), across all listeners. When
 * recording falls behind, memory must not grow with the load: past the limit, listeners stop
 * reading request bodies (TCP then slows the clients down) until recorded exchanges free room.
 * One exchange alone may always go on, however large, so that nothing waits forever.
 */
export class InFlightBodies {
  private bytes = 0;
  private waiting: (() => void)[] = [];

  constructor(readonly limit: number) {}

  get total(): number {
    return this.bytes;
  }

  add(n: number): void {
    this.bytes += n;
  }

  release(n: number): void {
    this.bytes -= n;
    if (this.bytes < this.limit && this.waiting.length > 0) for (const resume of this.waiting.splice(0)) resume();
  }

  /** Whether an exchange holding `own` bytes must stop reading: over the limit, and not alone. */
  mustWait(own: number): boolean {
    return this.bytes > this.limit && this.bytes > own;
  }

  /** Calls `resume` once there is room again. */
  whenRoom(resume: () => void): void {
    if (this.bytes < this.limit) resume();
    else this.waiting.push(resume);
  }
}

/** Default for --buffer-limit: bodies of exchanges in flight, at most, before reading pauses. */
export const DEFAULT_IN_FLIGHT_LIMIT = 32 * 1024 * 1024;
