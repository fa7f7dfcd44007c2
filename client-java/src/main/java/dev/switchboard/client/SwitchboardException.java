package dev.switchboard.client;

/**
 * A request that failed: an {@code error} frame from the server (its wire code, e.g. {@code forbidden}) or a
 * client-side failure ({@link #TIMEOUT}, {@link #DISCONNECTED}, {@link #CLOSED}).
 */
public class SwitchboardException extends RuntimeException {

    /** No answer within the request's timeout. */
    public static final String TIMEOUT = "timeout";
    /** The connection the request was sent on went away before the answer came. */
    public static final String DISCONNECTED = "disconnected";
    /** The client was closed (or the server refused it for good, e.g. close code 4003 or 4009). */
    public static final String CLOSED = "closed";

    private final String code;

    public SwitchboardException(String code, String message) {
        super(code + ": " + message);
        this.code = code;
    }

    /** The error code: a wire code from the server (see docs/protocol.md) or one of this class's constants. */
    public String code() {
        return code;
    }
}
