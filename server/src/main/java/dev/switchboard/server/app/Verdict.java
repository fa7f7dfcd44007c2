package dev.switchboard.server.app;

import com.fasterxml.jackson.databind.JsonNode;

/** A backend's answer to a {@link ChannelRequest}. */
public sealed interface Verdict {

    /** Allowed as asked. */
    Verdict ALLOW = new Allowed(null);

    /**
     * Allowed. For a publish, a non-null {@code data} replaces the payload before it is stored and fanned out;
     * for a subscribe it is added to the reply as {@code data}.
     */
    record Allowed(JsonNode data) implements Verdict {
    }

    /** Refused with an error code the client sees in the error frame. */
    record Denied(String code, String message) implements Verdict {
    }

    /** The connection is closed with this close code and reason. */
    record Disconnected(int code, String reason) implements Verdict {
    }
}
