import { Emitter } from './emitter.js';
import type { ReplyStream } from './stream.js';
import type { ResumableStream } from './resumable.js';
import type { Subscription } from './subscription.js';
import type * as Wire from './protocol.js';
import type { HistoryQuery, HistoryReply, Json, Message, PingReply, RequestOptions, ResumeOptions, StreamOptions, SubscribeOptions, SwitchboardEvents, SwitchboardOptions, Welcome } from './types.js';
/**
 * A connection to a Switchboard gateway that keeps itself alive: it reconnects with exponential backoff
 * and full jitter, fetches a fresh ticket for every attempt, re-subscribes its channels from the last
 * position seen, and correlates requests, replies and streamed replies.
 *
 * Events (`client.on(name, fn)` returns an unsubscribe function):
 * - `state`        the new state: `"connecting" | "connected" | "disconnected"`
 * - `connecting`   `{attempt, delay}` before each attempt (delay is the backoff wait that preceded it)
 * - `connected`    the `welcome` frame: `{connection, session, user, endpoint, node, ts}`
 * - `disconnected` `{code, reason, willReconnect, delay?, error?}` whenever a connection ends or fails
 * - `message`      every message push: channel messages (after de-duplication), direct and broadcast ones
 * - `presence`     every presence event `{channel, event: "join"|"leave", user, ts}`
 * - `error`        error frames that answer no request, and failures of `getToken()`
 * - `refreshed`    `{expiresAt}` after the connection's ticket was renewed in place (no reconnect)
 * - `frame`        `{direction: "in"|"out", text}` for every frame (for consoles and debugging)
 */
export declare class Switchboard extends Emitter<SwitchboardEvents> {
    #private;
    /** The `welcome` of the current connection (`{connection, session, user, endpoint, node, ts}`), or null. */
    welcome: Welcome | null;
    /**
     * @param url `ws://host:port/ws`, or a path like `/ws` resolved against the page's location
     */
    constructor(url: string, options?: SwitchboardOptions);
    /** `"connecting"`, `"connected"` or `"disconnected"`. */
    get state(): 'connecting' | 'connected' | 'disconnected';
    /** The transport of the current (or next) connection: `"websocket"` or `"sse"` (the fallback). */
    get transport(): 'websocket' | 'sse';
    /** The authenticated user of the current connection, or null. */
    get user(): string | null;
    /** The subscriptions this client keeps, by channel. */
    get subscriptions(): Map<string, Subscription<unknown>>;
    /** Starts connecting (and keeps the connection up until `close()`). Resolves at the first welcome. */
    connect(): Promise<Welcome>;
    /** Closes for good (code 1000): no reconnect; pending requests fail with `closed`. */
    close(): void;
    /**
     * Sends `{id, type, data}` and resolves with the reply's `data` (rejects with a SwitchboardError on an
     * `error` reply, `timeout`, or `disconnected`); waits for a connection within its timeout. `resumable: true`
     * returns a ResumableStream: the answer survives drops, reloads (`persist: key`) and node deaths.
     */
    request<C = unknown>(type: string, data: unknown, options: RequestOptions & StreamOptions & {
        resumable: true;
    }): ResumableStream<C>;
    request<R = unknown>(type: string, data?: unknown, options?: RequestOptions): Promise<R>;
    /**
     * Sends `{id, type, data}` and returns an async iterator over the streamed reply's chunks.
     * Aborting `signal`, `stream.cancel()` or leaving a `for await` loop early sends `cancel`.
     */
    stream<C = unknown>(type: string, data: unknown, options: StreamOptions & {
        resumable: true;
    }): ResumableStream<C>;
    stream<C = unknown>(type: string, data?: unknown, options?: StreamOptions): ReplyStream<C>;
    /** Follows a stream (`replies/ID`, or any readable Durable Stream) from `offset` (`'-1'`): a ResumableStream. */
    resume<C = unknown>(stream: string, options?: ResumeOptions): ResumableStream<C>;
    /**
     * Subscribes to a channel (idempotent: the same channel returns the same Subscription). Options:
     * `since` `{offset, epoch}` to recover from a stored position, `presence: true` to keep `members`.
     */
    subscribe<D = Json>(channel: string, options?: SubscribeOptions): Subscription<D>;
    /** Publishes to a channel; resolves with `{channel, offset, epoch, ts}`. */
    publish(channel: string, data: unknown, options?: RequestOptions): Promise<Wire.PublishReply>;
    /** Sends to every connection of a user (all their tabs, on every node). */
    send(user: string, data: unknown, options?: RequestOptions): Promise<Wire.SendReply>;
    /** Sends to every connection on this endpoint (needs the `broadcast` claim). */
    broadcast(data: unknown, { excludeSelf, ...options }?: RequestOptions & {
        excludeSelf?: boolean;
    }): Promise<Wire.BroadcastReply>;
    /** The users present in a channel: `{channel, users: [{user, connections}]}`. */
    presence(channel: string, options?: RequestOptions): Promise<Wire.PresenceReply>;
    /** A channel's history `{channel, offset, epoch, publications}`; query: `{since, limit, reverse}`. */
    history<D = Json>(channel: string, query?: HistoryQuery, options?: RequestOptions): Promise<HistoryReply<D>>;
    /** Round trip to the gateway; resolves with `{ts}` (server time). */
    ping(options?: RequestOptions): Promise<PingReply>;
    /** Sends a text frame as is (for consoles); returns false when no socket is open. */
    sendRaw(text: string): boolean;
    /** @internal called by Subscription.unsubscribe */
    _unsubscribe(sub: Subscription<unknown>): Promise<void>;
    /** @internal called by Subscription for every accepted channel message */
    _emitMessage(message: Message<unknown>): void;
}
