import { SwitchboardError } from './errors.js';
import { ReplyStream } from './stream.js';
import { ResumableStream } from './resumable.js';
import type { RequestOptions, ResumeOptions, StreamOptions } from './types.js';
/** A client frame as the client sends it. */
export interface Envelope {
    id?: string;
    type: string;
    data?: unknown;
    resumable?: boolean;
}
/** The fields of the answer frames (reply, stream, pong, chunk, end) a request reads. */
export interface AnswerFrame {
    type: string;
    re?: string | number;
    data?: unknown;
    stream?: string;
    offset?: string;
    reason?: string;
    ts?: number;
}
/** What the requests need of the client. */
export interface RequestLink {
    /** Welcomed, with the socket open. */
    isOpen(): boolean;
    /** Closed for good. */
    isStopped(): boolean;
    send(envelope: Envelope): void;
}
/**
 * Requests in flight and the ones waiting for a connection: correlation ids, time-outs, aborts, streamed
 * replies, and what becomes of each when the connection drops (sent: failed as `disconnected`, the caller
 * decides whether to retry; not sent yet: kept for the next welcome, or failed as `closed` when no
 * connection will come).
 *
 * `link` is the client's side: `isOpen()` (welcomed and the socket open), `isStopped()` (closed for good),
 * `send(envelope)`.
 */
export declare class Requests {
    #private;
    constructor(link: RequestLink);
    /** Sends `{id, type, data}`; resolves with the reply's data (see `Switchboard.request`). */
    request<R = unknown>(type: string, data: unknown, { timeout, signal }?: RequestOptions): Promise<R>;
    /**
     * Sends `{id, type, data}` and returns the streamed reply (see `Switchboard.stream`); with `resumable`, a
     * ResumableStream (see `Switchboard.request`).
     */
    stream(type: string, data: unknown, { signal, resumable, persist }?: StreamOptions): ReplyStream<unknown>;
    /** Follows stream `stream` from `offset` (its start by default): see `Switchboard.resume`. */
    resume(stream: string, { offset, persist, signal }?: ResumeOptions): ResumableStream<unknown>;
    /** A new connection was welcomed: what waited for it goes out now, in order. */
    sendQueued(): void;
    /**
     * The connection dropped: requests already on the wire may or may not have run; they fail. A resumable
     * reply whose stream is known does not: it is resumed from its offset on the next connection, under a new
     * request id.
     */
    failSent(): void;
    /** No connection will come: what waits for one fails with `error`. */
    failQueued(error: SwitchboardError): void;
    /** Hands an answer frame (`reply`, `pong`, `chunk`, `end`) to its request; false for other frames. */
    answer(envelope: AnswerFrame): boolean;
    /** Fails request `re` with `error` (an error frame's); false when no such request is open. */
    fail(re: string | number | undefined, error: SwitchboardError): boolean;
}
