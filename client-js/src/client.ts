import { Backoff } from './backoff.js';
import { Emitter } from './emitter.js';
import { Heartbeat, nextWelcome, watchNetwork } from './liveness.js';
import { RESTARTING, RESTART_JITTER, SwitchboardError, TERMINAL_CLOSE_CODES, errorOfFrame } from './errors.js';
import { TicketRefresher, ticketFor } from './refresh.js';
import { Requests } from './requests.js';
import { Subscriptions } from './subscriptions.js';
import { OPEN, TransportChoice, closeQuietly, socketUrl } from './transport.js';
import type { AnswerFrame, Envelope } from './requests.js';
import type { ReplyStream } from './stream.js';
import type { ResumableStream } from './resumable.js';
import type { Subscription } from './subscription.js';
import type * as Wire from './protocol.js';
import type {
  ClientSettings, DisconnectedEvent, HistoryQuery, HistoryReply, InboundFrame, Json, Message, PingReply, PresenceEvent,
  RequestOptions, ResumeOptions, StreamOptions, SubscribeOptions, SwitchboardEvents, SwitchboardOptions, WebSocketLike, Welcome,
} from './types.js';

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
export class Switchboard extends Emitter<SwitchboardEvents> {
  /** The `welcome` of the current connection (`{connection, session, user, endpoint, node, ts}`), or null. */
  welcome: Welcome | null = null;
  #url: string;
  #options: ClientSettings;
  #backoff: Backoff | null;
  #transports: TransportChoice;
  #requests: Requests;
  #subs: Subscriptions;
  #refresher: TicketRefresher;
  #socket: WebSocketLike | null = null;
  #state: 'connecting' | 'connected' | 'disconnected' = 'disconnected';
  #wanted = false; // true between connect() and close()
  #reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  #welcomeTimer: ReturnType<typeof setTimeout> | undefined;
  #heartbeat: Heartbeat;
  #attempt = 0;
  #lastError: SwitchboardError | null = null;
  #stopped = false; // after close() or a terminal close code, until the next connect()
  #unwatchNetwork: (() => void) | null = null;
  #opened: boolean | null = false; // whether the current attempt's socket opened (null: none tried)

