import { SwitchboardError } from './errors.js';
import { ReplyStream } from './stream.js';
import { ResumableStream } from './resumable.js';
/**
 * Requests in flight and the ones waiting for a connection: correlation ids, time-outs, aborts, streamed
 * replies, and what becomes of each when the connection drops (sent: failed as `disconnected`, the caller
 * decides whether to retry; not sent yet: kept for the next welcome, or failed as `closed` when no
 * connection will come).
 *
 * `link` is the client's side: `isOpen()` (welcomed and the socket open), `isStopped()` (closed for good),
 * `send(envelope)`.
 */
export class Requests {
    #link;
    #seq = 0;
    #pending = new Map();
    #outbox = []; // envelopes waiting for the next welcome
    constructor(link) {
        this.#link = link;
    }
    /** Sends `{id, type, data}`; resolves with the reply's data (see `Switchboard.request`). */
    request(type, data, { timeout, signal } = {}) {
        if (signal?.aborted)
            return Promise.reject(new SwitchboardError('aborted', `${type} aborted`));
        const id = this.#nextId();
        return new Promise((resolve, reject) => {
            const entry = { type, resolve: resolve, reject, sent: false };
            const fail = (error) => {
                if (!this.#pending.has(id))
                    return;
                this.#forget(id);
                // Tell the gateway we stopped waiting, so a slow handler does not work for nobody.
                if (entry.sent && this.#link.isOpen())
                    this.#link.send({ type: 'cancel', data: { re: id } });
                reject(error);
            };
            if (timeout !== undefined && timeout > 0) {
                entry.timer = setTimeout(() => fail(new SwitchboardError('timeout', `${type} got no answer within ${timeout} ms`, { re: id })), timeout);
            }
            if (signal) {
                const onAbort = () => fail(new SwitchboardError('aborted', `${type} aborted`, { re: id }));
                signal.addEventListener('abort', onAbort, { once: true });
                entry.cleanup = () => signal.removeEventListener('abort', onAbort);
            }
            this.#pending.set(id, entry);
            this.#dispatch({ id, type, data }, entry);
        });
    }
    /**
     * Sends `{id, type, data}` and returns the streamed reply (see `Switchboard.stream`); with `resumable`, a
     * ResumableStream (see `Switchboard.request`).
     */
    stream(type, data, { signal, resumable = false, persist } = {}) {
        const envelope = { id: this.#nextId(), type, data };
        if (resumable)
            envelope.resumable = true;
        return this.#open(envelope, signal, resumable ? { persist } : null);
    }
    /** Follows stream `stream` from `offset` (its start by default): see `Switchboard.resume`. */
    resume(stream, { offset = '-1', persist, signal } = {}) {
        const envelope = { id: this.#nextId(), type: 'resume', data: { stream, offset } };
        return this.#open(envelope, signal, { stream, offset, persist });
    }
    #open(envelope, signal, resumable) {
        const entry = { type: envelope.type, sent: false, resumable: !!resumable };
        const cancel = () => {
            const id = stream.id; // a resumed stream answers to its latest request
            if (!this.#pending.has(id))
                return;
            if (entry.sent && this.#link.isOpen()) {
                this.#link.send({ type: 'cancel', data: { re: id } });
            }
            else {
                // Never reached the gateway: nothing to cancel there.
                this.#forget(id);
                stream._finish('cancelled');
            }
        };
        const stream = resumable ? new ResumableStream(envelope.id, cancel, resumable) : new ReplyStream(envelope.id, cancel);
        const id = envelope.id;
        entry.stream = stream;
        if (signal?.aborted) {
            stream._finish('cancelled');
            return stream;
        }
        if (signal) {
            const onAbort = () => stream.cancel();
            signal.addEventListener('abort', onAbort, { once: true });
            entry.cleanup = () => signal.removeEventListener('abort', onAbort);
        }
        this.#pending.set(id, entry);
        this.#dispatch(envelope, entry);
        return stream;
    }
    /** A new connection was welcomed: what waited for it goes out now, in order. */
    sendQueued() {
        const queued = this.#outbox;
        this.#outbox = [];
        for (const { envelope, entry } of queued) {
            if (this.#pending.has(envelope.id))
                this.#transmit(envelope, entry);
        }
    }
    /**
     * The connection dropped: requests already on the wire may or may not have run; they fail. A resumable
     * reply whose stream is known does not: it is resumed from its offset on the next connection, under a new
     * request id.
     */
    failSent() {
        for (const [id, entry] of [...this.#pending]) {
            if (!entry.sent)
                continue;
            if (entry.resumable && entry.stream?.stream) {
                this.#pending.delete(id);
                const envelope = { id: this.#nextId(), type: 'resume', data: { stream: entry.stream.stream, offset: entry.stream.offset ?? '-1' } };
                entry.stream.id = envelope.id;
                entry.sent = false;
                this.#pending.set(envelope.id, entry);
                this.#outbox.push({ envelope, entry });
                continue;
            }
            this.#forget(id);
            const failure = new SwitchboardError('disconnected', `connection lost before ${entry.type} was answered`, { re: id });
            if (entry.stream)
                entry.stream._finish('disconnected', failure);
            else
                entry.reject?.(failure);
        }
    }
    /** No connection will come: what waits for one fails with `error`. */
    failQueued(error) {
        const queued = this.#outbox;
        this.#outbox = [];
        for (const { envelope } of queued) {
            const entry = this.#pending.get(envelope.id);
            if (!entry)
                continue;
            this.#forget(envelope.id);
            this.#finish(entry, 'error', error);
        }
    }
    /** Hands an answer frame (`reply`, `pong`, `chunk`, `end`) to its request; false for other frames. */
    answer(envelope) {
        switch (envelope.type) {
            case 'reply':
                this.#settle(envelope.re, (entry) => {
                    if (!entry.stream)
                        return entry.resolve?.(envelope.data);
                    entry.stream._at?.(envelope.stream, envelope.offset);
                    entry.stream._push(envelope.data); // a handler that answered at once: one chunk, then the end
                    entry.stream._finish('complete');
                });
                return true;
            case 'stream':
                this.#pending.get(String(envelope.re))?.stream?._at?.(envelope.stream, envelope.offset);
                return true;
            case 'pong':
                if (envelope.re !== undefined)
                    this.#settle(envelope.re, (entry) => entry.resolve?.({ ts: envelope.ts }));
                return true;
            case 'chunk': {
                const stream = this.#pending.get(String(envelope.re))?.stream;
                stream?._at?.(envelope.stream, envelope.offset);
                stream?._push(envelope.data);
                return true;
            }
            case 'end':
                this.#settle(envelope.re, (entry) => {
                    entry.stream?._at?.(envelope.stream, envelope.offset);
                    if (entry.stream)
                        entry.stream._finish(envelope.reason || 'complete');
                    else
                        entry.resolve?.(envelope.data);
                });
                return true;
            default:
                return false;
        }
    }
    /** Fails request `re` with `error` (an error frame's); false when no such request is open. */
    fail(re, error) {
        if (re === undefined || !this.#pending.has(String(re)))
            return false;
        this.#settle(re, (entry) => this.#finish(entry, 'error', error));
        return true;
    }
    #settle(re, action) {
        const id = String(re);
        const entry = this.#pending.get(id);
        if (!entry)
            return;
        this.#forget(id);
        action(entry);
    }
    #nextId() {
        this.#seq += 1;
        return String(this.#seq);
    }
    #dispatch(envelope, entry) {
        if (this.#link.isStopped()) {
            // Nobody will connect again unless the app calls connect(): fail now rather than at the timeout.
            queueMicrotask(() => {
                if (!this.#pending.has(envelope.id))
                    return;
                this.#forget(envelope.id);
                this.#finish(entry, 'error', new SwitchboardError('closed', `${envelope.type}: the client is closed`, { re: envelope.id }));
            });
            return;
        }
        if (this.#link.isOpen())
            this.#transmit(envelope, entry);
        else
            this.#outbox.push({ envelope, entry });
    }
    #transmit(envelope, entry) {
        entry.sent = true;
        this.#link.send(envelope);
    }
    #finish(entry, reason, error) {
        if (entry.stream)
            entry.stream._finish(reason, error);
        else
            entry.reject?.(error);
    }
    #forget(id) {
        const entry = this.#pending.get(id);
        if (!entry)
            return;
        this.#pending.delete(id);
        clearTimeout(entry.timer);
        entry.cleanup?.();
        if (!entry.sent)
            this.#outbox = this.#outbox.filter((queued) => queued.envelope.id !== id);
    }
}
