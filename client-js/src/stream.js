
/**
 * A streamed reply: an async iterator over the `data` of each `chunk` frame, finished by the gateway's
 * `end`. Breaking out of a `for await` loop, calling `cancel()`, or aborting the `signal` sends `cancel`;
 * the iterator then ends normally once the gateway confirms with `end` (reason `cancelled`), so a Stop
 * button needs no try/catch. An `error` frame makes the iterator throw a SwitchboardError.
 */
export class ReplyStream {
  /** @internal created by Switchboard.stream */
  constructor(id, cancel) {
    this.id = id;
    /** `null` while running; then `"complete"`, `"cancelled"` or the gateway's end reason, or `"error"`. */
    this.endReason = null;
    this._cancel = cancel;
    this._buffer = [];
    this._waiter = null;
    this._done = false;
    this._error = null;
    this._cancelSent = false;
    this.ended = new Promise((resolve) => (this._resolveEnded = resolve));
  }

  /** Asks the gateway to stop; the iterator ends when it confirms (or at once if never sent). */
  cancel() {
    if (this._done || this._cancelSent) return;
    this._cancelSent = true;
    this._cancel();
  }

  /** @internal */
  _push(data) {
    if (this._done) return;
    if (this._waiter) {
      const waiter = this._waiter;
      this._waiter = null;
      waiter.resolve({ value: data, done: false });
    } else {
      this._buffer.push(data);
    }
  }

  /** @internal the stream is over: `end` frame, error frame, or connection lost */
  _finish(reason, error = null) {
    if (this._done) return;
    this._done = true;
    this.endReason = error ? 'error' : reason || 'complete';
    this._error = error;
    this._resolveEnded({ reason: this.endReason, error });
    if (this._waiter) {
      const waiter = this._waiter;
      this._waiter = null;
      if (error) waiter.reject(error);
      else waiter.resolve({ value: undefined, done: true });
    }
  }

  next() {
    if (this._buffer.length) return Promise.resolve({ value: this._buffer.shift(), done: false });
    if (this._done) {
      if (this._error) {
        const error = this._error;
        this._error = null; // throw once, then behave as a finished iterator
        return Promise.reject(error);
      }
      return Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve, reject) => (this._waiter = { resolve, reject }));
  }

  /** Called by `for await` on `break`/`return`/`throw` in the loop body. */
  return() {
    this.cancel();
    this._buffer.length = 0;
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator]() {
    return this;
  }
}

