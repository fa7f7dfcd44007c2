import { Emitter } from './emitter.js';
import type * as Wire from './protocol.js';
import type { HistoryQuery, HistoryReply, Json, RequestOptions, SubscriptionEvents } from './types.js';
/** What a subscription asks of its client for the channel's publish, presence and history. */
export interface ChannelClient {
    publish(channel: string, data: unknown, options?: RequestOptions): Promise<Wire.PublishReply>;
    presence(channel: string, options?: RequestOptions): Promise<Wire.PresenceReply>;
    history<D = Json>(channel: string, query?: HistoryQuery, options?: RequestOptions): Promise<HistoryReply<D>>;
}
/**
 * A subscription's face to the app, whoever carries it (its own connection, or one shared by the browser's
 * tabs): the channel's events, and publish, presence and history on that channel.
 */
export declare abstract class ChannelHandle<D = Json> extends Emitter<SubscriptionEvents<D>> {
    abstract readonly client: ChannelClient;
    abstract readonly channel: string;
    /** Publishes to this channel; resolves with `{channel, offset, epoch, ts}`. */
    publish(data: D, options?: RequestOptions): Promise<Wire.PublishReply>;
    /** Queries the channel's current presence. */
    presence(options?: RequestOptions): Promise<Wire.PresenceReply>;
    /** Reads the channel's history (`{since, limit, reverse}`). */
    history(query?: HistoryQuery, options?: RequestOptions): Promise<HistoryReply<D>>;
}
