import type { Emitter } from './emitter.js';
import type { SwitchboardEvents, WebSocketLike, Welcome } from './types.js';
/** `{interval, timeout}` in ms, or false (off). */
export type HeartbeatSettings = {
    interval: number;
    timeout: number;
} | false | undefined;
/**
 * Browsers cannot see WebSocket ping frames: an application-level ping is the only way for a page to notice
 * a half-open connection (laptop lid closed, NAT entry expired) and reconnect. It is the bare text frame
 * `ping`, which the gateway answers at once with `pong`, ahead of queued work: a JSON `ping` would wait
 * behind a long streamed reply and make a busy connection look dead.
 */
export declare class Heartbeat {
    #private;
    /** @param settings `{interval, timeout}` in ms; a missing or non-positive interval turns it off */
    constructor(settings: HeartbeatSettings);
    /** Pings `socket` every interval; `onDead` runs when a pong does not come within the timeout. */
    start(socket: WebSocketLike, onDead: () => void): void;
    /** The gateway answered. */
    pong(): void;
    stop(): void;
}
/**
 * In browsers: calls `onOnline` when the network comes back (so a reconnect can skip the rest of its backoff
 * wait). Returns the function that stops watching; null where there is no window to watch.
 */
export declare function watchNetwork(onOnline: () => void): (() => void) | null;
/**
 * Resolves with the client's next welcome; rejects when it stops for good before one (a refused ticket, a
 * terminal close code, `close()`). The rejection is handled here too: callers often fire and forget
 * `connect()`, and a refused ticket must not become an unhandled rejection.
 */
export declare function nextWelcome(client: Emitter<SwitchboardEvents>): Promise<Welcome>;
