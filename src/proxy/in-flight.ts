/**
 * Bodies held by exchanges in flight (received, not yet recorded), across all listeners. When
 * recording falls behind, memory must not grow with the load: a request's body is read only
 * once its declared size fits under the limit (TCP then slows the clients down), and an
 * exchange admitted is never paused again — pausing requests half-read would let a set of
 * them fill the budget with none able to finish. One exchange alone is always admitted,
 * however large, so that nothing waits forever.
 */
export class InFlightBodies {
  private bytes = 0;
  private readonly queue: Admission[] = [];

  constructor(readonly limit: number) {}

  get total(): number {
    return this.bytes;
  }

  /** Exchanges waiting to be read. */
  get waiting(): number {
    return this.queue.length;
  }

  /**
   * Calls `start` once `size` bytes (the declared body size) fit, first come first served;
   * returns the exchange's handle for bytes beyond the declared size and for the release.
   */
  admit(size: number, start: () => void): Admission {
    // A declared size reserves at most a quarter of the limit: a client announcing gigabytes
    // (and sending them slowly, or never) must not hold every other exchange up. What it really
    // sends still counts as it arrives.
    const admission = new Admission(this, Math.min(size, Math.floor(this.limit / 4)), start);
    if (this.queue.length === 0 && this.fits(admission.declared)) this.enter(admission);
    else this.queue.push(admission);
    return admission;
  }

  /** @internal */
  grow(n: number): void {
    this.bytes += n;
  }

  /** @internal An admission done with (entered or still queued). */
  leave(admission: Admission, held: number, entered: boolean): void {
    if (!entered) {
      const at = this.queue.indexOf(admission);
      if (at >= 0) this.queue.splice(at, 1);
      return;
    }
    this.bytes -= held;
    while (this.queue.length > 0 && this.fits(this.queue[0].declared)) this.enter(this.queue.shift()!);
  }

  // A reservation is at most a quarter of the limit, so one exchange alone always fits.
  private fits(size: number): boolean {
    return this.bytes + size <= this.limit;
  }

  private enter(admission: Admission): void {
    this.bytes += admission.declared;
    admission.entered = true;
    admission.start();
  }
}

/** One exchange's share of the in-flight bodies. */
export class Admission {
  private held: number;
  private used = 0;
  private done = false;
  /** @internal Set once admitted (its declared size counted). */
  entered = false;

  constructor(
    private readonly bodies: InFlightBodies,
    readonly declared: number,
    /** @internal */ readonly start: () => void,
  ) {
    this.held = declared;
  }

  /** Bytes received or answered; those past the declared size are added to the total. */
  use(n: number): void {
    this.used += n;
    if (this.entered && this.used > this.held) {
      this.bodies.grow(this.used - this.held);
      this.held = this.used;
    }
  }

  /** The exchange is recorded and answered: its bytes are free (once). */
  release(): void {
    if (this.done) return;
    this.done = true;
    this.bodies.leave(this, this.held, this.entered);
  }
}

/** Default for --buffer-limit: bodies of exchanges in flight, at most, before reading pauses. */
export const DEFAULT_IN_FLIGHT_LIMIT = 32 * 1024 * 1024;
