package dev.switchboard.protocol;


/** Channel-name rules shared by the WebSocket built-ins and the HTTP API. */
public final class Channels {

    /** Longest channel name. */
    public static final int MAX_LENGTH = 255;

    private Channels() {
    }

    /** Returns {@code name} when it is a valid channel name, else throws {@code bad_request}. */
    public static String validate(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_LENGTH) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "channel must be 1-" + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                throw new ProtocolException(ErrorCode.BAD_REQUEST, "channel must not contain whitespace or control characters");
            }
        }
        return name;
    }
}
