package dev.switchboard.server.internal.delivery;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Who a connection is in a channel's presence: its user, or another identity the channel's protocol gave it
 * (a Pusher presence channel's {@code user_id}), with what it said about itself ({@code user_info}; may be null).
 */
public record Member(String user, JsonNode info) {
}
