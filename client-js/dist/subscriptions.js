import { Subscription } from './subscription.js';
/** Subscribe refusals that mean "not now": retried, not surfaced as the end of the subscription. */
const TRANSIENT_REFUSALS = new Set(['unavailable', 'rate_limited']);
/**
 * The channels a client keeps: subscribed on every welcome from the last position seen, retried with
 * jittered backoff when the gateway says "not now", dropped for good when it says "no".
 *
 * `client` is the Switchboard (requests, events); `link` its connection: `isConnected()` and `connection()`
 * (an opaque value naming the current connection).
 */
export class Subscriptions {
    #client;
    #link;
    #subs = new Map();
    constructor(client, link) {
        this.#client = client;
        this.#link = link;
    }
    /** A copy of the subscriptions, by channel. */
    all() {
        return new Map(this.#subs);
    }
    get(channel) {
        return this.#subs.get(channel);
    }
    /** The subscription to `channel`, made (and sent, when connected) if new. */
    subscribe(channel, options = {}) {
        let sub = this.#subs.get(channel);
        if (sub) {
            if (options.presence && !sub.trackPresence) {
                sub.trackPresence = true;
                if (sub.active)
                    void sub._refreshMembers();
            }
            return sub;
        }
        sub = new Subscription(this.#client, channel, options);
        this.#subs.set(channel, sub);
        if (this.#link.isConnected())
            this.#send(sub);
        return sub;
    }
    unsubscribe(sub) {
        if (this.#subs.get(sub.channel) !== sub)
            return Promise.resolve();
        this.#subs.delete(sub.channel);
        sub.closed = true;
        sub.active = false;
        sub.emit('unsubscribed', { channel: sub.channel });
        // Also while the subscribe is still in flight: frames of one connection are handled in order, so
        // this unsubscribe lands after it.
        if (this.#link.isConnected()) {
            return this.#client.request('unsubscribe', { channel: sub.channel }).then(() => undefined, () => {
                // The subscription is gone locally either way; a lost connection drops it on the gateway too.
            });
        }
        return Promise.resolve();
    }
    /** Hands a channel message to its subscription; false when none takes it (a direct or broadcast message). */
    deliver(message) {
        const sub = message.channel === undefined || message.channel === null ? undefined : this.#subs.get(message.channel);
        if (!sub)
            return false;
        sub._onLive(message);
        return true;
    }
    /** A new connection was welcomed: every channel is subscribed again, recovering from its position. */
    resubscribe() {
        for (const sub of this.#subs.values())
            this.#send(sub);
    }
    /** The connection dropped. */
    disconnected() {
        for (const sub of this.#subs.values())
            sub._onDisconnected();
    }
    #send(sub) {
        const data = sub._subscribeData();
        const askedSince = Boolean(data.since);
        sub._holdLive = true;
        this.#client.request('subscribe', data).then((reply) => {
            if (sub.closed)
                return;
            sub._retries = 0;
            sub._onSubscribed(reply || {}, askedSince);
        }, (err) => {
            if (sub.closed || err.code === 'disconnected' || err.code === 'closed')
                return;
            sub._releaseHeld();
            if (TRANSIENT_REFUSALS.has(err.code)) {
                // "Not now" (the gateway's Redis restarting, a burst limit), not "no": ask again with jittered
                // backoff on this connection; a new connection resubscribes anyway.
                const attempt = (sub._retries += 1);
                const ceiling = Math.min(5000, 200 * 2 ** Math.min(attempt - 1, 5));
                const connection = this.#link.connection();
                setTimeout(() => {
                    if (!sub.closed && connection === this.#link.connection() && this.#link.isConnected())
                        this.#send(sub);
                }, ceiling / 2 + Math.random() * (ceiling / 2));
                return;
            }
            if (err.code !== 'timeout') {
                // Refused (forbidden, bad_request): retrying on every reconnect would only be refused again.
                this.#subs.delete(sub.channel);
                sub.closed = true;
            }
            sub.emit('error', err);
        });
    }
}
