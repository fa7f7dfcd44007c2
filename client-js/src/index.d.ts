// Type declarations for the Switchboard client SDK. The wire protocol's types are generated from the one
// protocol schema into ./protocol.d.ts (re-exported here: Welcome frames, replies, requests, error and close
// codes, hook bodies); this file declares the SDK's API over them, generic in the data where the API is.
import type * as Wire from './protocol.js';
export type * from './protocol.js';

export type Json = Wire.Json;

/** A position in a channel's history. */
export type StreamPosition = Wire.Position;

/** Codes raised by the client itself. */
export type ClientErrorCode = 'timeout' | 'disconnected' | 'closed' | 'aborted' | 'token_unavailable';

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
export interface PingReply { ts: number }

// ---------------------------------------------------------------- the client

export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

export interface ReconnectOptions {
  /** Backoff window of the first retry, ms (default 500). */
  minDelay?: number;
  /** Largest window, ms (default 15000). */
  maxDelay?: number;
  /** Window growth per attempt (default 2). */
  factor?: number;
  /** Random source in [0, 1) (default Math.random); for tests. */
  random?: () => number;
}

/** The subset of the WebSocket API the client uses (the browser's, Node 22's, or the `ws` package's). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
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
  EventSource?: new (url: string, init?: { withCredentials?: boolean }) => unknown;
  /** fetch implementation for the SSE transport's sends (default: the global one). */
  fetch?: typeof fetch;
  /** Backoff settings, or false to never reconnect. */
  reconnect?: ReconnectOptions | false;
  /** Default request timeout, ms (default 10000; 0 = none). */
  requestTimeout?: number;
  /** How long to wait for `welcome` after opening the socket, ms (default 10000; 0 = forever). */
  connectTimeout?: number;
  /** Application-level ping to detect half-open connections (default {interval: 25000, timeout: 10000}). */
  heartbeat?: { interval: number; timeout: number } | false;
}

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

export interface ConnectingEvent { attempt: number; delay: number }
export interface DisconnectedEvent {
  /** WebSocket close code (1006 when the socket just vanished; 0 when no socket was opened). */
  code: number;
  reason: string;
  willReconnect: boolean;
  /** Backoff wait before the next attempt, when willReconnect. */
  delay?: number;
  error?: SwitchboardError | Error;
}
export interface FrameEvent { direction: 'in' | 'out'; text: string }

export interface SwitchboardEvents {
  state: ConnectionState;
  connecting: ConnectingEvent;
  connected: Welcome;
  disconnected: DisconnectedEvent;
  message: Message;
  presence: PresenceEvent;
  error: SwitchboardError;
  /** The ticket was renewed in place (`refresh`), without reconnecting. */
  refreshed: { expiresAt: number };
  frame: FrameEvent;
}

/** A typed event emitter; `on` returns a function that removes the listener. */
export declare class Emitter<E> {
  on<K extends keyof E>(event: K, listener: (value: E[K]) => void): () => void;
  once<K extends keyof E>(event: K, listener: (value: E[K]) => void): () => void;
  off<K extends keyof E>(event: K, listener: (value: E[K]) => void): void;
  emit<K extends keyof E>(event: K, value: E[K]): void;
}

/** A connection to a gateway that reconnects, re-subscribes and recovers by itself. */
export declare class Switchboard extends Emitter<SwitchboardEvents> {
  constructor(url: string, options?: SwitchboardOptions);
  readonly state: ConnectionState;
  /** The transport of the current (or next) connection. */
  readonly transport: 'websocket' | 'sse';
  readonly welcome: Welcome | null;
  readonly user: string | null;
  readonly subscriptions: Map<string, Subscription>;
  /** Starts connecting and keeps reconnecting until close(); resolves at the first welcome. */
  connect(): Promise<Welcome>;
  /** Closes with 1000; no reconnect. */
  close(): void;
  request<C = unknown>(type: string, data: unknown, options: RequestOptions & StreamOptions & { resumable: true }): ResumableStream<C>;
  request<R = unknown>(type: string, data?: unknown, options?: RequestOptions): Promise<R>;
  stream<C = unknown>(type: string, data: unknown, options: StreamOptions & { resumable: true }): ResumableStream<C>;
  stream<C = unknown>(type: string, data?: unknown, options?: StreamOptions): ReplyStream<C>;
  /** Follows a stream (a resumable reply's `replies/ID`, or a readable Durable Stream) from an offset. */
  resume<C = unknown>(stream: string, options?: ResumeOptions): ResumableStream<C>;
  subscribe<D = Json>(channel: string, options?: SubscribeOptions): Subscription<D>;
  publish(channel: string, data: unknown, options?: RequestOptions): Promise<Wire.PublishReply>;
  send(user: string, data: unknown, options?: RequestOptions): Promise<Record<string, never>>;
  broadcast(data: unknown, options?: RequestOptions & { excludeSelf?: boolean }): Promise<Record<string, never>>;
  presence(channel: string, options?: RequestOptions): Promise<Wire.PresenceReply>;
  history<D = Json>(channel: string, query?: HistoryQuery, options?: RequestOptions): Promise<HistoryReply<D>>;
  ping(options?: RequestOptions): Promise<PingReply>;
  /** Sends a text frame as is; false when no socket is open. */
  sendRaw(text: string): boolean;
}

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
  unsubscribed: { channel: string };
}

