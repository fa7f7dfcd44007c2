import type { SwitchboardOptions, WebSocketLike } from './types.js';
/** `WebSocket.OPEN`, the same in every implementation (and in EventStreamSocket). */
export declare const OPEN = 1;
/**
 * Which transport the next connection attempt uses: a WebSocket, or Server-Sent Events (EventSource down,
 * POSTs up) where WebSockets are missing or blocked. With `transport: "auto"`, an attempt whose socket never
 * opened (a proxy that refuses upgrades) makes the next one use the other transport, and a connection that
 * did work starts over with WebSocket on its next reconnect.
 */
export declare class TransportChoice {
    #private;
    constructor(options: SwitchboardOptions);
    /** `"websocket"` or `"sse"`: what the current (or next) attempt uses. */
    get current(): 'websocket' | 'sse';
    /** Opens a socket of the current transport to `url`. */
    open(url: string): WebSocketLike;
    /**
     * An attempt ended: `welcomed` when it had become a working connection, `opened` false when its socket
     * never opened (null: no socket was tried, e.g. `getToken()` failed, which says nothing of the transport).
     */
    attemptEnded({ welcomed, opened }: {
        welcomed: boolean;
        opened: boolean | null;
    }): void;
}
/** The socket URL: `url` resolved against the page, with the ws(s) scheme and the ticket as `?token=`. */
export declare function socketUrl(url: string, token: string | null | undefined): string;
/** Closes `socket`, whatever state it is in (closing one that is already closing may throw). */
export declare function closeQuietly(socket: WebSocketLike, code?: number, reason?: string): void;
