import { Emitter } from './emitter.js';
/**
 * A subscription's face to the app, whoever carries it (its own connection, or one shared by the browser's
 * tabs): the channel's events, and publish, presence and history on that channel.
 */
export class ChannelHandle extends Emitter {
    /** Publishes to this channel; resolves with `{channel, offset, epoch, ts}`. */
    publish(data, options) {
        return this.client.publish(this.channel, data, options);
    }
    /** Queries the channel's current presence. */
    presence(options) {
        return this.client.presence(this.channel, options);
    }
    /** Reads the channel's history (`{since, limit, reverse}`). */
    history(query, options) {
        return this.client.history(this.channel, query, options);
    }
}