/** A channel subscription that survives reconnects. */
export declare class Subscription<D = Json> extends Emitter<SubscriptionEvents<D>> {
  readonly client: Switchboard;
  readonly channel: string;
  /** The last position seen, or null before the first subscribe reply. */
  readonly position: StreamPosition | null;
  readonly active: boolean;
  readonly closed: boolean;
  readonly trackPresence: boolean;
  readonly members: Map<string, number>;
  readonly memberList: PresenceMember[];
  publish(data: D, options?: RequestOptions): Promise<Wire.PublishReply>;
  presence(options?: RequestOptions): Promise<Wire.PresenceReply>;
  history(query?: HistoryQuery, options?: RequestOptions): Promise<HistoryReply<D>>;
  unsubscribe(): Promise<void>;
}

/** A streamed reply: `for await (const chunk of stream)`. */
export declare class ReplyStream<C = unknown> implements AsyncIterableIterator<C> {
  readonly id: string;
  /** null while running; then "complete", "cancelled", another end reason, "disconnected" or "error". */
  readonly endReason: string | null;
  /** Resolves when the stream is over. */
  readonly ended: Promise<{ reason: string; error: SwitchboardError | null }>;
  cancel(): void;
  next(): Promise<IteratorResult<C>>;
  return(): Promise<IteratorResult<C>>;
  [Symbol.asyncIterator](): AsyncIterableIterator<C>;
}

/** A resumable reply (or a resumed stream): survives disconnects, reloads and node deaths. */
export declare class ResumableStream<C = unknown> extends ReplyStream<C> {
  /** The reply's stream (`replies/ID`), null until the gateway announced it. */
  readonly stream: string | null;
  /** The offset after the last chunk received: where a resume continues. */
  readonly offset: string | null;
}

/** What `persist: key` kept in sessionStorage, or null. */
export declare function savedStream(key: string): { stream: string; offset: string | null } | null;

/** Exponential backoff with full jitter. */
export declare class Backoff {
  constructor(options?: ReconnectOptions);
  readonly attempt: number;
  ceiling(attempt: number): number;
  next(): number;
  reset(): void;
}

/** An error from the gateway or the client. */
export declare class SwitchboardError extends Error {
  constructor(code: string, message?: string, details?: { re?: string; data?: unknown });
  readonly code: Wire.ErrorCode | ClientErrorCode;
  readonly re?: string;
  readonly data?: unknown;
}

/** Close codes after which the client does not reconnect: 4003, 4009 (and its own close()). */
export declare const TERMINAL_CLOSE_CODES: ReadonlySet<number>;

// ---------------------------------------------------------------- one connection per browser

export interface SharedSwitchboardOptions extends SwitchboardOptions {
  /**
   * How the tabs share: "worker" (a SharedWorker holds the socket), "leader" (a tab elected with Web Locks
   * holds it, the others reach it over a BroadcastChannel; a closed leader hands over with recovery), or
   * "auto" (the default: worker where SharedWorker exists, else leader).
   */
  shared?: 'auto' | 'worker' | 'leader';
}

/** One tab's subscription through the shared connection: a Subscription's events and methods. */
export declare class RemoteSubscription<D = Json> extends Emitter<SubscriptionEvents<D>> {
  readonly channel: string;
  readonly position: StreamPosition | null;
  readonly active: boolean;
  readonly closed: boolean;
  readonly trackPresence: boolean;
  publish(data: D, options?: RequestOptions): Promise<Wire.PublishReply>;
  presence(options?: RequestOptions): Promise<Wire.PresenceReply>;
  history(query?: HistoryQuery, options?: RequestOptions): Promise<HistoryReply<D>>;
  unsubscribe(): Promise<void>;
}

/**
 * Switchboard's API over one WebSocket shared by every tab of the origin (per gateway URL): subscriptions
 * reference-counted across tabs, tickets asked of the tabs, a tab's close never ending another's streams.
 */
export declare class SharedSwitchboard extends Emitter<SwitchboardEvents> {
  constructor(url: string, options?: SharedSwitchboardOptions);
  readonly mode: 'worker' | 'leader';
  /** Whether this tab holds the connection (leader mode). */
  leading(): boolean;
  readonly state: ConnectionState;
  readonly welcome: Welcome | null;
  readonly user: string | null;
  connect(): Promise<Welcome>;
  /** Leaves: this tab's subscriptions and streams end; the other tabs keep the connection. */
  close(): void;
  subscribe<D = Json>(channel: string, options?: SubscribeOptions): RemoteSubscription<D>;
  request<R = unknown>(type: string, data?: unknown, options?: RequestOptions): Promise<R>;
  stream<C = unknown>(type: string, data?: unknown, options?: { signal?: AbortSignal }): ReplyStream<C>;
  publish(channel: string, data: unknown, options?: RequestOptions): Promise<Wire.PublishReply>;
  send(user: string, data: unknown, options?: RequestOptions): Promise<Record<string, never>>;
  broadcast(data: unknown, options?: RequestOptions & { excludeSelf?: boolean }): Promise<Record<string, never>>;
  presence(channel: string, options?: RequestOptions): Promise<Wire.PresenceReply>;
  history<D = Json>(channel: string, query?: HistoryQuery, options?: RequestOptions): Promise<HistoryReply<D>>;
  ping(options?: RequestOptions): Promise<PingReply>;
}

/** Which sharing this browser allows for `wanted`, or null. */
export declare function sharingMode(wanted?: 'auto' | 'worker' | 'leader'): 'worker' | 'leader' | null;
