import { Backoff } from './backoff.js';
import { Emitter } from './emitter.js';
import { EventStreamSocket } from './event-stream.js';
import { SwitchboardError, TERMINAL_CLOSE_CODES } from './errors.js';
import { ReplyStream } from './stream.js';
import { Subscription } from './subscription.js';

/** Subscribe refusals that mean "not now": retried, not surfaced as the end of the subscription. */
const TRANSIENT_REFUSALS = new Set(['unavailable', 'rate_limited']);

const OPEN = 1; // WebSocket.OPEN, the same in every implementation

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
export class Switchboard extends Emitter {
  #url;
  #options;
  #WebSocket;
  #backoff;
  #socket = null;
  #state = 'disconnected';
  #seq = 0;
  #pending = new Map(); // id → {resolve, reject, timer, stream?, sent}
  #outbox = []; // envelopes waiting for the next welcome
  #subs = new Map(); // channel → Subscription
  #wanted = false; // true between connect() and close()
  #reconnectTimer = null;
  #welcomeTimer = null;
  #heartbeatTimer = null;
  #pongTimer = null;
  #refreshTimer = null;
  #refreshing = false;
  #attempt = 0;
  #lastError = null;
  #stopped = false; // after close() or a terminal close code, until the next connect()
  #unwatchNetwork = null;
  #transport = 'websocket'; // what the next attempt uses
  #canFallBack = false; // transport "auto" with both a WebSocket and an EventSource to choose from
  #opened = false; // whether the current attempt's socket opened

  /**
   * @param {string} url `ws://host:port/ws`, or a path like `/ws` resolved against the page's location
   * @param {import('./index.js').SwitchboardOptions} [options]
   */
  constructor(url, options = {}) {
    super();
    this.#url = url;
    this.#options = {
      requestTimeout: 10000,
      connectTimeout: 10000,
      heartbeat: { interval: 25000, timeout: 10000 },
      ...options,
    };
    this.#WebSocket = options.WebSocket || globalThis.WebSocket;
    const mode = this.#options.transport || 'auto';
    if (!['auto', 'websocket', 'sse'].includes(mode)) {
      throw new TypeError(`transport must be "auto", "websocket" or "sse", not ${mode}`);
    }
    const hasEventSource = typeof (options.EventSource || globalThis.EventSource) === 'function';
    if (mode === 'sse' || (mode === 'auto' && typeof this.#WebSocket !== 'function' && hasEventSource)) {
      this.#transport = 'sse';
    } else if (typeof this.#WebSocket !== 'function') {
      throw new TypeError(
        'No WebSocket implementation: pass {WebSocket} (e.g. the "ws" package) on Node versions without a global one',
      );
    }
    this.#canFallBack = mode === 'auto' && hasEventSource && typeof this.#WebSocket === 'function';
    this.#backoff = options.reconnect === false ? null : new Backoff(options.reconnect || {});
    /** The `welcome` of the current connection (`{connection, session, user, endpoint, node, ts}`), or null. */
    this.welcome = null;
  }

  /** `"connecting"`, `"connected"` or `"disconnected"`. */
  get state() {
    return this.#state;
  }

  /** The transport of the current (or next) connection: `"websocket"` or `"sse"` (the fallback). */
  get transport() {
    return this.#transport;
  }

  /** The authenticated user of the current connection, or null. */
  get user() {
    return this.welcome ? this.welcome.user : null;
  }

