package dev.switchboard.server.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * A client's {@code subscribe} or {@code publish} on a channel, after its claims allowed it.
 *
 * @param connection the connection id
 * @param user       its user, or {@code null} when anonymous
 * @param endpoint   its endpoint path
 * @param channel    the channel
 * @param claims     the claims it was let in with
 * @param data       for publish, the payload; for subscribe, {@code data.data} of the request (or {@code null})
 */
public record ChannelRequest(String connection, String user, String endpoint, String channel,
                             Map<String, Object> claims, JsonNode data) {
}
