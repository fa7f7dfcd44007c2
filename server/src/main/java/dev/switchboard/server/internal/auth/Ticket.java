package dev.switchboard.server.internal.auth;

import java.util.Map;

/**
 * A verified connection ticket.
 *
 * @param user        the {@code sub} claim
 * @param expiresAt   the {@code exp} claim, ms since the epoch
 * @param permissions from the claims, or the server defaults when the ticket has none
 * @param claims      every claim, for application handlers
 */
public record Ticket(String user, long expiresAt, Permissions permissions, Map<String, Object> claims) {
}
