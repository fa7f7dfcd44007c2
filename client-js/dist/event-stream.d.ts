import type { WebSocketLike } from './types.js';
/** The `/sse` URL for a WebSocket URL (`ws://host/ws?token=…` → `http://host/sse?token=…&endpoint=/ws`). */
export declare function eventStreamUrl(socketUrl: string): string;
/** The EventSource and fetch an EventStreamSocket uses (default: the globals). */
export interface EventStreamImpl {
    EventSource?: new (url: string, init?: {
        withCredentials?: boolean;
    }) => unknown;
    fetch?: typeof fetch;
}
export declare class EventStreamSocket implements WebSocketLike {
    #private;
    readyState: number;
    readonly url: string;
    onopen: ((event: unknown) => void) | null;
    onmessage: ((event: {
        data: unknown;
    }) => void) | null;
    onclose: ((event: {
        code: number;
        reason: string;
        wasClean?: boolean;
    }) => void) | null;
    onerror: ((event: unknown) => void) | null;
    /**
     * @param socketUrl the WebSocket URL the client would have opened
     * @param impl implementations (default: the globals)
     */
    constructor(socketUrl: string, impl?: EventStreamImpl);
    send(text: string): void;
    close(code?: number, reason?: string): void;
}
