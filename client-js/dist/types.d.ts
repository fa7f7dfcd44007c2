import type { SwitchboardError } from './errors.js';
import type * as Wire from './protocol.js';
import type { ReconnectOptions } from './backoff.js';
export type Json = Wire.Json;
/** A position in a channel's history. */
export type StreamPosition = Wire.Position;
/** Sent once a connection is authenticated (or at once on anonymous endpoints, with `user: null`). */
export type Welcome = Wire.WelcomeFrame;
/**
 * A message on a channel (`channel`, `offset`, `epoch` set), to a user (`to`), a broadcast, or to this
 * connection or session only (none of those): one view of the schema's ChannelMessage and AddressedMessage.
 */
export interface Message<D = Json> {
    type: 'message';
    channel?: string;
    offset?: number;
    epoch?: string;
    to?: string;
    broadcast?: boolean;
    ts: number;
    from: string | null;
    data: D;
}
/** A channel message, as delivered to a Subscription. */
export interface ChannelMessage<D = Json> extends Omit<Wire.ChannelMessage, 'data'> {
    data: D;
}
export type PresenceEvent = Wire.PresenceFrame;
export type PresenceMember = Wire.PresenceUser;
/** `since`: an offset; publications after it. `limit` ≤ 1000. `reverse`: newest first. */
export type HistoryQuery = Omit<Wire.HistoryRequest, 'channel'>;
export interface HistoryReply<D = Json> extends Omit<Wire.HistoryReply, 'publications'> {
    publications: ChannelMessage<D>[];
}
/** What `ping()` resolves with: the server's time. */
export interface PingReply {
    ts: number;
}
export type ConnectionState = 'connecting' | 'connected' | 'disconnected';
/** @internal a frame from the gateway, as far as the client routes it */
export type InboundFrame = {
    type?: string;
    re?: string | number;
    data?: unknown;
    error?: {
        code?: string;
        message?: string;
    };
    channel?: string;
} & Record<string, unknown>;
/** The subset of the WebSocket API the client uses (the browser's, Node 22's, or the `ws` package's). */
export interface WebSocketLike {
    readonly readyState: number;
    send(data: string): void;
    close(code?: number, reason?: string): void;
    onopen?: ((event: unknown) => void) | null;
    onmessage: ((event: {
        data: unknown;
    }) => void) | null;
    onclose: ((event: {
        code: number;
        reason: string;
    }) => void) | null;
    onerror: ((event: unknown) => void) | null;
}
export type WebSocketConstructor = new (url: string) => WebSocketLike;
export interface SwitchboardOptions {
    /** A fixed ticket (JWT). Prefer getToken: tickets expire. */
    token?: string;
    /** Called before every connection attempt; returns a fresh ticket. */
    getToken?: () => string | Promise<string>;
    /** WebSocket implementation where there is no global one (Node 20: `import WebSocket from 'ws'`). */
    WebSocket?: WebSocketConstructor | (new (url: string) => unknown);
    /**
     * "auto" (default): WebSocket, falling back to Server-Sent Events (`/sse`) when a WebSocket cannot open;
     * "websocket" or "sse" to force one. The subscription and request API is the same on both.
     */
    transport?: 'auto' | 'websocket' | 'sse';
    /** EventSource implementation for the SSE transport (default: the global one, as in browsers). */
    EventSource?: new (url: string, init?: {
        withCredentials?: boolean;
    }) => unknown;
    /** fetch implementation for the SSE transport's sends (default: the global one). */
    fetch?: typeof fetch;
    /** Backoff settings, or false to never reconnect. */
    reconnect?: ReconnectOptions | false;
    /** Default request timeout, ms (default 10000; 0 = none). */
    requestTimeout?: number;
    /** How long to wait for `welcome` after opening the socket, ms (default 10000; 0 = forever). */
    connectTimeout?: number;
    /** Application-level ping to detect half-open connections (default {interval: 25000, timeout: 10000}). */
    heartbeat?: {
        interval: number;
        timeout: number;
    } | false;
}
/** @internal the options after the client's defaults */
export type ClientSettings = SwitchboardOptions & {
    requestTimeout: number;
    connectTimeout: number;
};
export interface RequestOptions {
    /** ms; default from SwitchboardOptions.requestTimeout. On expiry the promise rejects with code `timeout`. */
    timeout?: number;
    signal?: AbortSignal;
}
export interface StreamOptions {
    /** Aborting sends `cancel`; the iterator then ends with `endReason === "cancelled"`. */
    signal?: AbortSignal;
    /** Ask for a resumable reply: it is written to a stream and survives disconnects and node deaths. */
    resumable?: boolean;
    /** With `resumable`: keep `{stream, offset}` in sessionStorage under this key until the reply ends. */
    persist?: string;
}
export interface ResumeOptions {
    /** Where to continue: "-1" (the start, the default) or an offset the gateway gave. */
    offset?: string;
    persist?: string;
    signal?: AbortSignal;
}
export interface ConnectingEvent {
    attempt: number;
    delay: number;
}
export interface DisconnectedEvent {
    /** WebSocket close code (1006 when the socket just vanished; 0 when no socket was opened). */
    code: number;
    reason: string;
    willReconnect: boolean;
    /** Backoff wait before the next attempt, when willReconnect. */
    delay?: number;
    error?: SwitchboardError | Error;
}
export interface FrameEvent {
    direction: 'in' | 'out';
    text: string;
}
export interface SwitchboardEvents {
    state: ConnectionState;
    connecting: ConnectingEvent;
    connected: Welcome;
    disconnected: DisconnectedEvent;
    message: Message;
    presence: PresenceEvent;
    error: SwitchboardError;
    /** The ticket was renewed in place (`refresh`), without reconnecting. */
    refreshed: {
        expiresAt: number;
    };
    frame: FrameEvent;
}
/** A typed event emitter; `on` returns a function that removes the listener. */
export interface SubscribeOptions {
    /** Recover from a stored position on the first subscribe. */
    since?: StreamPosition;
    /** Keep `members` up to date (presence query after each subscribe, then join/leave events). */
    presence?: boolean;
}
export interface SubscribedEvent {
    channel: string;
    offset: number;
    epoch: string;
    /** undefined when no `since` was sent; false when the gateway could not replay what was missed. */
    recovered: boolean | undefined;
    /** true after a reconnect. */
    resubscribed: boolean;
    /** How many missed publications were replayed. */
    replayed: number;
}
export interface SubscriptionEvents<D = Json> {
    subscribed: SubscribedEvent;
    message: ChannelMessage<D>;
    presence: PresenceEvent;
    members: PresenceMember[];
    error: SwitchboardError;
    unsubscribed: {
        channel: string;
    };
}
/** A channel subscription that survives reconnects. */
