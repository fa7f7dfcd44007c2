package dev.switchboard.server.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * A connection asking to be let in: at the upgrade (with the ticket's claims, or none) and again on each
 * {@code auth} message (with its {@code data}).
 *
 * @param connection   the connection id (unique in the cluster)
 * @param endpoint     the endpoint path, e.g. {@code /ws}
 * @param transport    {@code websocket}, or {@code sse} for the Server-Sent Events fallback
 * @param remoteAddr   the peer's IP address
 * @param headers      the upgrade request's headers that {@code --hook-forward-headers} lets through, lower-case names
 * @param ticketClaims the verified ticket's claims, or {@code null} when no ticket was given
 * @param data         {@code data.data} of the {@code auth} message, or {@code null}
 */
public record ConnectRequest(String connection, String endpoint, String transport, String remoteAddr,
                             Map<String, String> headers, Map<String, Object> ticketClaims, JsonNode data) {
}
