/**
 * React bindings for the Switchboard client: `useSwitchboard`, `useChannel`, `useStream`, `useResumableStream`
 * and a provider.
 * Plain `createElement`, no JSX; React is a peer dependency.
 */
import { ResumableStream } from './resumable.js';
import type { ReactElement, ReactNode } from 'react';
import { Switchboard } from './client.js';
import type { SwitchboardError } from './errors.js';
import type * as Wire from './protocol.js';
import type { ChannelMessage, ConnectionState, DisconnectedEvent, Json, PresenceMember, RequestOptions, SubscribedEvent, SwitchboardOptions, Welcome } from './types.js';
export interface UseSwitchboardResult {
    client: Switchboard;
    state: ConnectionState;
    welcome: Welcome | null;
    lastDisconnect: DisconnectedEvent | null;
}
export interface UseChannelOptions {
    client?: Switchboard;
    /** Keep at most this many messages (default 200). */
    limit?: number;
    /** Track the presence list (default true). */
    presence?: boolean;
    /** Load the last n messages from history on subscribe (default 0). */
    history?: number;
}
export interface UseChannelResult<D = Json> {
    messages: ChannelMessage<D>[];
    members: PresenceMember[];
    subscribed: SubscribedEvent | null;
    publish(data: D, options?: RequestOptions): Promise<Wire.PublishReply>;
}
/** `idle`, `streaming`, `complete`, `cancelled`, `error`, or another end reason of the gateway's (`timeout`, `producer_lost`). */
export type StreamStatus = 'idle' | 'streaming' | 'complete' | 'cancelled' | 'error' | 'timeout' | 'producer_lost' | (string & {});
export interface UseStreamResult<C = unknown> {
    chunks: C[];
    status: StreamStatus;
    error: SwitchboardError | Error | null;
    start(type: string, data?: unknown): Promise<void>;
    stop(): void;
}
export interface UseResumableStreamResult<C = unknown> extends UseStreamResult<C> {
    /** The reply being read, once started or found again. */
    stream: ResumableStream<C> | null;
}
/** Makes a client available to `useSwitchboard()`, `useChannel()` and `useStream()` below it. */
export declare function SwitchboardProvider({ client, children }: {
    client: Switchboard;
    children?: ReactNode;
}): ReactElement;
/**
 * With a URL: creates a client for the component's lifetime, connects on mount and closes on unmount.
 * Without: uses the provider's client. Returns `{client, state, welcome, lastDisconnect}` and re-renders on
 * every connection state change.
 */
export declare function useSwitchboard(url?: string, options?: SwitchboardOptions): UseSwitchboardResult;
/**
 * Subscribes to `channel` while mounted (null/undefined: none). Returns `{messages, members, subscribed,
 * publish}`: `messages` is the last `limit` channel messages (recovered ones included, in order),
 * `members` the presence list, `subscribed` the last SubscribedEvent (its `recovered: false` means messages
 * were missed for good: reload history). `history: n` loads the last n messages on subscribe.
 */
export declare function useChannel<D = Json>(channel: string | null | undefined, { client: explicit, limit, presence, history }?: UseChannelOptions): UseChannelResult<D>;
/**
 * A streamed request driven from a component: `start(type, data)` begins (cancelling a running one),
 * `stop()` cancels. Returns `{chunks, status, error, start, stop}`; status is `idle`, `streaming`,
 * `complete`, `cancelled` or `error`. Unmounting cancels.
 */
export declare function useStream<C = unknown>({ client: explicit }?: {
    client?: Switchboard;
}): UseStreamResult<C>;
/**
 * A resumable request driven from a component, that survives a page reload: `start(type, data)` asks for a
 * resumable reply kept under `key` in sessionStorage; mounted again (after a reload), the hook finds it and
 * resumes it from its start, so `chunks` is the whole answer again and then goes on live. `stop()` cancels the
 * reply (its producer stops). Unmounting stops reading but not the reply: it can be resumed later.
 * Returns `{chunks, status, error, start, stop, stream}`.
 */
export declare function useResumableStream<C = unknown>(key: string, { client: explicit }?: {
    client?: Switchboard;
}): UseResumableStreamResult<C>;
