import { ChannelHandle } from '../channel-handle.js';
import { Emitter } from '../emitter.js';
import { SwitchboardError } from '../errors.js';
import { ReplyStream } from '../stream.js';
import { ResumableStream } from '../resumable.js';
/**
 * One tab's subscription to a channel through the shared connection: the same events and methods as a
 * Subscription. It keeps its own position, so after a hand-over (the leader tab closed) or a reload it asks
 * the hub for what it missed since then, and it drops any publication it has already seen.
 */
export class RemoteSubscription extends ChannelHandle {
    client;
    id;
    channel;
    trackPresence;
    position;
    active = false;
    closed = false;
    /** user id → number of connections, when `presence: true`. */
    members = new Map();
    constructor(client, id, channel, options) {
        super();
        this.client = client;
        this.id = id;
        this.channel = channel;
        this.trackPresence = !!options.presence;
        this.position = options.since ? { ...options.since } : null;
    }
    /** Presence list as an array of `{user, connections}`, sorted by user id (with `presence: true`). */
    get memberList() {
        return [...this.members.entries()].map(([user, connections]) => ({ user, connections }))
            .sort((a, b) => (a.user < b.user ? -1 : a.user > b.user ? 1 : 0));
    }
    async unsubscribe() {
        if (this.closed)
            return;
        this.closed = true;
        this.active = false;
        this.client._unsubscribe(this);
        this.emit('unsubscribed', { channel: this.channel });
    }
    /** @internal what the hub sends about this subscription */
    _event(kind, data) {
        if (this.closed)
            return;
        if (kind === 'subscribed') {
            const value = data;
            this.active = true;
            const behind = !this.position || this.position.epoch !== value.epoch || value.offset > this.position.offset;
            if (!value.recovered || behind)
                this.position = { offset: value.offset, epoch: value.epoch };
            this.emit('subscribed', value);
        }
        else if (kind === 'message') {
            const value = data;
            const seen = this.position && value.epoch === this.position.epoch && value.offset <= this.position.offset;
            if (seen)
                return;
            this.position = { offset: value.offset, epoch: value.epoch };
            this.emit('message', value);
        }
        else if (kind === 'presence') {
            this.emit('presence', data);
        }
        else if (kind === 'members') {
            this.members = new Map(data.map((m) => [m.user, m.connections]));
            this.emit('members', this.memberList);
        }
        else if (kind === 'error') {
            const value = data;
            this.emit('error', new SwitchboardError(value.code, value.message));
        }
    }
}
/**
 * The tab's side of a shared connection: Switchboard's API (connect, state, subscribe, request, stream,
 * publish, send, broadcast, presence, history, ping, events), carried over a `link` to the hub that owns the
 * one socket. The link is a SharedWorker's port or the leader tab's BroadcastChannel.
 */
