package dev.switchboard.protocol;

/**
 * Stable error codes carried by {@code error} frames and HTTP API errors. The string values are the contract;
 * clients switch on them, so never rename one (add new ones instead).
 */
public enum ErrorCode {
    /** The frame is not valid JSON. */
    BAD_JSON("bad_json"),
    /** Valid JSON but not an envelope: not an object, {@code type} missing or not a string, {@code id} not a string. */
    BAD_ENVELOPE("bad_envelope"),
    /** No handler for this {@code type} on this endpoint. */
    UNKNOWN_TYPE("unknown_type"),
    /** A field the type needs is missing or has the wrong kind. */
    BAD_REQUEST("bad_request"),
    /** The connection has not authenticated and the type needs it. */
    UNAUTHORIZED("unauthorized"),
    /** The ticket's signature, algorithm or claims are not acceptable. */
    TOKEN_INVALID("token_invalid"),
    /** The ticket's {@code exp} is in the past (or its {@code nbf} in the future). */
    TOKEN_EXPIRED("token_expired"),
    /** Authenticated, but the claims do not allow this action on this channel. */
    FORBIDDEN("forbidden"),
    /** {@code auth} sent on a connection that already has a user. */
    ALREADY_AUTHENTICATED("already_authenticated"),
    /** Too many messages per second from this connection. */
    RATE_LIMITED("rate_limited"),
    /** A per-connection limit is reached (e.g. subscriptions); see docs/security.md. */
    LIMIT_EXCEEDED("limit_exceeded"),
    /** A request or body is larger than the configured limit. */
    TOO_LARGE("too_large"),
    /** The thing named does not exist (a stream to cancel, an HTTP route). */
    NOT_FOUND("not_found"),
    /** The engine (e.g. Redis) is unreachable; the request may be retried. */
    UNAVAILABLE("unavailable"),
    /** A backend hook answered something unusable: an error status, not JSON, wrong types, or too large. */
    HOOK_FAILED("hook_failed"),
    /** The handler threw; details are in the server log, not on the wire. */
    INTERNAL("internal"),
    /** The request was cancelled (by {@code cancel} or by the server shutting down). */
    CANCELLED("cancelled");

    private final String code;

    ErrorCode(String code) {
        this.code = code;
    }

    /** The wire value. */
    public String code() {
        return code;
    }

    @Override
    public String toString() {
        return code;
    }
}