  /** The subscriptions this client keeps, by channel. */
  get subscriptions() {
    return new Map(this.#subs);
  }

  /** Starts connecting (and keeps the connection up until `close()`). Resolves at the first welcome. */
  connect() {
    const connected = this.#state === 'connected'
      ? Promise.resolve(this.welcome)
      : new Promise((resolve, reject) => {
        const offConnected = this.once('connected', (welcome) => {
          offDisconnected();
          resolve(welcome);
        });
        const offDisconnected = this.on('disconnected', (event) => {
          if (event.willReconnect) return;
          offConnected();
          offDisconnected();
          reject(new SwitchboardError(event.error?.code || 'closed', event.reason || `closed with ${event.code}`));
        });
      });
    // Callers often fire and forget connect(): don't let a refused ticket become an unhandled rejection.
    connected.catch(() => {});
    if (!this.#wanted) {
      this.#wanted = true;
      this.#stopped = false;
      this.#attempt = 0;
      this.#watchNetwork();
      this.#open(0);
    }
    return connected;
  }

  /** Closes for good (code 1000): no reconnect; pending requests fail with `closed`. */
  close() {
    this.#wanted = false;
    this.#stopped = true;
    this.#unwatchNetwork?.();
    this.#unwatchNetwork = null;
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = null;
    const socket = this.#socket;
    if (socket) {
      this.#detach(socket);
      try {
        socket.close(1000, 'client closed');
      } catch {
        // already closing
      }
    }
    if (this.#state !== 'disconnected' || socket) {
      this.#lost({ code: 1000, reason: 'client closed' });
    }
  }

  /**
   * Sends `{id, type, data}` and resolves with the reply's `data` (rejects with a SwitchboardError on an
   * `error` reply, on `timeout`, or `disconnected` if the connection drops before the answer). Requests made
   * while (re)connecting wait for the connection, within their timeout.
   */
  request(type, data, { timeout = this.#options.requestTimeout, signal } = {}) {
    if (signal?.aborted) return Promise.reject(new SwitchboardError('aborted', `${type} aborted`));
    const id = this.#nextId();
    return new Promise((resolve, reject) => {
      const entry = { type, resolve, reject, timer: null, sent: false };
      const fail = (error) => {
        if (!this.#pending.has(id)) return;
        this.#forget(id);
        if (entry.sent && this.#socket?.readyState === OPEN && this.#state === 'connected') {
          // Tell the gateway we stopped waiting, so a slow handler does not work for nobody.
          this.#send({ type: 'cancel', data: { re: id } });
        }
        reject(error);
      };
      if (timeout > 0) {
        entry.timer = setTimeout(
          () => fail(new SwitchboardError('timeout', `${type} got no answer within ${timeout} ms`, { re: id })),
          timeout,
        );
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
   * Sends `{id, type, data}` and returns an async iterator over the streamed reply's chunks.
   * Aborting `signal`, `stream.cancel()` or leaving a `for await` loop early sends `cancel`.
   */
  stream(type, data, { signal } = {}) {
    const id = this.#nextId();
    const entry = { type, sent: false, timer: null };
    const stream = new ReplyStream(id, () => {
      if (!this.#pending.has(id)) return;
      if (entry.sent && this.#state === 'connected') {
        this.#send({ type: 'cancel', data: { re: id } });
      } else {
        // Never reached the gateway: nothing to cancel there.
        this.#forget(id);
        stream._finish('cancelled');
      }
    });
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
    this.#dispatch({ id, type, data }, entry);
    return stream;
  }

  /**
   * Subscribes to a channel (idempotent: the same channel returns the same Subscription). Options:
   * `since` `{offset, epoch}` to recover from a stored position, `presence: true` to keep `members`.
   */
  subscribe(channel, options = {}) {
    let sub = this.#subs.get(channel);
    if (sub) {
      if (options.presence && !sub.trackPresence) {
        sub.trackPresence = true;
        if (sub.active) sub._refreshMembers();
      }
      return sub;
    }
    sub = new Subscription(this, channel, options);
    this.#subs.set(channel, sub);
    if (this.#state === 'connected') this.#sendSubscribe(sub);
    return sub;
  }

  /** Publishes to a channel; resolves with `{channel, offset, epoch, ts}`. */
  publish(channel, data, options) {
    return this.request('publish', { channel, data }, options);
  }

  /** Sends to every connection of a user (all their tabs, on every node). */
  send(user, data, options) {
    return this.request('send', { user, data }, options);
  }

  /** Sends to every connection on this endpoint (needs the `broadcast` claim). */
  broadcast(data, { excludeSelf, ...options } = {}) {
    const body = { data };
    if (excludeSelf !== undefined) body.excludeSelf = excludeSelf;
    return this.request('broadcast', body, options);
  }

  /** The users present in a channel: `{channel, users: [{user, connections}]}`. */
  presence(channel, options) {
    return this.request('presence', { channel }, options);
  }

  /** A channel's history: `{channel, offset, epoch, publications}`; query is `{since, limit, reverse}`. */
  history(channel, query = {}, options) {
    return this.request('history', { channel, ...query }, options);
  }

  /** Round trip to the gateway; resolves with `{ts}` (server time). */
  ping(options) {
    return this.request('ping', undefined, options);
  }

  /** Sends a text frame as is (for consoles); returns false when no socket is open. */
  sendRaw(text) {
    const socket = this.#socket;
    if (!socket || socket.readyState !== OPEN) return false;
    socket.send(text);
    this.emit('frame', { direction: 'out', text });
    return true;
  }

  /** @internal called by Subscription.unsubscribe */
  _unsubscribe(sub) {
    if (this.#subs.get(sub.channel) !== sub) return Promise.resolve();
    this.#subs.delete(sub.channel);
    sub.closed = true;
    sub.active = false;
    sub.emit('unsubscribed', { channel: sub.channel });
    // Also while the subscribe is still in flight: frames of one connection are handled in order, so
    // this unsubscribe lands after it.
    if (this.#state === 'connected') {
      return this.request('unsubscribe', { channel: sub.channel }).catch(() => {
        // The subscription is gone locally either way; a lost connection drops it on the gateway too.
      });
    }
    return Promise.resolve();
  }

  /** @internal called by Subscription for every accepted channel message */
  _emitMessage(message) {
    this.emit('message', message);
  }

  // ---- connection lifecycle ----

  async #open(delay) {
    this.#attempt += 1;
    this.#opened = null; // no socket tried yet: a failing getToken() says nothing about the transport
    const attempt = this.#attempt;
    this.#setState('connecting');
    this.emit('connecting', { attempt, delay });
    let token = this.#options.token;
    if (typeof this.#options.getToken === 'function') {
      try {
        // Tickets are short-lived (60 s by default): a reconnect an hour later needs a fresh one.
        token = await this.#options.getToken();
      } catch (err) {
        if (!this.#wanted || attempt !== this.#attempt) return;
        const error = err instanceof SwitchboardError ? err : new SwitchboardError('token_unavailable', String(err?.message || err));
        this.emit('error', error);
        this.#lost({ code: 0, reason: `getToken failed: ${error.message}`, error });
        return;
      }
      if (!this.#wanted || attempt !== this.#attempt) return;
    }
    let socket;
    try {
      const url = this.#socketUrl(token);
      socket = this.#transport === 'sse'
        ? new EventStreamSocket(url, { EventSource: this.#options.EventSource, fetch: this.#options.fetch })
        : new this.#WebSocket(url);
    } catch (err) {
      this.#lost({ code: 0, reason: `cannot open socket: ${err?.message || err}`, error: err });
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
    socket.onerror = () => {
      // Browsers give no detail here; the close event that follows carries the code.
    };
    if (this.#options.connectTimeout > 0) {
      this.#welcomeTimer = setTimeout(() => this.#drop(socket, 'no welcome within connectTimeout'), this.#options.connectTimeout);
    }
  }

  /** In browsers: when the network comes back, skip the rest of the backoff wait. */
  #watchNetwork() {
    const target = globalThis.window;
    if (this.#unwatchNetwork || typeof target?.addEventListener !== 'function') return;
    const onOnline = () => {
      if (!this.#wanted || !this.#reconnectTimer) return;
      clearTimeout(this.#reconnectTimer);
      this.#reconnectTimer = null;
      this.#open(0);
    };
    target.addEventListener('online', onOnline);
    this.#unwatchNetwork = () => target.removeEventListener('online', onOnline);
  }

  #socketUrl(token) {
    const base = globalThis.location?.href;
    const url = base ? new URL(this.#url, base) : new URL(this.#url);
    if (url.protocol === 'http:') url.protocol = 'ws:';
    if (url.protocol === 'https:') url.protocol = 'wss:';
    if (token) url.searchParams.set('token', token);
    return url.toString();
  }

  /** Abandons a socket we no longer trust (no welcome, no pong) and treats it as a lost connection. */
  #drop(socket, reason) {
    if (socket !== this.#socket) return;
    this.#detach(socket);
    try {
      socket.close();
    } catch {
      // ignore
    }
    this.#lost({ code: 1006, reason });
  }

  #detach(socket) {
    socket.onmessage = socket.onclose = socket.onerror = null;
    // Keep a no-op error listener: some implementations (ws) throw on an unhandled 'error' while closing.
    socket.onerror = () => {};
    if (socket === this.#socket) this.#socket = null;
  }

  #lost({ code, reason, error }) {
    this.#chooseTransport();
    clearTimeout(this.#welcomeTimer);
    clearInterval(this.#heartbeatTimer);
    clearTimeout(this.#pongTimer);
    clearTimeout(this.#refreshTimer);
    this.#welcomeTimer = this.#heartbeatTimer = this.#pongTimer = this.#refreshTimer = null;
    this.welcome = null;
    for (const sub of this.#subs.values()) sub._onDisconnected();
    // Requests already on the wire may or may not have run: the caller decides whether to retry.
    for (const [id, entry] of [...this.#pending]) {
      if (!entry.sent) continue;
      this.#forget(id);
      const failure = new SwitchboardError('disconnected', `connection lost before ${entry.type} was answered`, { re: id });
      if (entry.stream) entry.stream._finish('disconnected', failure);
      else entry.reject(failure);
    }
    if (!error && this.#lastError) error = this.#lastError;
    const willReconnect = this.#wanted && this.#backoff !== null && !TERMINAL_CLOSE_CODES.has(code);
    if (!willReconnect) {
      this.#wanted = false;
      this.#stopped = true;
      this.#unwatchNetwork?.();
      this.#unwatchNetwork = null;
      this.#failOutbox(new SwitchboardError('closed', `connection closed (${code}${reason ? ': ' + reason : ''})`));
    }
    const delay = willReconnect ? this.#backoff.next() : undefined;
    this.#setState(willReconnect ? 'connecting' : 'disconnected');
    const event = { code, reason, willReconnect };
    if (willReconnect) event.delay = delay;
    if (error) event.error = error;
    this.emit('disconnected', event);
    if (willReconnect) {
      this.#reconnectTimer = setTimeout(() => {
        this.#reconnectTimer = null;
        if (this.#wanted) this.#open(delay);
      }, delay);
    }
  }

  /**
   * With transport "auto": an attempt whose socket never opened (a proxy that refuses upgrades, a network
   * that drops WebSockets) makes the next attempt use the other transport; a connection that did work
   * starts over with WebSocket on its next reconnect, so a stream taken while the server was down (both
   * failing) is not kept for good.
   */
  #chooseTransport() {
    if (!this.#canFallBack) return;
    if (this.welcome) this.#transport = 'websocket';
    else if (this.#opened === false) this.#transport = this.#transport === 'websocket' ? 'sse' : 'websocket';
  }

  #onWelcome(socket, welcome) {
    clearTimeout(this.#welcomeTimer);
    this.#welcomeTimer = null;
    this.welcome = welcome;
    this.#backoff?.reset();
    this.#attempt = 0;
    this.#setState('connected');
    this.emit('connected', welcome);
    // Subscriptions first, so recovered messages come before replies to requests queued while offline.
    for (const sub of this.#subs.values()) this.#sendSubscribe(sub);
    const queued = this.#outbox;
    this.#outbox = [];
    for (const { envelope, entry } of queued) {
      if (this.#pending.has(envelope.id)) this.#transmit(envelope, entry);
    }
    this.#startHeartbeat(socket);
    this.#scheduleRefresh(welcome.expiresAt);
  }

  /**
   * Tickets are short-lived, connections are not: a little before the ticket's `expiresAt`, fetch a new
   * one with `getToken()` and hand it to the gateway (`refresh`), so the connection lives on without a
   * reconnect. The gateway also asks (`refresh` frame) when the credential has expired.
   */
  #scheduleRefresh(expiresAt) {
    clearTimeout(this.#refreshTimer);
    this.#refreshTimer = null;
    if (!(expiresAt > 0) || typeof this.#options.getToken !== 'function') return;
    const left = expiresAt - Date.now();
    const lead = Math.min(5000, Math.max(0, left / 4));
    this.#refreshTimer = setTimeout(() => {
      this.#refreshTimer = null;
      this.#refresh();
    }, Math.max(0, left - lead));
  }

  async #refresh() {
    if (this.#refreshing || this.#state !== 'connected' || typeof this.#options.getToken !== 'function') return;
    this.#refreshing = true;
    const socket = this.#socket;
    try {
      const token = await this.#options.getToken();
      if (socket !== this.#socket || this.#state !== 'connected') return;
      const reply = await this.request('refresh', { token });
      if (socket !== this.#socket) return;
      this.#scheduleRefresh(reply?.expiresAt);
      this.emit('refreshed', { expiresAt: reply?.expiresAt });
    } catch (err) {
      // Not fatal by itself: if the credential really ends, the gateway closes with 4005 and we reconnect.
      this.emit('error', err instanceof SwitchboardError ? err : new SwitchboardError('refresh_failed', String(err?.message || err)));
    } finally {
      this.#refreshing = false;
    }
  }

  #startHeartbeat(socket) {
    const heartbeat = this.#options.heartbeat;
    if (!heartbeat || !(heartbeat.interval > 0)) return;
    // Browsers cannot see WebSocket ping frames: an application-level ping is the only way for a page to
    // notice a half-open connection (laptop lid closed, NAT entry expired) and reconnect. It is the bare
    // text frame `ping`, which the gateway answers at once with `pong`, ahead of queued work: a JSON
    // `ping` would wait behind a long streamed reply and make a busy connection look dead.
    this.#heartbeatTimer = setInterval(() => {
      if (socket !== this.#socket || this.#pongTimer || socket.readyState !== OPEN) return;
      socket.send('ping');
      this.#pongTimer = setTimeout(() => this.#drop(socket, 'heartbeat timeout'), heartbeat.timeout);
    }, heartbeat.interval);
  }

  #sendSubscribe(sub) {
    const data = sub._subscribeData();
    const askedSince = Boolean(data.since);
    sub._holdLive = true;
    this.request('subscribe', data).then(
      (reply) => {
        if (sub.closed) return;
        sub._retries = 0;
        sub._onSubscribed(reply || {}, askedSince);
      },
      (err) => {
        if (sub.closed || err.code === 'disconnected' || err.code === 'closed') return;
        sub._releaseHeld();
        if (TRANSIENT_REFUSALS.has(err.code)) {
          // "Not now" (the gateway's Redis restarting, a burst limit), not "no": ask again with jittered
          // backoff on this connection; a new connection resubscribes anyway.
          const attempt = (sub._retries = (sub._retries || 0) + 1);
          const ceiling = Math.min(5000, 200 * 2 ** Math.min(attempt - 1, 5));
          const socket = this.#socket;
          setTimeout(() => {
            if (!sub.closed && socket === this.#socket && this.#state === 'connected') this.#sendSubscribe(sub);
          }, ceiling / 2 + Math.random() * (ceiling / 2));
          return;
        }
        if (err.code !== 'timeout') {
          // Refused (forbidden, bad_request): retrying on every reconnect would only be refused again.
          this.#subs.delete(sub.channel);
          sub.closed = true;
        }
        sub.emit('error', err);
      },
    );
  }

  // ---- frames ----

  #onFrame(socket, raw) {
    if (socket !== this.#socket) return;
    const text = typeof raw === 'string' ? raw : String(raw);
    if (text === 'pong') {
      clearTimeout(this.#pongTimer);
      this.#pongTimer = null;
      return; // heartbeat traffic stays out of the `frame` log
    }
    this.emit('frame', { direction: 'in', text });
    let envelope;
    try {
      envelope = JSON.parse(text);
    } catch {
      return; // the bare `pong` of the compatibility shim, or garbage: nothing to route
    }
    if (!envelope || typeof envelope !== 'object') return;
    switch (envelope.type) {
      case 'welcome':
        this.#onWelcome(socket, envelope.data && typeof envelope.data === 'object' ? { ...envelope, ...envelope.data } : envelope);
        break;
      case 'reply':
        this.#settle(envelope.re, (entry) => entry.resolve(envelope.data));
        break;
      case 'pong':
        if (envelope.re !== undefined) this.#settle(envelope.re, (entry) => entry.resolve({ ts: envelope.ts }));
        break;
      case 'error':
        this.#onError(envelope);
        break;
      case 'chunk': {
        const entry = this.#pending.get(String(envelope.re));
        if (entry?.stream) entry.stream._push(envelope.data);
        break;
      }
      case 'end':
        this.#settle(envelope.re, (entry) => {
          if (entry.stream) entry.stream._finish(envelope.reason || 'complete');
          else entry.resolve(envelope.data);
        });
        break;
      case 'message':
        this.#onMessage(envelope);
        break;
      case 'refresh':
        this.#refresh(); // the credential expired: renew it within the gateway's grace period
        break;
      case 'presence':
        this.#subs.get(envelope.channel)?._onPresence(envelope);
        this.emit('presence', envelope);
        break;
      default:
        break; // application pushes are visible through the `frame` event
    }
  }

  #onError(envelope) {
    const info = envelope.error || {};
    const error = new SwitchboardError(info.code || 'error', info.message || info.code || 'error', {
      re: envelope.re,
      data: envelope.data,
    });
    if (envelope.re !== undefined && this.#pending.has(String(envelope.re))) {
      this.#settle(envelope.re, (entry) => {
        if (entry.stream) entry.stream._finish('error', error);
        else entry.reject(error);
      });
      return;
    }
    // e.g. token_invalid just before a 4003 close: remember it for the `disconnected` event.
    this.#lastError = error;
    this.emit('error', error);
  }

  #onMessage(message) {
    if (message.channel !== undefined && message.channel !== null) {
      const sub = this.#subs.get(message.channel);
      if (sub) {
        sub._onLive(message);
        return;
      }
    }
    this.emit('message', message);
  }

  #settle(re, action) {
    const id = String(re);
    const entry = this.#pending.get(id);
    if (!entry) return;
    this.#forget(id);
    action(entry);
  }

  // ---- sending ----

  #nextId() {
    this.#seq += 1;
    return String(this.#seq);
  }

  #dispatch(envelope, entry) {
    if (this.#stopped) {
      // Nobody will connect again unless the app calls connect(): fail now rather than at the timeout.
      queueMicrotask(() => {
        if (!this.#pending.has(envelope.id)) return;
        this.#forget(envelope.id);
        const error = new SwitchboardError('closed', `${envelope.type}: the client is closed`, { re: envelope.id });
        if (entry.stream) entry.stream._finish('error', error);
        else entry.reject(error);
      });
      return;
    }
    if (this.#state === 'connected' && this.#socket?.readyState === OPEN) {
      this.#transmit(envelope, entry);
    } else {
      this.#outbox.push({ envelope, entry });
    }
  }

  #transmit(envelope, entry) {
    entry.sent = true;
    this.#send(envelope);
  }

  #send(envelope) {
    const text = JSON.stringify(envelope);
    this.#socket.send(text);
    this.emit('frame', { direction: 'out', text });
  }

  #forget(id) {
    const entry = this.#pending.get(id);
    if (!entry) return;
    this.#pending.delete(id);
    clearTimeout(entry.timer);
    entry.cleanup?.();
    if (!entry.sent) this.#outbox = this.#outbox.filter((queued) => queued.envelope.id !== id);
  }

  #failOutbox(error) {
    const queued = this.#outbox;
    this.#outbox = [];
    for (const { envelope } of queued) {
      const entry = this.#pending.get(envelope.id);
      if (!entry) continue;
      this.#forget(envelope.id);
      if (entry.stream) entry.stream._finish('error', error);
      else entry.reject(error);
    }
  }

  #setState(state) {
    if (this.#state === state) return;
    this.#state = state;
    this.emit('state', state);
  }
}
