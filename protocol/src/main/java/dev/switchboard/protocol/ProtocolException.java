package dev.switchboard.protocol;

/** A request that cannot be served, carrying the {@link ErrorCode} the client will see. */
public class ProtocolException extends RuntimeException {

    private final String code;

    public ProtocolException(ErrorCode code, String message) {
        this(code.code(), message);
    }

    /** For application handlers that define their own codes (e.g. {@code "quota_exceeded"}). */
    public ProtocolException(String code, String message) {
        super(message, null, false, false); // no stack trace: this is an expected outcome, not a bug
        this.code = code;
    }

    /** The wire code. */
    public String code() {
        return code;
    }
}
