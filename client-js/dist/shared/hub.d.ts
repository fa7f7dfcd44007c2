import type { SwitchboardOptions } from '../types.js';
import type { HubEvent, PeerMessage } from './messages.js';
type Post = (event: HubEvent) => void;
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
export declare class SharedHub {
    #private;
    /**
     * @param {string} url the gateway's endpoint
     * @param {object} options the tabs' Switchboard options that survive structured cloning
     * @param {number} peerTimeout a peer silent this long (ms) is gone: its tab closed without saying so
     */
    constructor(url: string, options?: SwitchboardOptions, peerTimeout?: number);
    /** Handles one message of peer `peer` (whose replies go to `post`). */
    receive(message: PeerMessage, post: Post): void;
    /** How many tabs it serves. */
    get peers(): number;
    close(): void;
}
export {};
