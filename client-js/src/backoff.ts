/**
 * Exponential backoff with "full jitter" (AWS architecture blog, 2015): the delay before attempt n is
 * uniform in [0, min(maxDelay, minDelay * factor^n)). Spreading the whole window, rather than adding a
 * little noise to a fixed delay, is what keeps thousands of clients of a restarted gateway from
 * reconnecting in the same millisecond.
 */
export interface ReconnectOptions {
  /** Backoff window of the first retry, ms (default 500). */
  minDelay?: number;
  /** Largest backoff window, ms (default 15000). */
  maxDelay?: number;
  /** Growth of the window per failed attempt (default 2). */
  factor?: number;
  /** The random source, for tests (default Math.random). */
  random?: () => number;
}

export class Backoff {
  readonly minDelay: number;
  readonly maxDelay: number;
  readonly factor: number;
  readonly random: () => number;
  /** Attempts since the last success. */
  attempt: number;

  constructor({ minDelay = 500, maxDelay = 15000, factor = 2, random = Math.random }: ReconnectOptions = {}) {
    if (!(minDelay > 0) || !(maxDelay >= minDelay) || !(factor >= 1)) {
      throw new RangeError(`bad backoff: minDelay=${minDelay} maxDelay=${maxDelay} factor=${factor}`);
    }
    this.minDelay = minDelay;
    this.maxDelay = maxDelay;
    this.factor = factor;
    this.random = random;
    this.attempt = 0;
  }

  /** The upper bound of the window for the given attempt (0-based). */
  ceiling(attempt: number): number {
    // Cap the exponent so factor^attempt cannot overflow to Infinity after a long outage.
    return Math.min(this.maxDelay, this.minDelay * Math.pow(this.factor, Math.min(attempt, 64)));
  }

  /** The delay before the next attempt; advances the attempt counter. */
  next(): number {
    const delay = Math.floor(this.random() * this.ceiling(this.attempt));
    this.attempt += 1;
    return delay;
  }

  /** Called once a connection is established: the next outage starts from the smallest window. */
  reset(): void {
    this.attempt = 0;
  }
}
