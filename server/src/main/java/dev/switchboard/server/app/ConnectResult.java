package dev.switchboard.server.app;

import com.fasterxml.jackson.databind.JsonNode;

/** A backend's answer to a {@link ConnectRequest}. */
public sealed interface ConnectResult {

    /** No opinion: the ticket (if any) decides, as without hooks. */
    ConnectResult UNDECIDED = new Undecided();

    /**
     * Let in as {@code user}.
     *
     * @param user      the connection's user (replaces the ticket's {@code sub})
     * @param expiresAt when the credential ends, ms since the epoch; {@code null} keeps the ticket's {@code exp}
     *                  (none without a ticket)
     * @param channels  the channel permissions; {@code null} keeps the ticket's (or the server defaults)
     * @param data      sent to the client in {@code welcome.data}; may be {@code null}
     */
    record Accepted(String user, Long expiresAt, ChannelGrants channels, JsonNode data) implements ConnectResult {
        public Accepted {
            if (user == null || user.isBlank()) {
                throw new IllegalArgumentException("an accepted connection needs a user");
            }
        }
    }

    /** Refused with an error code the client sees (e.g. {@code forbidden}). */
    record Refused(String code, String message) implements ConnectResult {
    }

    /** Closed with a WebSocket close code (4000–4999) and reason. */
    record Disconnected(int code, String reason) implements ConnectResult {
    }

    /** See {@link #UNDECIDED}. */
    record Undecided() implements ConnectResult {
    }
}