  /**
   * @param url `ws://host:port/ws`, or a path like `/ws` resolved against the page's location
   */
  constructor(url: string, options: SwitchboardOptions = {}) {
    super();
    this.#url = url;
    this.#options = {
      requestTimeout: 10000,
      connectTimeout: 10000,
      heartbeat: { interval: 25000, timeout: 10000 },
      ...options,
    };
    this.#transports = new TransportChoice(this.#options);
    const isOpen = () => this.#state === 'connected' && this.#socket?.readyState === OPEN;
    this.#requests = new Requests({ isOpen, isStopped: () => this.#stopped, send: (envelope) => this.#send(envelope) });
    this.#subs = new Subscriptions(this, {
      isConnected: () => this.#state === 'connected',
      connection: () => this.#socket,
    });
    this.#heartbeat = new Heartbeat(this.#options.heartbeat);
    this.#refresher = new TicketRefresher({
      getToken: this.#options.getToken,
      connection: () => (this.#state === 'connected' ? this.#socket : null),
      request: (type: string, data: unknown) => this.request<{ expiresAt?: number }>(type, data),
      emit: (event: 'refreshed' | 'error', value: never) => this.emit(event, value),
    });
    this.#backoff = options.reconnect === false ? null : new Backoff(options.reconnect || {});
  }

  /** `"connecting"`, `"connected"` or `"disconnected"`. */
  get state(): 'connecting' | 'connected' | 'disconnected' {
    return this.#state;
  }

  /** The transport of the current (or next) connection: `"websocket"` or `"sse"` (the fallback). */
  get transport(): 'websocket' | 'sse' {
    return this.#transports.current;
  }

  /** The authenticated user of the current connection, or null. */
  get user(): string | null {
    return this.welcome ? this.welcome.user : null;
  }

  /** The subscriptions this client keeps, by channel. */
  get subscriptions(): Map<string, Subscription<unknown>> {
    return this.#subs.all();
  }

  /** Starts connecting (and keeps the connection up until `close()`). Resolves at the first welcome. */
  connect(): Promise<Welcome> {
    const connected = this.#state === 'connected' && this.welcome ? Promise.resolve(this.welcome) : nextWelcome(this);
    if (!this.#wanted) {
      this.#wanted = true;
      this.#stopped = false;
      this.#attempt = 0;
      // When the network comes back, skip the rest of the backoff wait.
      this.#unwatchNetwork ??= watchNetwork(() => {
        if (!this.#wanted || !this.#reconnectTimer) return;
        clearTimeout(this.#reconnectTimer);
        this.#reconnectTimer = null;
        void this.#open(0);
      });
      void this.#open(0);
    }
    return connected;
  }

  /** Closes for good (code 1000): no reconnect; pending requests fail with `closed`. */
  close(): void {
    this.#wanted = false;
    this.#stopped = true;
    this.#unwatchNetwork?.();
    this.#unwatchNetwork = null;
    if (this.#reconnectTimer) clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = null;
    const socket = this.#socket;
    if (socket) {
      this.#detach(socket);
      closeQuietly(socket, 1000, 'client closed');
    }
    if (this.#state !== 'disconnected' || socket) {
      this.#lost({ code: 1000, reason: 'client closed' });
    }
  }

  /**
   * Sends `{id, type, data}` and resolves with the reply's `data` (rejects with a SwitchboardError on an
   * `error` reply, `timeout`, or `disconnected`); waits for a connection within its timeout. `resumable: true`
   * returns a ResumableStream: the answer survives drops, reloads (`persist: key`) and node deaths.
   */
  request<C = unknown>(type: string, data: unknown, options: RequestOptions & StreamOptions & { resumable: true }): ResumableStream<C>;
  request<R = unknown>(type: string, data?: unknown, options?: RequestOptions): Promise<R>;
  request(type: string, data?: unknown,
    { timeout = this.#options.requestTimeout, signal, resumable, persist }: RequestOptions & StreamOptions = {}): Promise<unknown> | ReplyStream<unknown> {
    if (resumable) return this.#requests.stream(type, data, { signal, resumable, persist });
    return this.#requests.request(type, data, { timeout, signal });
  }

  /**
   * Sends `{id, type, data}` and returns an async iterator over the streamed reply's chunks.
   * Aborting `signal`, `stream.cancel()` or leaving a `for await` loop early sends `cancel`.
   */
  stream<C = unknown>(type: string, data: unknown, options: StreamOptions & { resumable: true }): ResumableStream<C>;
  stream<C = unknown>(type: string, data?: unknown, options?: StreamOptions): ReplyStream<C>;
  stream(type: string, data?: unknown, options?: StreamOptions): ReplyStream<unknown> {
    return this.#requests.stream(type, data, options);
  }

  /** Follows a stream (`replies/ID`, or any readable Durable Stream) from `offset` (`'-1'`): a ResumableStream. */
  resume<C = unknown>(stream: string, options?: ResumeOptions): ResumableStream<C> {
    return this.#requests.resume(stream, options) as ResumableStream<C>;
  }

  /**
   * Subscribes to a channel (idempotent: the same channel returns the same Subscription). Options:
   * `since` `{offset, epoch}` to recover from a stored position, `presence: true` to keep `members`.
   */
  subscribe<D = Json>(channel: string, options: SubscribeOptions = {}): Subscription<D> {
    return this.#subs.subscribe(channel, options) as Subscription<D>;
  }

  /** Publishes to a channel; resolves with `{channel, offset, epoch, ts}`. */
  publish(channel: string, data: unknown, options?: RequestOptions): Promise<Wire.PublishReply> {
    return this.request<Wire.PublishReply>('publish', { channel, data }, options);
  }
  /** Sends to every connection of a user (all their tabs, on every node). */
  send(user: string, data: unknown, options?: RequestOptions): Promise<Wire.SendReply> {
    return this.request<Wire.SendReply>('send', { user, data }, options);
  }

  /** Sends to every connection on this endpoint (needs the `broadcast` claim). */
  broadcast(data: unknown, { excludeSelf, ...options }: RequestOptions & { excludeSelf?: boolean } = {}): Promise<Wire.BroadcastReply> {
    return this.request<Wire.BroadcastReply>('broadcast', excludeSelf === undefined ? { data } : { data, excludeSelf }, options);
  }

  /** The users present in a channel: `{channel, users: [{user, connections}]}`. */
  presence(channel: string, options?: RequestOptions): Promise<Wire.PresenceReply> {
    return this.request<Wire.PresenceReply>('presence', { channel }, options);
  }
  /** A channel's history `{channel, offset, epoch, publications}`; query: `{since, limit, reverse}`. */
  history<D = Json>(channel: string, query: HistoryQuery = {}, options?: RequestOptions): Promise<HistoryReply<D>> {
    return this.request<HistoryReply<D>>('history', { channel, ...query }, options);
  }

  /** Round trip to the gateway; resolves with `{ts}` (server time). */
  ping(options?: RequestOptions): Promise<PingReply> {
    return this.request<PingReply>('ping', undefined, options);
  }

  /** Sends a text frame as is (for consoles); returns false when no socket is open. */
  sendRaw(text: string): boolean {
    const socket = this.#socket;
    if (!socket || socket.readyState !== OPEN) return false;
    socket.send(text);
    this.emit('frame', { direction: 'out', text });
    return true;
  }

  /** @internal called by Subscription.unsubscribe */
  _unsubscribe(sub: Subscription<unknown>): Promise<void> {
    return this.#subs.unsubscribe(sub);
  }

  /** @internal called by Subscription for every accepted channel message */
  _emitMessage(message: Message<unknown>): void { this.emit('message', message as Message); }

  // ---- connection lifecycle ----

  async #open(delay: number): Promise<void> {
    this.#attempt += 1;
    this.#opened = null; // no socket tried yet: a failing getToken() says nothing about the transport
    const attempt = this.#attempt;
    this.#setState('connecting');
    this.emit('connecting', { attempt, delay });
    let token = this.#options.token;
    if (typeof this.#options.getToken === 'function') {
      try {
        token = await ticketFor(this.#options); // fresh for every attempt: a reconnect an hour later needs one
      } catch (err) {
        if (!this.#wanted || attempt !== this.#attempt) return;
        this.emit('error', err as SwitchboardError);
        this.#lost({ code: 0, reason: `getToken failed: ${(err as Error).message}`, error: err as SwitchboardError });
        return;
      }
      if (!this.#wanted || attempt !== this.#attempt) return;
    }
    let socket: WebSocketLike;
    try {
      socket = this.#transports.open(socketUrl(this.#url, token));
    } catch (err) {
      this.#lost({ code: 0, reason: `cannot open socket: ${(err as Error)?.message || err}`, error: err as Error });
      return;
    }
    this.#socket = socket;
    this.#lastError = null;
    this.#opened = false;
    socket.onopen = () => {
      if (socket === this.#socket) this.#opened = true;
    };
    socket.onmessage = (event) => this.#onFrame(socket, event.data);
    socket.onclose = (event) => {
      if (socket !== this.#socket) return;
      this.#detach(socket);
      this.#lost({ code: event.code, reason: event.reason || this.#lastError?.message || '' });
    };
    socket.onerror = () => {}; // browsers give no detail here; the close event that follows carries the code
    if (this.#options.connectTimeout > 0) {
      this.#welcomeTimer = setTimeout(() => this.#drop(socket, 'no welcome within connectTimeout'), this.#options.connectTimeout);
    }
  }

  /** Abandons a socket we no longer trust (no welcome, no pong) and treats it as a lost connection. */
  #drop(socket: WebSocketLike, reason: string): void {
    if (socket !== this.#socket) return;
    this.#detach(socket);
    closeQuietly(socket);
    this.#lost({ code: 1006, reason });
  }

  #detach(socket: WebSocketLike): void {
    socket.onmessage = socket.onclose = socket.onerror = null;
    // Keep a no-op error listener: some implementations (ws) throw on an unhandled 'error' while closing.
    socket.onerror = () => {};
    if (socket === this.#socket) this.#socket = null;
  }

  #lost({ code, reason, error }: { code: number; reason: string; error?: SwitchboardError | Error }): void {
    this.#transports.attemptEnded({ welcomed: Boolean(this.welcome), opened: this.#opened });
    clearTimeout(this.#welcomeTimer);
    this.#welcomeTimer = undefined;
    this.#heartbeat.stop();
    this.#refresher.cancel();
    this.welcome = null;
    this.#subs.disconnected();
    this.#requests.failSent();
    if (!error && this.#lastError) error = this.#lastError;
    const willReconnect = this.#wanted && this.#backoff !== null && !TERMINAL_CLOSE_CODES.has(code);
    if (!willReconnect) {
      this.#wanted = false;
      this.#stopped = true;
      this.#unwatchNetwork?.();
      this.#unwatchNetwork = null;
      this.#requests.failQueued(new SwitchboardError('closed', `connection closed (${code}${reason ? ': ' + reason : ''})`));
    }
    const delay = !willReconnect ? undefined // a restarting node (1012) spread its closes: back within a second
      : code === RESTARTING ? Math.floor(Math.random() * RESTART_JITTER) : this.#backoff!.next();
    this.#setState(willReconnect ? 'connecting' : 'disconnected');
    const event: DisconnectedEvent = { code, reason, willReconnect };
    if (willReconnect) event.delay = delay;
    if (error) event.error = error;
    this.emit('disconnected', event);
    if (willReconnect) {
      this.#reconnectTimer = setTimeout(() => {
        this.#reconnectTimer = null;
        if (this.#wanted) void this.#open(delay as number);
      }, delay);
    }
  }

  #onWelcome(socket: WebSocketLike, welcome: Welcome): void {
    clearTimeout(this.#welcomeTimer);
    this.#welcomeTimer = undefined;
    this.welcome = welcome;
    this.#backoff?.reset();
    this.#attempt = 0;
    this.#setState('connected');
    this.emit('connected', welcome);
    // Subscriptions first, so recovered messages come before replies to requests queued while offline.
    this.#subs.resubscribe();
    this.#requests.sendQueued();
    this.#heartbeat.start(socket, () => this.#drop(socket, 'heartbeat timeout'));
    this.#refresher.schedule(welcome.expiresAt);
  }

  // ---- frames ----

  #onFrame(socket: WebSocketLike, raw: unknown): void {
    if (socket !== this.#socket) return;
    const text = typeof raw === 'string' ? raw : String(raw);
    if (text === 'pong') {
      this.#heartbeat.pong();
      return; // heartbeat traffic stays out of the `frame` log
    }
    this.emit('frame', { direction: 'in', text });
    let envelope: InboundFrame;
    try {
      envelope = JSON.parse(text) as InboundFrame;
    } catch {
      return; // the bare `pong` of the compatibility shim, or garbage: nothing to route
    }
    if (!envelope || typeof envelope !== 'object') return;
    if (this.#requests.answer(envelope as AnswerFrame)) return;
    switch (envelope.type) {
      case 'welcome':
        this.#onWelcome(socket, (envelope.data && typeof envelope.data === 'object' ? { ...envelope, ...envelope.data } : envelope) as unknown as Welcome);
        break;
      case 'error':
        this.#onError(envelope);
        break;
      case 'message':
        this.#onMessage(envelope as unknown as Message);
        break;
      case 'refresh':
        void this.#refresher.refresh(); // the credential expired: renew it within the gateway's grace period
        break;
      case 'presence':
        this.#subs.get(envelope.channel as string)?._onPresence(envelope as unknown as PresenceEvent);
        this.emit('presence', envelope as unknown as PresenceEvent);
        break;
      default:
        break; // application pushes are visible through the `frame` event
    }
  }

  #onError(envelope: InboundFrame): void {
    const error = errorOfFrame(envelope);
    if (this.#requests.fail(envelope.re, error)) return;
    this.#lastError = error; // e.g. token_invalid just before a 4003 close: for the `disconnected` event
    this.emit('error', error);
  }

  #onMessage(message: Message): void {
    if (!this.#subs.deliver(message)) this.emit('message', message);
  }

  // ---- sending ----

  #send(envelope: Envelope): void {
    const text = JSON.stringify(envelope);
    this.#socket!.send(text);
    this.emit('frame', { direction: 'out', text });
  }

  #setState(state: 'connecting' | 'connected' | 'disconnected'): void {
    if (this.#state === state) return;
    this.#state = state;
    this.emit('state', state);
  }
}
