import { ChannelHandle } from './channel-handle.js';
/**
 * One channel subscription. It outlives connections: after every reconnect the client subscribes again
 * with `since` = the last position seen, so the gateway can replay what was missed while offline.
 *
 * Events: `subscribed` ({channel, offset, epoch, recovered, resubscribed}), `message` (a channel message),
 * `presence` (a join/leave event), `members` (the presence list changed; only with `{presence: true}`),
 * `error` (the subscribe was refused, e.g. `forbidden`), `unsubscribed`.
 */
export class Subscription extends ChannelHandle {
    client;
    channel;
    /** Last position seen on this channel: `{offset, epoch}` or null before the first subscribe reply. */
    position;
    /** True while the gateway has this subscription active on the current connection. */
    active = false;
    /** Whether to keep `members` (the presence list) up to date. */
    trackPresence;
    /** user id → number of connections, when `presence: true`. */
    members = new Map();
    closed = false;
    /** @internal */
    _subscribedOnce = false;
    /**
     * @internal While a subscribe is in flight, live messages are held back: the reply may still carry older
     * recovered publications, and those must reach the app first, in offset order.
     */
    _holdLive = false;
    /** @internal */
    _held = [];
    /** @internal subscribe attempts refused with "not now" in a row */
    _retries = 0;
    /** @internal created by Switchboard.subscribe */
    constructor(client, channel, options = {}) {
        super();
        this.client = client;
        this.channel = channel;
        this.position = options.since ? { offset: options.since.offset, epoch: options.since.epoch } : null;
        this.trackPresence = Boolean(options.presence);
    }
    /** Presence list as an array of `{user, connections}`, sorted by user id. */
    get memberList() {
        return [...this.members.entries()]
            .map(([user, connections]) => ({ user, connections }))
            .sort((a, b) => (a.user < b.user ? -1 : a.user > b.user ? 1 : 0));
    }
    /** Stops the subscription for good (and tells the gateway, when connected). */
    unsubscribe() {
        return this.client._unsubscribe(this);
    }
    /** @internal the subscribe frame's data for the next (re)subscribe */
    _subscribeData() {
        const data = { channel: this.channel };
        if (this.position && this.position.epoch !== undefined && this.position.epoch !== null) {
            data.since = { offset: this.position.offset, epoch: this.position.epoch };
        }
        return data;
    }
    /** @internal the gateway accepted the subscribe */
    _onSubscribed(reply, askedSince) {
        const resubscribed = this._subscribedOnce;
        this._subscribedOnce = true;
        this.active = true;
        // Replay recovered publications first, so the app sees them in offset order before live ones.
        const publications = Array.isArray(reply.publications) ? reply.publications : [];
        for (const publication of publications) {
            this._onMessage({ ...publication, type: 'message', channel: this.channel });
        }
        // A gateway that ignores `since` (no history) omits `recovered`: count that as not recovered, so the
        // app reloads rather than silently missing messages.
        const recovered = askedSince ? reply.recovered === true : undefined;
        // When nothing was asked for or the gateway could not recover, jump to the position it reports;
        // otherwise keep the one advanced by the replayed publications (they end at reply.offset).
        if (!recovered || !this.position || this.position.epoch !== reply.epoch) {
            this.position = { offset: reply.offset, epoch: reply.epoch };
        }
        else if (typeof reply.offset === 'number' && reply.offset > this.position.offset) {
            this.position = { offset: reply.offset, epoch: reply.epoch };
        }
        const held = this._held;
        this._held = [];
        this._holdLive = false;
        for (const message of held)
            this._onMessage(message);
        this.emit('subscribed', {
            channel: this.channel,
            offset: reply.offset,
            epoch: reply.epoch,
            recovered,
            resubscribed,
            replayed: publications.length,
        });
        if (this.trackPresence)
            void this._refreshMembers();
    }
    /** @internal a live `message` push for this channel */
    _onLive(message) {
        if (this._holdLive)
            this._held.push(message);
        else
            this._onMessage(message);
    }
    /** @internal the subscribe failed: let held messages through rather than lose them */
    _releaseHeld() {
        const held = this._held;
        this._held = [];
        this._holdLive = false;
        for (const message of held)
            this._onMessage(message);
    }
    /** @internal a `message` for this channel (live or replayed), de-duplicated by offset */
    _onMessage(message) {
        if (typeof message.offset === 'number' && this.position && message.epoch === this.position.epoch) {
            // Already seen: a replayed publication that raced a live one, or a duplicate after resubscribe.
            if (message.offset <= this.position.offset)
                return;
        }
        if (typeof message.offset === 'number') {
            this.position = { offset: message.offset, epoch: message.epoch };
        }
        this.emit('message', message);
        this.client._emitMessage(message);
    }
    /** @internal a `presence` push for this channel */
    _onPresence(event) {
        if (this.trackPresence) {
            if (event.event === 'join')
                this.members.set(event.user, Math.max(1, this.members.get(event.user) || 0));
            else if (event.event === 'leave')
                this.members.delete(event.user);
            this.emit('members', this.memberList);
        }
        this.emit('presence', event);
    }
    /** @internal the connection is gone; the subscription waits for the next one */
    _onDisconnected() {
        this.active = false;
        // Drop held messages: delivering them would move `position` past publications not yet replayed;
        // the next resubscribe replays them all from `position`, in order.
        this._held = [];
        this._holdLive = false;
    }
    async _refreshMembers() {
        try {
            const snapshot = await this.client.presence(this.channel);
            if (this.closed)
                return;
            this.members = new Map((snapshot.users || []).map((u) => [u.user, u.connections ?? 1]));
            this.emit('members', this.memberList);
        }
        catch (err) {
            // A failed presence query is not fatal for the subscription; the next join/leave still applies.
            this.emit('error', err);
        }
    }
}
