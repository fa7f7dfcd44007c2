export class Backoff {
    minDelay;
    maxDelay;
    factor;
    random;
    /** Attempts since the last success. */
    attempt;
    constructor({ minDelay = 500, maxDelay = 15000, factor = 2, random = Math.random } = {}) {
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
    ceiling(attempt) {
        // Cap the exponent so factor^attempt cannot overflow to Infinity after a long outage.
        return Math.min(this.maxDelay, this.minDelay * Math.pow(this.factor, Math.min(attempt, 64)));
    }
    /** The delay before the next attempt; advances the attempt counter. */
    next() {
        const delay = Math.floor(this.random() * this.ceiling(this.attempt));
        this.attempt += 1;
        return delay;
    }
    /** Called once a connection is established: the next outage starts from the smallest window. */
    reset() {
        this.attempt = 0;
    }
}
