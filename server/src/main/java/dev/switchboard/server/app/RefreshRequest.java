package dev.switchboard.server.app;

import java.util.Map;

/**
 * A connection whose credential just expired: the backend may extend it.
 *
 * @param connection the connection id
 * @param user       its user
 * @param endpoint   its endpoint path
 * @param claims     the claims it was let in with (ticket or hook)
 * @param expiresAt  the expiry that passed, ms since the epoch
 */
public record RefreshRequest(String connection, String user, String endpoint, Map<String, Object> claims,
                             long expiresAt) {
}
