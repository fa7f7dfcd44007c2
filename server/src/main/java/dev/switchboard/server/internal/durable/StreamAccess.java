package dev.switchboard.server.internal.durable;

import dev.switchboard.protocol.ProtocolException;
import dev.switchboard.server.internal.api.ApiKeys;
import dev.switchboard.server.internal.auth.Ticket;
import dev.switchboard.server.internal.auth.TicketVerifier;
import dev.switchboard.server.internal.transport.HttpRequestData;
import dev.switchboard.server.streams.StreamState;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Who may do what under the prefix. Writes (create, append, close, delete) take an API key
 * ({@code Authorization: Bearer KEY}); the writer they count against is the key (by a digest, never the key
 * itself). Reads take an API key, or a ticket ({@code Authorization: Bearer JWT}, or {@code ?token=} where a
 * browser's EventSource cannot set headers) that {@link StreamState#readableBy} lets read: a resumable reply's
 * requester, or a user whose permissions let it subscribe to the channel {@code stream:PATH}.
 */
final class StreamAccess {

    /** The answer of a check: null when allowed, else the status and why. */
    record Denied(int status, String message) {
    }

    private final ApiKeys keys;
    private final TicketVerifier tickets;

    StreamAccess(ApiKeys keys, TicketVerifier tickets) {
        this.keys = keys;
        this.tickets = tickets;
    }

    /** The writer identity of a request with an API key, or null. */
    String writer(HttpRequestData request) {
        if (!keys.allows(request)) {
            return null;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(
                    request.header("Authorization").substring(7).trim().getBytes(StandardCharsets.UTF_8));
            return "key:" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    Denied mayWrite(HttpRequestData request) {
        return keys.allows(request) ? null
                : new Denied(401, "Writes need the API key: Authorization: Bearer KEY");
    }

    /** Whether the request may read {@code state}'s stream. */
    Denied mayRead(HttpRequestData request, StreamState state) {
        if (keys.allows(request)) {
            return null;
        }
        String token = bearer(request);
        if (token == null) {
            token = request.queryParam("token");
        }
        if (token == null) {
            return new Denied(401, "Reads need the API key or a ticket (Authorization: Bearer, or ?token=)");
        }
        Ticket ticket;
        try {
            ticket = tickets.verify(token);
        } catch (ProtocolException e) {
            return new Denied(401, e.getMessage());
        }
        if (state.readableBy(ticket.user(), ticket.permissions()::maySubscribe)) {
            return null;
        }
        return new Denied(403, "This ticket may not read " + state.path());
    }

    private static String bearer(HttpRequestData request) {
        String header = request.header("Authorization");
        return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
    }
}
