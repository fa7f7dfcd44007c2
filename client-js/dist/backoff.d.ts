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
export declare class Backoff {
    readonly minDelay: number;
    readonly maxDelay: number;
    readonly factor: number;
    readonly random: () => number;
    /** Attempts since the last success. */
    attempt: number;
    constructor({ minDelay, maxDelay, factor, random }?: ReconnectOptions);
    /** The upper bound of the window for the given attempt (0-based). */
    ceiling(attempt: number): number;
    /** The delay before the next attempt; advances the attempt counter. */
    next(): number;
    /** Called once a connection is established: the next outage starts from the smallest window. */
    reset(): void;
}
