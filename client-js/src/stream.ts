import type { SwitchboardError } from './errors.js';

interface Waiter<C> {
  resolve: (result: IteratorResult<C>) => void;
  reject: (error: unknown) => void;
}

/**
 * A streamed reply: an async iterator over the `data` of each `chunk` frame, finished by the gateway's
 * `end`. Breaking out of a `for await` loop, calling `cancel()`, or aborting the `signal` sends `cancel`;
 * the iterator then ends normally once the gateway confirms with `end` (reason `cancelled`), so a Stop
 * button needs no try/catch. An `error` frame makes the iterator throw a SwitchboardError.
 */
export class ReplyStream<C = unknown> implements AsyncIterableIterator<C> {
  /** The request id it answers to (a resumed stream takes its latest request's). */
  id: string;
  /** `null` while running; then `"complete"`, `"cancelled"` or the gateway's end reason, or `"error"`. */
  endReason: string | null = null;
  /** Settles when the stream is over, with why. */
  readonly ended: Promise<{ reason: string; error: SwitchboardError | null }>;
  /** @internal */
  _done = false;
  #cancel: () => void;
  #buffer: C[] = [];
  #waiter: Waiter<C> | null = null;
  #error: SwitchboardError | null = null;
  #cancelSent = false;
  #resolveEnded!: (value: { reason: string; error: SwitchboardError | null }) => void;

  /** @internal created by Switchboard.stream */
  constructor(id: string, cancel: () => void) {
    this.id = id;
    this.#cancel = cancel;
    this.ended = new Promise((resolve) => (this.#resolveEnded = resolve));
  }

  /** Asks the gateway to stop; the iterator ends when it confirms (or at once if never sent). */
  cancel(): void {
    if (this._done || this.#cancelSent) return;
    this.#cancelSent = true;
    this.#cancel();
  }

  /** @internal */
  _push(data: C): void {
    if (this._done) return;
    if (this.#waiter) {
      const waiter = this.#waiter;
      this.#waiter = null;
      waiter.resolve({ value: data, done: false });
    } else {
      this.#buffer.push(data);
    }
  }

  /** @internal the stream is over: `end` frame, error frame, or connection lost */
  _finish(reason: string | null | undefined, error: SwitchboardError | null = null): void {
    if (this._done) return;
    this._done = true;
    this.endReason = error ? 'error' : reason || 'complete';
    this.#error = error;
    this.#resolveEnded({ reason: this.endReason, error });
    if (this.#waiter) {
      const waiter = this.#waiter;
      this.#waiter = null;
      if (error) waiter.reject(error);
      else waiter.resolve({ value: undefined, done: true });
    }
  }

  next(): Promise<IteratorResult<C>> {
    if (this.#buffer.length) return Promise.resolve({ value: this.#buffer.shift() as C, done: false });
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
  return(): Promise<IteratorResult<C>> {
    this.cancel();
    this.#buffer.length = 0;
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<C> {
    return this;
  }
}
