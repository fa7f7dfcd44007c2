package dev.switchboard.server.app;

/** A backend's answer to a {@link RefreshRequest}. */
public sealed interface RefreshResult {

    /** No opinion: the client is asked to send a new ticket ({@code refresh} frame). */
    RefreshResult UNDECIDED = new Undecided();

    /** The credential now ends at {@code expiresAt} (ms since the epoch); {@code channels} null keeps them. */
    record Extended(long expiresAt, ChannelGrants channels) implements RefreshResult {
    }

    /** Not renewed: the connection is closed with the expiry close code. */
    record Expired(String reason) implements RefreshResult {
    }

    /** See {@link #UNDECIDED}. */
    record Undecided() implements RefreshResult {
    }
}
