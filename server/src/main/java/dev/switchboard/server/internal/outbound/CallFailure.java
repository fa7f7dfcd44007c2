package dev.switchboard.server.internal.outbound;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ProtocolException;

/** An outbound call (a hook, an upstream) that produced no usable answer, and why; {@link #toProtocol()} is what the client is told. */
public final class CallFailure extends RuntimeException {

    /** Why a hook call failed (also the {@code outcome} tag of its metrics). */
    public enum Kind {
        /** Connection refused or reset before an answer. */
        UNREACHABLE,
        /** No answer within the hook's time-out. */
        TIMEOUT,
        /** Too many calls of this hook in flight. */
        OVERLOADED,
        /** A status other than 200. */
        STATUS,
        /** Not JSON, or JSON of the wrong shape. */
        BAD_ANSWER,
        /** Larger than {@code --hook-max-body}. */
        TOO_LARGE
    }

    private final Kind kind;

    public CallFailure(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** The error frame's code: {@code unavailable} when the backend could not be asked, else {@code hook_failed}. */
    public ProtocolException toProtocol() {
        return switch (kind) {
            case UNREACHABLE, TIMEOUT, OVERLOADED -> new ProtocolException(ErrorCode.UNAVAILABLE, getMessage());
            case STATUS, BAD_ANSWER, TOO_LARGE -> new ProtocolException(ErrorCode.HOOK_FAILED, getMessage());
        };
    }
}
