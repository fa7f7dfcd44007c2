import type { SwitchboardError } from './errors.js';
import { ReplyStream } from './stream.js';
/** Where a resumable reply is: its stream and the offset after the last frame received. */
export interface SavedStream {
    stream: string;
    offset: string | null;
}
/**
 * A resumable reply: a ReplyStream whose answer the gateway writes to a stream (`replies/ID`) as it is
 * produced. It survives the connection: after a drop the client resumes it from the last offset it received,
 * on whichever node it reconnects to, and the chunks continue in order, none lost or repeated. `stream` and
 * `offset` say where it is; with `persist: key` both are kept in sessionStorage until it ends, so a page that
 * reloads can find it again (`Switchboard.savedStream(key)`) and `resume` it.
 */
export declare class ResumableStream<C = unknown> extends ReplyStream<C> {
    #private;
    /** The reply's stream (`replies/ID`), once the gateway said it. */
    stream: string | null;
    /** The offset after the last frame received: where a resume continues. */
    offset: string | null;
    /** @internal */
    constructor(id: string, cancel: () => void, { stream, offset, persist }?: {
        stream?: string | null;
        offset?: string | null;
        persist?: string | null;
    });
    /** @internal where the stream is now */
    _at(stream: string | null | undefined, offset: string | null | undefined): void;
    /** @internal */
    _finish(reason: string | null | undefined, error?: SwitchboardError | null): void;
}
/** What `persist: key` kept: `{stream, offset}`, or null. */
export declare function savedStream(key: string): SavedStream | null;
