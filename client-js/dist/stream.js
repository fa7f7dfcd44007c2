/**
 * A streamed reply: an async iterator over the `data` of each `chunk` frame, finished by the gateway's
 * `end`. Breaking out of a `for await` loop, calling `cancel()`, or aborting the `signal` sends `cancel`;
 * the iterator then ends normally once the gateway confirms with `end` (reason `cancelled`), so a Stop
 * button needs no try/catch. An `error` frame makes the iterator throw a SwitchboardError.
 */
export class ReplyStream {
    /** The request id it answers to (a resumed stream takes its latest request's). */
    id;
    /** `null` while running; then `"complete"`, `"cancelled"` or the gateway's end reason, or `"error"`. */
    endReason = null;
    /** Settles when the stream is over, with why. */
    ended;
    /** @internal */
    _done = false;
    #cancel;
    #buffer = [];
    #waiter = null;
    #error = null;
    #cancelSent = false;
    #resolveEnded;
    /** @internal created by Switchboard.stream */
    constructor(id, cancel) {
        this.id = id;
        this.#cancel = cancel;
        this.ended = new Promise((resolve) => (this.#resolveEnded = resolve));
    }
    /** Asks the gateway to stop; the iterator ends when it confirms (or at once if never sent). */
    cancel() {
        if (this._done || this.#cancelSent)
            return;
        this.#cancelSent = true;
        this.#cancel();
    }
    /** @internal */
    _push(data) {
        if (this._done)
            return;
        if (this.#waiter) {
            const waiter = this.#waiter;
            this.#waiter = null;
            waiter.resolve({ value: data, done: false });
        }
        else {
            this.#buffer.push(data);
        }
    }
    /** @internal the stream is over: `end` frame, error frame, or connection lost */
    _finish(reason, error = null) {
        if (this._done)
            return;
        this._done = true;
        this.endReason = error ? 'error' : reason || 'complete';
        this.#error = error;
        this.#resolveEnded({ reason: this.endReason, error });
        if (this.#waiter) {
            const waiter = this.#waiter;
            this.#waiter = null;
            if (error)
                waiter.reject(error);
            else
                waiter.resolve({ value: undefined, done: true });
        }
    }
    next() {
        if (this.#buffer.length)
            return Promise.resolve({ value: this.#buffer.shift(), done: false });
        if (this._done) {
            if (this.#error) {
                const error = this.#error;
                this.#error = null; // throw once, then behave as a finished iterator
                return Promise.reject(error);
            }
            return Promise.resolve({ value: undefined, done: true });
        }
        return new Promise((resolve, reject) => (this.#waiter = { resolve, reject }));
    }
    /** Called by `for await` on `break`/`return`/`throw` in the loop body. */
    return() {
        this.cancel();
        this.#buffer.length = 0;
        return Promise.resolve({ value: undefined, done: true });
    }
    [Symbol.asyncIterator]() {
        return this;
    }
}
