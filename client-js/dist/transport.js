import { EventStreamSocket } from './event-stream.js';
/** `WebSocket.OPEN`, the same in every implementation (and in EventStreamSocket). */
export const OPEN = 1;
/**
 * Which transport the next connection attempt uses: a WebSocket, or Server-Sent Events (EventSource down,
 * POSTs up) where WebSockets are missing or blocked. With `transport: "auto"`, an attempt whose socket never
 * opened (a proxy that refuses upgrades) makes the next one use the other transport, and a connection that
 * did work starts over with WebSocket on its next reconnect.
 */
export class TransportChoice {
    #options;
    #WebSocket;
    #current = 'websocket';
    #canFallBack;
    constructor(options) {
        this.#options = options;
        this.#WebSocket = (options.WebSocket || globalThis.WebSocket);
        const mode = options.transport || 'auto';
        if (!['auto', 'websocket', 'sse'].includes(mode)) {
            throw new TypeError(`transport must be "auto", "websocket" or "sse", not ${mode}`);
        }
        const hasEventSource = typeof (options.EventSource || globalThis.EventSource) === 'function';
        const hasWebSocket = typeof this.#WebSocket === 'function';
        if (mode === 'sse' || (mode === 'auto' && !hasWebSocket && hasEventSource)) {
            this.#current = 'sse';
        }
        else if (!hasWebSocket) {
            throw new TypeError('No WebSocket implementation: pass {WebSocket} (e.g. the "ws" package) on Node versions without a global one');
        }
        this.#canFallBack = mode === 'auto' && hasEventSource && hasWebSocket;
    }
    /** `"websocket"` or `"sse"`: what the current (or next) attempt uses. */
    get current() {
        return this.#current;
    }
    /** Opens a socket of the current transport to `url`. */
    open(url) {
        return this.#current === 'sse'
            ? new EventStreamSocket(url, { EventSource: this.#options.EventSource, fetch: this.#options.fetch })
            : new this.#WebSocket(url);
    }
    /**
     * An attempt ended: `welcomed` when it had become a working connection, `opened` false when its socket
     * never opened (null: no socket was tried, e.g. `getToken()` failed, which says nothing of the transport).
     */
    attemptEnded({ welcomed, opened }) {
        if (!this.#canFallBack)
            return;
        if (welcomed)
            this.#current = 'websocket';
        else if (opened === false)
            this.#current = this.#current === 'websocket' ? 'sse' : 'websocket';
    }
}
/** The socket URL: `url` resolved against the page, with the ws(s) scheme and the ticket as `?token=`. */
export function socketUrl(url, token) {
    const base = globalThis.location?.href;
    const resolved = base ? new URL(url, base) : new URL(url);
    if (resolved.protocol === 'http:')
        resolved.protocol = 'ws:';
    if (resolved.protocol === 'https:')
        resolved.protocol = 'wss:';
    if (token)
        resolved.searchParams.set('token', token);
    return resolved.toString();
}
/** Closes `socket`, whatever state it is in (closing one that is already closing may throw). */
export function closeQuietly(socket, code, reason) {
    try {
        socket.close(code, reason);
    }
    catch {
        // already closing or closed
    }
}
