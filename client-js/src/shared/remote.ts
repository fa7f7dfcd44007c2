import { ChannelHandle } from '../channel-handle.js';
import { Emitter } from '../emitter.js';
import { SwitchboardError } from '../errors.js';
import { ReplyStream } from '../stream.js';
import { ResumableStream } from '../resumable.js';
import type * as Wire from '../protocol.js';
import type {
  ChannelMessage, ConnectionState, HistoryQuery, HistoryReply, Json, Message, PingReply, PresenceEvent, PresenceMember,
  RequestOptions, ResumeOptions, StreamOptions, StreamPosition, SubscribeOptions, SubscribedEvent, SwitchboardEvents,
  SwitchboardOptions, Welcome,
} from '../types.js';
import type { CallMethod, ErrorData, HubConfig, HubEvent, Link, StreamAt, SubEventKind } from './messages.js';

interface PendingCall {
  resolve?: (value: unknown) => void;
  reject?: (error: unknown) => void;
  stream?: ReplyStream<unknown>;
  /** A resumable reply or followed stream: resumed from its offset on the next hub after a hand-over. */
  resumable?: ResumableStream<unknown>;
}

/**
 * One tab's subscription to a channel through the shared connection: the same events and methods as a
 * Subscription. It keeps its own position, so after a hand-over (the leader tab closed) or a reload it asks
 * the hub for what it missed since then, and it drops any publication it has already seen.
 */
export class RemoteSubscription<D = Json> extends ChannelHandle<D> {
  readonly client: RemoteClient;
  readonly id: number;
  readonly channel: string;
  readonly trackPresence: boolean;
  position: StreamPosition | null;
  active = false;
  closed = false;
  /** user id → number of connections, when `presence: true`. */
  members = new Map<string, number>();

  constructor(client: RemoteClient, id: number, channel: string, options: SubscribeOptions) {
    super();
    this.client = client;
    this.id = id;
    this.channel = channel;
    this.trackPresence = !!options.presence;
    this.position = options.since ? { ...options.since } : null;
  }

  /** Presence list as an array of `{user, connections}`, sorted by user id (with `presence: true`). */
  get memberList(): PresenceMember[] {
    return [...this.members.entries()].map(([user, connections]) => ({ user, connections }))
      .sort((a, b) => (a.user < b.user ? -1 : a.user > b.user ? 1 : 0));
  }

  async unsubscribe(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.active = false;
    this.client._unsubscribe(this as RemoteSubscription<unknown>);
    this.emit('unsubscribed', { channel: this.channel });
  }

  /** @internal what the hub sends about this subscription */
  _event(kind: SubEventKind, data: unknown): void {
    if (this.closed) return;
    if (kind === 'subscribed') {
      const value = data as SubscribedEvent;
      this.active = true;
      const behind = !this.position || this.position.epoch !== value.epoch || value.offset > this.position.offset;
      if (!value.recovered || behind) this.position = { offset: value.offset, epoch: value.epoch };
      this.emit('subscribed', value);
    } else if (kind === 'message') {
      const value = data as ChannelMessage<D>;
      const seen = this.position && value.epoch === this.position.epoch && value.offset <= this.position.offset;
      if (seen) return;
      this.position = { offset: value.offset, epoch: value.epoch };
      this.emit('message', value);
    } else if (kind === 'presence') {
      this.emit('presence', data as PresenceEvent);
    } else if (kind === 'members') {
      this.members = new Map((data as PresenceMember[]).map((m) => [m.user, m.connections]));
      this.emit('members', this.memberList);
    } else if (kind === 'error') {
      const value = data as ErrorData;
      this.emit('error', new SwitchboardError(value.code, value.message));
    }
  }
}

/**
 * The tab's side of a shared connection: Switchboard's API (connect, state, subscribe, request, stream,
 * publish, send, broadcast, presence, history, ping, events), carried over a `link` to the hub that owns the
 * one socket. The link is a SharedWorker's port or the leader tab's BroadcastChannel.
 */
