package dev.switchboard.protocol;

/** The {@code type} values of the protocol. See docs/protocol.md for each frame with an example. */
public final class MessageTypes {
    // client -> server (built-in handlers)
    public static final String AUTH = "auth";
    public static final String PING = "ping";
    public static final String SUBSCRIBE = "subscribe";
    public static final String UNSUBSCRIBE = "unsubscribe";
    public static final String PUBLISH = "publish";
    public static final String SEND = "send";
    public static final String BROADCAST = "broadcast";
    public static final String PRESENCE = "presence";
    public static final String HISTORY = "history";
    public static final String ECHO = "echo";
    public static final String CANCEL = "cancel";
    public static final String RESUME = "resume";
    /** Client → server: a new ticket for this connection. Server → client: asks for one (credential expired). */
    public static final String REFRESH = "refresh";

    // server -> client
    public static final String WELCOME = "welcome";
    public static final String PONG = "pong";
    public static final String REPLY = "reply";
    public static final String ERROR = "error";
    public static final String CHUNK = "chunk";
    public static final String END = "end";
    public static final String MESSAGE = "message";
    // PRESENCE is also the push type for join/leave events.

    private MessageTypes() {
    }
}
