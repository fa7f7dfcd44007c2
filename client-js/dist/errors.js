/** An error answered by the gateway (`{"type":"error","error":{code,message}}`) or raised by the client itself. */
export class SwitchboardError extends Error {
    /** The protocol's error code (`forbidden`, `bad_request`, ...) or a client code (`timeout`, `disconnected`, ...). */
    code;
    /** The id of the request it answers, when it answers one. */
    re;
    /** Extra data the error carried. */
    data;
    constructor(code, message, details = {}) {
        super(message || code);
        this.name = 'SwitchboardError';
        this.code = code;
        if (details.re !== undefined)
            this.re = details.re;
        if (details.data !== undefined)
            this.data = details.data;
    }
}
/** The error an `error` frame carries. */
export function errorOfFrame(frame) {
    const info = frame.error || {};
    return new SwitchboardError(info.code || 'error', info.message || info.code || 'error', { re: frame.re === undefined ? undefined : String(frame.re), data: frame.data });
}
/**
 * Close codes after which reconnecting cannot help (docs/protocol.md, "Close codes"). A 1000 is not among
 * them: the gateway never sends it and an intermediary (proxy, load balancer) that does is no reason to give
 * up; the client's own close() is final regardless of code.
 */
export const TERMINAL_CLOSE_CODES = new Set([
    4003, // the ticket was rejected: the same ticket source will be rejected again
    4009, // a backend disconnected this user on purpose
]);
/** The node is restarting (RFC 6455's Service Restart): reconnect at once, within `RESTART_JITTER` ms. */
export const RESTARTING = 1012;
/** The window a client waits in, uniformly, after a 1012 (the node spread its closes; no backoff needed). */
export const RESTART_JITTER = 1000;
