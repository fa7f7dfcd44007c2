package dev.switchboard.server.app;

import java.util.List;

/**
 * One connection as the APIs show it.
 *
 * @param transport   "websocket" or "sse"
 * @param remote      the client's address (a trusted proxy's X-Forwarded-For, else the peer's)
 * @param connectedAt epoch milliseconds
 * @param channels    the channels it is subscribed to, sorted
 */
public record ConnectionView(String id, String user, String session, String endpoint, String transport,
                             String remote, long connectedAt, int framesIn, long bytesIn, int framesOut,
                             long bytesOut, List<String> channels) {
}