export class RemoteClient extends Emitter {
    state = 'connecting';
    welcome = null;
    #link;
    #peer;
    #config;
    #getToken;
    #subs = new Map();
    #calls = new Map();
    #seq = 0;
    #connected = null; // until the next welcome
    #beat;
    #wantsFrames = false;
    /**
     * @param link `{peer, post(message), onMessage(handler), close()}`
     * @param config `{url, options}`: what the hub needs to open the connection (structured-clonable)
     */
    constructor(link, config, { token, getToken, beatInterval = 2000 } = {}) {
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
    get user() {
        return this.welcome ? this.welcome.user : null;
    }
    /** A `frame` listener asks the hub for this tab's share of the frames (only tabs that listen get them). */
    on(event, listener) {
        const off = super.on(event, listener);
        if (event === 'frame')
            this.#askForFrames();
        return off;
    }
    /** The last `frame` listener gone, the hub stops sending this tab the socket's frames. */
    off(event, listener) {
        super.off(event, listener);
        if (event === 'frame')
            this.#askForFrames();
    }
    #askForFrames() {
        const wanted = this.listens('frame');
        if (wanted === this.#wantsFrames)
            return;
        this.#wantsFrames = wanted;
        this.#link.post({ op: 'frames', peer: this.#peer, on: wanted });
    }
    /**
     * Writes a text frame as it is on the shared socket (a debugging tool, as on a Switchboard): true when the
     * socket was up as far as this tab knows; the hub writes it if it still is.
     */
    sendRaw(text) {
        if (this.state !== 'connected')
            return false;
        this.#link.post({ op: 'raw', peer: this.#peer, text });
        return true;
    }
    get subscriptions() {
        return new Map([...this.#subs.values()].map((s) => [s.channel, s]));
    }
    /** Resolves with the welcome of the shared connection (at once when it is up). */
    connect() {
        if (this.state === 'connected' && this.welcome)
            return Promise.resolve(this.welcome);
        if (!this.#connected) {
            let resolve;
            const promise = new Promise((r) => (resolve = r));
            this.#connected = { promise, resolve };
        }
        return this.#connected.promise;
    }
    /** Leaves: this tab's subscriptions and streams end; the connection stays for the other tabs. */
    close() {
        clearInterval(this.#beat);
        this.#link.post({ op: 'bye', peer: this.#peer });
        this.#link.close?.();
        this.state = 'disconnected';
    }
    subscribe(channel, options = {}) {
        const sub = new RemoteSubscription(this, ++this.#seq, channel, options);
        this.#subs.set(sub.id, sub);
        this.#sendSubscribe(sub);
        return sub;
    }
    request(type, data, options) {
        if (options?.resumable)
            return this.stream(type, data, options);
        return this.#call('request', [type, data], options);
    }
    publish(channel, data, options) {
        return this.#call('publish', [channel, data], options);
    }
    send(user, data, options) {
        return this.#call('send', [user, data], options);
    }
    broadcast(data, options) {
        return this.#call('broadcast', [data], options, options && { excludeSelf: options.excludeSelf });
    }
    presence(channel, options) {
        return this.#call('presence', [channel], options);
    }
    history(channel, query, options) {
        return this.#call('history', [channel, query ?? {}], options);
    }
    ping(options) {
        return this.#call('ping', [], options);
    }
    stream(type, data, { signal, resumable = false, persist } = {}) {
        return this.#open({ type, data, resumable }, signal, resumable ? { persist } : null);
    }
    /** Follows a stream (`replies/ID`, or any readable Durable Stream) from `offset` (`'-1'`): a ResumableStream. */
    resume(stream, { offset = '-1', persist, signal } = {}) {
        return this.#open({ type: 'resume', data: null, resume: { stream, offset } }, signal, { stream, offset, persist });
    }
    #open(request, signal, resumable) {
        const call = ++this.#seq;
        // the call a stream is under now: a resumed one gets a new call on the new hub (its id follows)
        const cancel = () => this.#link.post({ op: 'cancel', peer: this.#peer, call: Number(stream.id) });
        const stream = resumable ? new ResumableStream(String(call), cancel, resumable) : new ReplyStream(String(call), cancel);
        this.#calls.set(call, { stream, resumable: resumable ? stream : undefined });
        signal?.addEventListener('abort', () => stream.cancel(), { once: true });
        this.#link.post({ op: 'stream', peer: this.#peer, call, ...request });
        return stream;
    }
    /** @internal */
    _unsubscribe(sub) {
        this.#subs.delete(sub.id);
        this.#link.post({ op: 'unsubscribe', peer: this.#peer, sub: sub.id, channel: sub.channel });
    }
    /** The hub changed (a new leader): introduce this tab again, with its subscriptions and their positions. */
    rejoin() {
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
            if (pending.stream)
                pending.stream._finish('error', err);
            else
                pending.reject?.(err);
        }
        for (const sub of this.#subs.values())
            this.#sendSubscribe(sub);
    }
    /** Introduces this tab to the hub (again after a hand-over), with its wish for frames if it has one. */
    #hello() {
        this.#link.post({ op: 'hello', peer: this.#peer, config: this.#config });
        if (this.#wantsFrames)
            this.#link.post({ op: 'frames', peer: this.#peer, on: true });
    }
    #sendSubscribe(sub) {
        this.#link.post({ op: 'subscribe', peer: this.#peer, sub: sub.id, channel: sub.channel,
            since: sub.position, presence: sub.trackPresence });
    }
    /**
     * A call on the shared client: its `timeout` travels with it (the hub's client keeps it), its `signal` stays
     * here (a signal cannot cross a port) and fails the call at once, as the client's own does; `extra` is the
     * method's options besides those two.
     */
    #call(method, args, options, extra) {
        const { timeout, signal } = options ?? {};
        if (signal?.aborted)
            return Promise.reject(new SwitchboardError('aborted', `${method} aborted`));
        const call = ++this.#seq;
        return new Promise((resolve, reject) => {
            const onAbort = () => {
                if (!this.#calls.delete(call))
                    return;
                reject(new SwitchboardError('aborted', `${method} aborted`)); // its answer, when it comes, is dropped
            };
            signal?.addEventListener('abort', onAbort, { once: true });
            const done = () => signal?.removeEventListener('abort', onAbort);
            this.#calls.set(call, {
                resolve: (value) => { done(); resolve(value); },
                reject: (error) => { done(); reject(error); },
            });
            // the options are each method's last argument; an undefined timeout leaves the hub client's default
            this.#link.post({ op: 'call', peer: this.#peer, call, method, args: [...args, { ...extra, timeout }] });
        });
    }
    #receive(event) {
        switch (event.ev) {
            case 'state': return this.#state(event);
            case 'message': return this.emit('message', event.message);
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
    #state({ state, welcome }) {
        const was = this.state;
        this.state = state;
        this.welcome = welcome;
        if (state !== was)
            this.emit('state', state);
        if (state === 'connected' && was !== 'connected' && welcome) {
            this.emit('connected', welcome);
            this.#connected?.resolve(welcome);
            this.#connected = null;
        } // a drop is told by the hub's own 'disconnected' (its code and reason), a hand-over by rejoin()
    }
    #result(event) {
        const waiting = this.#calls.get(event.call);
        if (!waiting)
            return;
        this.#calls.delete(event.call);
        if (event.ok)
            waiting.resolve?.(event.value);
        else
            waiting.reject?.(new SwitchboardError(event.error.code, event.error.message));
    }
    #chunk({ call, value, at }) {
        const waiting = this.#calls.get(call);
        waiting?.resumable?._at(at?.stream, at?.offset);
        waiting?.stream?._push(value);
    }
    #end({ call, reason, error, at }) {
        const waiting = this.#calls.get(call);
        if (!waiting?.stream)
            return;
        this.#calls.delete(call);
        waiting.resumable?._at(at?.stream, at?.offset);
        waiting.stream._finish(reason, error ? new SwitchboardError(error.code, error.message) : null);
    }
    async #answerAsk(ask) {
        try {
            if (!this.#getToken)
                throw new Error('this tab has neither token nor getToken');
            const token = await this.#getToken();
            this.#link.post({ op: 'token', peer: this.#peer, ask, token });
        }
        catch (err) {
            this.#link.post({ op: 'token', peer: this.#peer, ask, error: String(err?.message || err) });
        }
    }
}
