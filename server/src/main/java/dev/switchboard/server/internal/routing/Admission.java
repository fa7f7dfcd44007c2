package dev.switchboard.server.internal.routing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.internal.auth.Permissions;
import java.util.Map;

/**
 * Who a connection is once let in, however that was decided (ticket, connect hook, or both).
 *
 * @param user        the user; {@code null} for an anonymous connection
 * @param permissions what it may do
 * @param claims      the ticket's claims (or {@code sub} alone when a hook let it in without a ticket)
 * @param expiresAt   when the credential ends, ms since the epoch; 0 = never
 * @param data        the connect hook's {@code data} for the client's {@code welcome}, or {@code null}
 */
record Admission(String user, Permissions permissions, Map<String, Object> claims, long expiresAt, JsonNode data) {
}