export class RemoteClient extends Emitter<SwitchboardEvents> {
  state: ConnectionState = 'connecting';
  welcome: Welcome | null = null;
  #link: Link;
  #peer: string;
  #config: HubConfig;
  #getToken: (() => string | Promise<string>) | null;
  #subs = new Map<number, RemoteSubscription<unknown>>();
  #calls = new Map<number, PendingCall>();
  #seq = 0;
  #connected: { promise: Promise<Welcome>; resolve: (welcome: Welcome) => void } | null = null; // until the next welcome
  #beat: ReturnType<typeof setInterval>;
  #wantsFrames = false;

  /**
   * @param link `{peer, post(message), onMessage(handler), close()}`
   * @param config `{url, options}`: what the hub needs to open the connection (structured-clonable)
   */
  constructor(link: Link, config: HubConfig,
    { token, getToken, beatInterval = 2000 }: SwitchboardOptions & { beatInterval?: number } = {}) {
    super();
    this.#link = link;
    this.#peer = link.peer;
    this.#config = config;
    this.#getToken = getToken || (token ? () => token : null);
    link.onMessage((event) => this.#receive(event));
    this.#hello();
    this.#beat = setInterval(() => this.#link.post({ op: 'beat', peer: this.#peer }), beatInterval);
    globalThis.addEventListener?.('pagehide', () => this.close());
  }

  get user(): string | null {
    return this.welcome ? this.welcome.user : null;
  }

  /** A `frame` listener asks the hub for this tab's share of the frames (only tabs that listen get them). */
  override on<K extends keyof SwitchboardEvents>(event: K, listener: (value: SwitchboardEvents[K]) => void): () => void {
    const off = super.on(event, listener);
    if (event === 'frame') this.#askForFrames();
    return off;
  }

  /** The last `frame` listener gone, the hub stops sending this tab the socket's frames. */
  override off<K extends keyof SwitchboardEvents>(event: K, listener: (value: SwitchboardEvents[K]) => void): void {
    super.off(event, listener);
    if (event === 'frame') this.#askForFrames();
  }

  #askForFrames(): void {
    const wanted = this.listens('frame');
    if (wanted === this.#wantsFrames) return;
    this.#wantsFrames = wanted;
    this.#link.post({ op: 'frames', peer: this.#peer, on: wanted });
  }

  /**
   * Writes a text frame as it is on the shared socket (a debugging tool, as on a Switchboard): true when the
   * socket was up as far as this tab knows; the hub writes it if it still is.
   */
  sendRaw(text: string): boolean {
    if (this.state !== 'connected') return false;
    this.#link.post({ op: 'raw', peer: this.#peer, text });
    return true;
  }

  get subscriptions(): Map<string, RemoteSubscription<unknown>> {
    return new Map([...this.#subs.values()].map((s) => [s.channel, s]));
  }

  /** Resolves with the welcome of the shared connection (at once when it is up). */
  connect(): Promise<Welcome> {
    if (this.state === 'connected' && this.welcome) return Promise.resolve(this.welcome);
    if (!this.#connected) {
      let resolve!: (welcome: Welcome) => void;
      const promise = new Promise<Welcome>((r) => (resolve = r));
      this.#connected = { promise, resolve };
    }
    return this.#connected.promise;
  }

  /** Leaves: this tab's subscriptions and streams end; the connection stays for the other tabs. */
  close(): void {
    clearInterval(this.#beat);
    this.#link.post({ op: 'bye', peer: this.#peer });
    this.#link.close?.();
    this.state = 'disconnected';
  }

  subscribe<D = Json>(channel: string, options: SubscribeOptions = {}): RemoteSubscription<D> {
    const sub = new RemoteSubscription<D>(this, ++this.#seq, channel, options);
    this.#subs.set(sub.id, sub as RemoteSubscription<unknown>);
    this.#sendSubscribe(sub as RemoteSubscription<unknown>);
    return sub;
  }

  request<C = unknown>(type: string, data: unknown, options: RequestOptions & StreamOptions & { resumable: true }): ResumableStream<C>;
  request<R = unknown>(type: string, data?: unknown, options?: RequestOptions): Promise<R>;
  request(type: string, data?: unknown, options?: RequestOptions & StreamOptions): Promise<unknown> | ReplyStream<unknown> {
    if (options?.resumable) return this.stream(type, data, options);
    return this.#call('request', [type, data], options);
  }

  publish(channel: string, data: unknown, options?: RequestOptions): Promise<Wire.PublishReply> {
    return this.#call('publish', [channel, data], options);
  }

  send(user: string, data: unknown, options?: RequestOptions): Promise<Wire.SendReply> {
    return this.#call('send', [user, data], options);
  }

  broadcast(data: unknown, options?: RequestOptions & { excludeSelf?: boolean }): Promise<Wire.BroadcastReply> {
    return this.#call('broadcast', [data], options, options && { excludeSelf: options.excludeSelf });
  }

  presence(channel: string, options?: RequestOptions): Promise<Wire.PresenceReply> {
    return this.#call('presence', [channel], options);
  }

  history<D = Json>(channel: string, query?: HistoryQuery, options?: RequestOptions): Promise<HistoryReply<D>> {
    return this.#call('history', [channel, query ?? {}], options);
  }

  ping(options?: RequestOptions): Promise<PingReply> {
    return this.#call('ping', [], options);
  }

  stream<C = unknown>(type: string, data: unknown, options: StreamOptions & { resumable: true }): ResumableStream<C>;
  stream<C = unknown>(type: string, data?: unknown, options?: StreamOptions): ReplyStream<C>;
  stream(type: string, data?: unknown, { signal, resumable = false, persist }: StreamOptions = {}): ReplyStream<unknown> {
    return this.#open({ type, data, resumable }, signal, resumable ? { persist } : null);
  }

  /** Follows a stream (`replies/ID`, or any readable Durable Stream) from `offset` (`'-1'`): a ResumableStream. */
  resume<C = unknown>(stream: string, { offset = '-1', persist, signal }: ResumeOptions = {}): ResumableStream<C> {
    return this.#open({ type: 'resume', data: null, resume: { stream, offset } }, signal, { stream, offset, persist }) as ResumableStream<C>;
  }

  #open(request: { type: string; data: unknown; resumable?: boolean; resume?: StreamAt }, signal: AbortSignal | undefined,
    resumable: { stream?: string; offset?: string; persist?: string } | null): ReplyStream<unknown> {
    const call = ++this.#seq;
    // the call a stream is under now: a resumed one gets a new call on the new hub (its id follows)
    const cancel = () => this.#link.post({ op: 'cancel', peer: this.#peer, call: Number(stream.id) });
    const stream = resumable ? new ResumableStream<unknown>(String(call), cancel, resumable) : new ReplyStream<unknown>(String(call), cancel);
    this.#calls.set(call, { stream, resumable: resumable ? (stream as ResumableStream<unknown>) : undefined });
    signal?.addEventListener('abort', () => stream.cancel(), { once: true });
    this.#link.post({ op: 'stream', peer: this.#peer, call, ...request });
    return stream;
  }

  /** @internal */
  _unsubscribe(sub: RemoteSubscription<unknown>): void {
    this.#subs.delete(sub.id);
    this.#link.post({ op: 'unsubscribe', peer: this.#peer, sub: sub.id, channel: sub.channel });
  }

  /** The hub changed (a new leader): introduce this tab again, with its subscriptions and their positions. */
  rejoin(): void {
    if (this.state === 'connected') { // the old leader's socket went with its tab: no close event came from it
      this.state = 'connecting';
      this.welcome = null;
      this.emit('state', 'connecting');
      this.emit('disconnected', { code: 1006, reason: 'the shared connection moved to another tab', willReconnect: true });
    }
    this.#hello();
    for (const [call, pending] of [...this.#calls]) {
      this.#calls.delete(call);
      const at = pending.resumable;
      if (at?.stream) { // a resumable reply goes on from its offset, through the new hub
        const next = ++this.#seq;
        at.id = String(next);
        this.#calls.set(next, pending);
        this.#link.post({ op: 'stream', peer: this.#peer, call: next, type: 'resume', data: null,
          resume: { stream: at.stream, offset: at.offset ?? '-1' } });
        continue;
      }
      const err = new SwitchboardError('disconnected', 'the shared connection moved to another tab');
      if (pending.stream) pending.stream._finish('error', err);
      else pending.reject?.(err);
    }
    for (const sub of this.#subs.values()) this.#sendSubscribe(sub);
  }

  /** Introduces this tab to the hub (again after a hand-over), with its wish for frames if it has one. */
  #hello(): void {
    this.#link.post({ op: 'hello', peer: this.#peer, config: this.#config });
    if (this.#wantsFrames) this.#link.post({ op: 'frames', peer: this.#peer, on: true });
  }

  #sendSubscribe(sub: RemoteSubscription<unknown>): void {
    this.#link.post({ op: 'subscribe', peer: this.#peer, sub: sub.id, channel: sub.channel,
      since: sub.position, presence: sub.trackPresence });
  }

  /**
   * A call on the shared client: its `timeout` travels with it (the hub's client keeps it), its `signal` stays
   * here (a signal cannot cross a port) and fails the call at once, as the client's own does; `extra` is the
   * method's options besides those two.
   */
  #call<R>(method: CallMethod, args: unknown[], options?: RequestOptions, extra?: object): Promise<R> {
    const { timeout, signal } = options ?? {};
    if (signal?.aborted) return Promise.reject(new SwitchboardError('aborted', `${method} aborted`));
    const call = ++this.#seq;
    return new Promise<R>((resolve, reject) => {
      const onAbort = () => {
        if (!this.#calls.delete(call)) return;
        reject(new SwitchboardError('aborted', `${method} aborted`)); // its answer, when it comes, is dropped
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => signal?.removeEventListener('abort', onAbort);
      this.#calls.set(call, {
        resolve: (value) => { done(); resolve(value as R); },
        reject: (error) => { done(); reject(error); },
      });
      // the options are each method's last argument; an undefined timeout leaves the hub client's default
      this.#link.post({ op: 'call', peer: this.#peer, call, method, args: [...args, { ...extra, timeout }] });
    });
  }

