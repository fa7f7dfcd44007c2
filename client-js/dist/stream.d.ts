import type { SwitchboardError } from './errors.js';
/**
 * A streamed reply: an async iterator over the `data` of each `chunk` frame, finished by the gateway's
 * `end`. Breaking out of a `for await` loop, calling `cancel()`, or aborting the `signal` sends `cancel`;
 * the iterator then ends normally once the gateway confirms with `end` (reason `cancelled`), so a Stop
 * button needs no try/catch. An `error` frame makes the iterator throw a SwitchboardError.
 */
export declare class ReplyStream<C = unknown> implements AsyncIterableIterator<C> {
    #private;
    /** The request id it answers to (a resumed stream takes its latest request's). */
    id: string;
    /** `null` while running; then `"complete"`, `"cancelled"` or the gateway's end reason, or `"error"`. */
    endReason: string | null;
    /** Settles when the stream is over, with why. */
    readonly ended: Promise<{
        reason: string;
        error: SwitchboardError | null;
    }>;
    /** @internal */
    _done: boolean;
    /** @internal created by Switchboard.stream */
    constructor(id: string, cancel: () => void);
    /** Asks the gateway to stop; the iterator ends when it confirms (or at once if never sent). */
    cancel(): void;
    /** @internal */
    _push(data: C): void;
    /** @internal the stream is over: `end` frame, error frame, or connection lost */
    _finish(reason: string | null | undefined, error?: SwitchboardError | null): void;
    next(): Promise<IteratorResult<C>>;
    /** Called by `for await` on `break`/`return`/`throw` in the loop body. */
    return(): Promise<IteratorResult<C>>;
    [Symbol.asyncIterator](): AsyncIterableIterator<C>;
}
