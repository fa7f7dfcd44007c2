import { Subscription } from './subscription.js';
import type { Switchboard } from './client.js';
import type { Message, SubscribeOptions } from './types.js';
/** What the subscriptions need of the connection. */
export interface SubscriptionLink {
    isConnected(): boolean;
    /** An opaque value naming the current connection. */
    connection(): unknown;
}
/**
 * The channels a client keeps: subscribed on every welcome from the last position seen, retried with
 * jittered backoff when the gateway says "not now", dropped for good when it says "no".
 *
 * `client` is the Switchboard (requests, events); `link` its connection: `isConnected()` and `connection()`
 * (an opaque value naming the current connection).
 */
export declare class Subscriptions {
    #private;
    constructor(client: Switchboard, link: SubscriptionLink);
    /** A copy of the subscriptions, by channel. */
    all(): Map<string, Subscription<unknown>>;
    get(channel: string): Subscription<unknown> | undefined;
    /** The subscription to `channel`, made (and sent, when connected) if new. */
    subscribe(channel: string, options?: SubscribeOptions): Subscription<unknown>;
    unsubscribe(sub: Subscription<unknown>): Promise<void>;
    /** Hands a channel message to its subscription; false when none takes it (a direct or broadcast message). */
    deliver(message: Message): boolean;
    /** A new connection was welcomed: every channel is subscribed again, recovering from its position. */
    resubscribe(): void;
    /** The connection dropped. */
    disconnected(): void;
}