  #receive(event: HubEvent): void {
    switch (event.ev) {
      case 'state': return this.#state(event);
      case 'message': return this.emit('message', event.message as Message);
      case 'sub': return this.#subs.get(event.sub)?._event(event.kind, event.value);
      case 'result': return this.#result(event);
      case 'chunk': return this.#chunk(event);
      case 'end': return this.#end(event);
      case 'ask': return void this.#answerAsk(event.ask);
      case 'connecting': return this.emit('connecting', event.value);
      case 'refreshed': return this.emit('refreshed', event.value);
      case 'frame': return this.emit('frame', event.value);
      case 'disconnected': {
        const { error, ...value } = event.value;
        return this.emit('disconnected', error ? { ...value, error: new SwitchboardError(error.code, error.message) } : value);
      }
      default: return undefined;
    }
  }

  #state({ state, welcome }: { state: ConnectionState; welcome: Welcome | null }): void {
    const was = this.state;
    this.state = state;
    this.welcome = welcome;
    if (state !== was) this.emit('state', state);
    if (state === 'connected' && was !== 'connected' && welcome) {
      this.emit('connected', welcome);
      this.#connected?.resolve(welcome);
      this.#connected = null;
    } // a drop is told by the hub's own 'disconnected' (its code and reason), a hand-over by rejoin()
  }

  #result(event: Extract<HubEvent, { ev: 'result' }>): void {
    const waiting = this.#calls.get(event.call);
    if (!waiting) return;
    this.#calls.delete(event.call);
    if (event.ok) waiting.resolve?.(event.value);
    else waiting.reject?.(new SwitchboardError(event.error.code, event.error.message));
  }

  #chunk({ call, value, at }: Extract<HubEvent, { ev: 'chunk' }>): void {
    const waiting = this.#calls.get(call);
    waiting?.resumable?._at(at?.stream, at?.offset);
    waiting?.stream?._push(value);
  }

  #end({ call, reason, error, at }: Extract<HubEvent, { ev: 'end' }>): void {
    const waiting = this.#calls.get(call);
    if (!waiting?.stream) return;
    this.#calls.delete(call);
    waiting.resumable?._at(at?.stream, at?.offset);
    waiting.stream._finish(reason, error ? new SwitchboardError(error.code, error.message) : null);
  }

  async #answerAsk(ask: number): Promise<void> {
    try {
      if (!this.#getToken) throw new Error('this tab has neither token nor getToken');
      const token = await this.#getToken();
      this.#link.post({ op: 'token', peer: this.#peer, ask, token });
    } catch (err) {
      this.#link.post({ op: 'token', peer: this.#peer, ask, error: String((err as Error)?.message || err) });
    }
  }
}
