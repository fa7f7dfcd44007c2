import { ChannelHandle } from './channel-handle.js';
import type { Switchboard } from './client.js';
import type * as Wire from './protocol.js';
import type { ChannelMessage, Json, PresenceEvent, PresenceMember, StreamPosition, SubscribeOptions } from './types.js';
/** The data of a subscribe frame. */
export interface SubscribeData {
    channel: string;
    since?: StreamPosition;
}
/**
 * One channel subscription. It outlives connections: after every reconnect the client subscribes again
 * with `since` = the last position seen, so the gateway can replay what was missed while offline.
 *
 * Events: `subscribed` ({channel, offset, epoch, recovered, resubscribed}), `message` (a channel message),
 * `presence` (a join/leave event), `members` (the presence list changed; only with `{presence: true}`),
 * `error` (the subscribe was refused, e.g. `forbidden`), `unsubscribed`.
 */
export declare class Subscription<D = Json> extends ChannelHandle<D> {
    readonly client: Switchboard;
    readonly channel: string;
    /** Last position seen on this channel: `{offset, epoch}` or null before the first subscribe reply. */
    position: StreamPosition | null;
    /** True while the gateway has this subscription active on the current connection. */
    active: boolean;
    /** Whether to keep `members` (the presence list) up to date. */
    trackPresence: boolean;
    /** user id → number of connections, when `presence: true`. */
    members: Map<string, number>;
    closed: boolean;
    /** @internal */
    _subscribedOnce: boolean;
    /**
     * @internal While a subscribe is in flight, live messages are held back: the reply may still carry older
     * recovered publications, and those must reach the app first, in offset order.
     */
    _holdLive: boolean;
    /** @internal */
    _held: ChannelMessage<D>[];
    /** @internal subscribe attempts refused with "not now" in a row */
    _retries: number;
    /** @internal created by Switchboard.subscribe */
    constructor(client: Switchboard, channel: string, options?: SubscribeOptions);
    /** Presence list as an array of `{user, connections}`, sorted by user id. */
    get memberList(): PresenceMember[];
    /** Stops the subscription for good (and tells the gateway, when connected). */
    unsubscribe(): Promise<void>;
    /** @internal the subscribe frame's data for the next (re)subscribe */
    _subscribeData(): SubscribeData;
    /** @internal the gateway accepted the subscribe */
    _onSubscribed(reply: Wire.SubscribeReply, askedSince: boolean): void;
    /** @internal a live `message` push for this channel */
    _onLive(message: ChannelMessage<D>): void;
    /** @internal the subscribe failed: let held messages through rather than lose them */
    _releaseHeld(): void;
    /** @internal a `message` for this channel (live or replayed), de-duplicated by offset */
    _onMessage(message: ChannelMessage<D>): void;
    /** @internal a `presence` push for this channel */
    _onPresence(event: PresenceEvent): void;
    /** @internal the connection is gone; the subscription waits for the next one */
    _onDisconnected(): void;
    _refreshMembers(): Promise<void>;
}
