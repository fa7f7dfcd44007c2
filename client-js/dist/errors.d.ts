import type { ErrorCode } from './protocol.js';
/** Codes raised by the client itself. */
export type ClientErrorCode = 'timeout' | 'disconnected' | 'closed' | 'aborted' | 'token_unavailable';
/** An error answered by the gateway (`{"type":"error","error":{code,message}}`) or raised by the client itself. */
export declare class SwitchboardError extends Error {
    /** The protocol's error code (`forbidden`, `bad_request`, ...) or a client code (`timeout`, `disconnected`, ...). */
    readonly code: ErrorCode | ClientErrorCode;
    /** The id of the request it answers, when it answers one. */
    readonly re?: string;
    /** Extra data the error carried. */
    readonly data?: unknown;
    constructor(code: ErrorCode | ClientErrorCode, message?: string, details?: {
        re?: string;
        data?: unknown;
    });
}
/** The error an `error` frame carries. */
export declare function errorOfFrame(frame: {
    re?: string | number;
    data?: unknown;
    error?: {
        code?: string;
        message?: string;
    };
}): SwitchboardError;
/**
 * Close codes after which reconnecting cannot help (docs/protocol.md, "Close codes"). A 1000 is not among
 * them: the gateway never sends it and an intermediary (proxy, load balancer) that does is no reason to give
 * up; the client's own close() is final regardless of code.
 */
export declare const TERMINAL_CLOSE_CODES: ReadonlySet<number>;
/** The node is restarting (RFC 6455's Service Restart): reconnect at once, within `RESTART_JITTER` ms. */
export declare const RESTARTING = 1012;
/** The window a client waits in, uniformly, after a 1012 (the node spread its closes; no backoff needed). */
export declare const RESTART_JITTER = 1000;
