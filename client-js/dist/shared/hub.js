import { Switchboard } from '../client.js';
import { SwitchboardError } from '../errors.js';
const CALLS = new Set(['request', 'publish', 'send', 'broadcast', 'presence', 'history', 'ping']);
/** An error as it crosses to a tab: a SwitchboardError's code, `fallback` for any other error. */
function errorData(err, fallback = 'internal') {
    return { code: err.code || fallback, message: err.message };
}
/**
 * The one real connection that several tabs share: it runs in a SharedWorker (or in the leader tab, where
 * SharedWorker is missing) and serves its peers — one per tab — over messages. A channel is subscribed once,
 * however many tabs subscribe to it (reference-counted; the last tab to leave unsubscribes); a tab that joins
 * late, or comes back after a hand-over, is first given what it missed since its own position (history, then
 * the live messages held meanwhile), so no tab loses or repeats a publication. Tickets come from the tabs:
 * the hub asks one of them (functions do not cross to a worker).
 *
 * Peer → hub: hello, beat, bye, subscribe, unsubscribe, call, stream, cancel, token.
 * Hub → peer: state, message, presence, sub (subscribed | message | presence | error), result, chunk, end, ask.
 */
export class SharedHub {
    #client;
    #peers = new Map();
    #channels = new Map();
    #calls = new Map(); // `${peer}/${call}` → its stream
    #asks = new Map();
    #askSeq = 0;
    #framePeers = new Set();
    #sweeper;
    /**
     * @param {string} url the gateway's endpoint
     * @param {object} options the tabs' Switchboard options that survive structured cloning
     * @param {number} peerTimeout a peer silent this long (ms) is gone: its tab closed without saying so
     */
    constructor(url, options = {}, peerTimeout = 10000) {
        this.#client = new Switchboard(url, { ...options, getToken: () => this.#askToken() });
        // every change of state (the welcome is set before `connected`, cleared before `disconnected`)
        this.#client.on('state', () => this.#broadcast(this.#stateEvent()));
        // the socket's own events, so every tab sees the real close code and reason, attempts and renewals
        this.#client.on('connecting', (value) => this.#broadcast({ ev: 'connecting', value }));
        this.#client.on('refreshed', (value) => this.#broadcast({ ev: 'refreshed', value }));
        this.#client.on('disconnected', ({ error, ...value }) => this.#broadcast({ ev: 'disconnected', value: {
                ...value, error: error ? errorData(error, 'disconnected') : undefined,
            } }));
        // every frame, to the tabs that listen for them (a debugging tap: not sent to the others)
        this.#client.on('frame', (value) => {
            for (const peer of this.#framePeers)
                this.#post(peer, { ev: 'frame', value });
        });
        this.#client.on('message', (message) => {
            if (message.channel === undefined)
                this.#broadcast({ ev: 'message', message }); // addressed: every tab
        });
        this.#sweeper = setInterval(() => this.#sweep(peerTimeout), Math.max(250, peerTimeout / 4));
        this.#client.connect().catch(() => { }); // reported through state events
    }
    /** Handles one message of peer `peer` (whose replies go to `post`). */
    receive(message, post) {
        const { peer } = message;
        if (message.op === 'hello' || !this.#peers.has(peer)) {
            this.#peers.set(peer, { post, seen: Date.now() });
            post(this.#stateEvent());
            if (message.op === 'hello')
                return;
        }
        this.#peers.get(peer).seen = Date.now();
        switch (message.op) {
            case 'beat': return;
            case 'bye': return this.#drop(peer);
            case 'subscribe': return this.#subscribe(peer, message);
            case 'unsubscribe': return this.#unsubscribe(`${peer}/${message.sub}`, message.channel);
            case 'call': return this.#call(peer, message.call, message.method, message.args);
            case 'stream': return void this.#stream(peer, message);
            case 'cancel': return this.#calls.get(`${peer}/${message.call}`)?.cancel();
            case 'token': return this.#answered(message.ask, message.token, message.error);
            case 'frames': return void (message.on ? this.#framePeers.add(peer) : this.#framePeers.delete(peer));
            case 'raw': return void this.#client.sendRaw(message.text);
            default: return undefined;
        }
    }
    /** How many tabs it serves. */
    get peers() {
        return this.#peers.size;
    }
    close() {
        clearInterval(this.#sweeper);
        this.#client.close();
    }
    #stateEvent() {
        return { ev: 'state', state: this.#client.state, welcome: this.#client.welcome };
    }
    #post(peer, event) {
        this.#peers.get(peer)?.post(event);
    }
    #broadcast(event) {
        for (const { post } of this.#peers.values())
            post(event);
    }
    #subscribe(peer, { sub, channel, since, presence }) {
        let entry = this.#channels.get(channel);
        const member = { peer, sub, since, catchingUp: null };
        if (!entry) {
            const subscription = this.#client.subscribe(channel, { presence });
            const created = { subscription, members: new Map(), ready: false };
            entry = created;
            this.#channels.set(channel, created);
            subscription.on('subscribed', (event) => {
                created.ready = true;
                for (const m of created.members.values())
                    this.#admit(created, m, event);
            });
            subscription.on('message', (message) => {
                for (const m of created.members.values()) {
                    if (m.catchingUp)
                        m.catchingUp.push(message);
                    else
                        this.#post(m.peer, { ev: 'sub', sub: m.sub, kind: 'message', value: message });
                }
            });
            subscription.on('presence', (event) => this.#toMembers(created, 'presence', event));
            subscription.on('members', (list) => this.#toMembers(created, 'members', list));
            subscription.on('error', (err) => this.#toMembers(created, 'error', errorData(err)));
        }
        entry.members.set(`${peer}/${sub}`, member);
        const position = entry.subscription.position;
        if (entry.ready && position) {
            this.#admit(entry, member, { channel, ...position, recovered: undefined, resubscribed: false, replayed: 0 });
        }
    }
    /**
     * Tells a member its subscription stands; one that brings a position of the same epoch behind the channel's
     * first gets the publications in between from history, with live ones held until then.
     */
    #admit(entry, member, event) {
        const { channel } = entry.subscription;
        const since = member.since;
        member.since = null;
        const now = entry.subscription.position;
        if (!since || since.epoch !== now.epoch || since.offset >= now.offset) {
            const recovered = since ? since.epoch === now.epoch : event.recovered;
            this.#post(member.peer, { ev: 'sub', sub: member.sub, kind: 'subscribed', value: { ...event, channel, ...now, recovered } });
            return;
        }
        member.catchingUp = [];
        this.#client.history(channel, { since: since.offset, limit: 1000 }).then((page) => {
            const missed = page.publications.filter((p) => p.offset <= now.offset);
            const complete = page.complete && (missed.length === now.offset - since.offset);
            // as a Subscription does: the replayed publications first, then `subscribed`
            for (const p of missed)
                this.#post(member.peer, { ev: 'sub', sub: member.sub, kind: 'message', value: p });
            this.#post(member.peer, { ev: 'sub', sub: member.sub, kind: 'subscribed',
                value: { channel, ...now, recovered: complete, resubscribed: false, replayed: missed.length } });
        }, () => {
            this.#post(member.peer, { ev: 'sub', sub: member.sub, kind: 'subscribed',
                value: { channel, ...now, recovered: false, resubscribed: false, replayed: 0 } });
        }).finally(() => {
            const held = member.catchingUp || [];
            member.catchingUp = null;
            for (const m of held)
                this.#post(member.peer, { ev: 'sub', sub: member.sub, kind: 'message', value: m });
        });
    }
    #toMembers(entry, kind, value) {
        for (const m of entry.members.values())
            this.#post(m.peer, { ev: 'sub', sub: m.sub, kind, value });
    }
    #unsubscribe(key, channel) {
        const entry = this.#channels.get(channel);
        if (!entry || !entry.members.delete(key))
            return;
        if (entry.members.size === 0) {
            this.#channels.delete(channel);
            entry.subscription.unsubscribe().catch(() => { });
        }
    }
    #call(peer, call, method, args) {
        const client = this.#client;
        // only the calls a tab may make: the message crossed a port, its method name is data
        const run = CALLS.has(method) ? () => client[method](...args)
            : () => Promise.reject(new SwitchboardError('bad_request', `not a call: ${String(method)}`));
        Promise.resolve().then(run).then((value) => this.#post(peer, { ev: 'result', call, ok: true, value }), (err) => this.#post(peer, { ev: 'result', call, ok: false, error: errorData(err) }));
    }
    /** A streamed reply for a tab: a plain one, a resumable one, or a resumed one (after a hand-over, a reload). */
    async #stream(peer, { call, type, data, resumable, resume }) {
        const key = `${peer}/${call}`;
        const stream = resume
            ? this.#client.resume(resume.stream, { offset: resume.offset })
            : resumable ? this.#client.stream(type, data, { resumable: true }) : this.#client.stream(type, data);
        const at = () => (stream.stream && stream.offset ? { stream: stream.stream, offset: stream.offset } : undefined);
        this.#calls.set(key, stream);
        try {
            for await (const chunk of stream)
                this.#post(peer, { ev: 'chunk', call, value: chunk, at: at() });
            this.#post(peer, { ev: 'end', call, reason: stream.endReason, at: at() });
        }
        catch (err) {
            this.#post(peer, { ev: 'end', call, reason: 'error', error: errorData(err), at: at() });
        }
        finally {
            this.#calls.delete(key);
        }
    }
    /** A ticket from a tab: the most recently heard one first, the next on failure. */
    async #askToken() {
        const peers = [...this.#peers.entries()].sort((a, b) => b[1].seen - a[1].seen);
        let last = new Error('no tab to ask for a ticket');
        for (const [, { post }] of peers) {
            const ask = ++this.#askSeq;
            let timer;
            try {
                return await new Promise((resolve, reject) => {
                    this.#asks.set(ask, { resolve, reject });
                    post({ ev: 'ask', ask });
                    timer = setTimeout(() => reject(new Error('the tab did not answer for a ticket')), 5000);
                });
            }
            catch (err) {
                last = err;
            }
            finally {
                clearTimeout(timer);
                this.#asks.delete(ask);
            }
        }
        throw last;
    }
    #answered(ask, token, error) {
        const waiting = this.#asks.get(ask);
        if (!waiting)
            return;
        if (error)
            waiting.reject(new Error(error));
        else
            waiting.resolve(token ?? '');
    }
    #sweep(timeout) {
        const now = Date.now();
        for (const [peer, { seen }] of this.#peers) {
            if (now - seen > timeout)
                this.#drop(peer);
        }
    }
    /** A tab left: its subscriptions are released and its streams cancelled. */
    #drop(peer) {
        if (!this.#peers.delete(peer))
            return;
        this.#framePeers.delete(peer);
        for (const [channel, entry] of [...this.#channels]) {
            for (const key of [...entry.members.keys()]) {
                if (key.startsWith(`${peer}/`))
                    this.#unsubscribe(key, channel);
            }
        }
        for (const [key, stream] of this.#calls) {
            if (key.startsWith(`${peer}/`))
                stream.cancel();
        }
    }
}
