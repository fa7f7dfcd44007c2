package dev.switchboard.server.internal.pusher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.Json;
import dev.switchboard.protocol.Publication;
import dev.switchboard.server.internal.delivery.ChannelFormat;
import dev.switchboard.server.internal.delivery.Member;

/**
 * An app's channels as Pusher clients receive them. A publication's data is {@code {event, data, socket_id?}}
 * (what the Pusher HTTP API stores; a native publish without {@code event} arrives as the event
 * {@code message} with the whole data); presence changes become {@code pusher_internal:member_added} (not to
 * the joiner) and {@code member_removed}, with their data JSON-encoded as Pusher sends it.
 */
final class PusherFormat implements ChannelFormat {

    /** The event name of a publication that did not give one. */
    static final String DEFAULT_EVENT = "message";

    private final PusherApps.App app;
    private final SocketIds sockets;

    PusherFormat(PusherApps.App app, SocketIds sockets) {
        this.app = app;
        this.sockets = sockets;
    }

    /** What the app's HTTP API publishes into a channel. */
    static ObjectNode stored(String event, JsonNode data, String socketId) {
        ObjectNode stored = Json.object().put("event", event);
        stored.set("data", data);
        if (socketId != null) {
            stored.put("socket_id", socketId);
        }
        return stored;
    }

    @Override
    public Encoded publication(Publication p) {
        JsonNode d = p.data();
        boolean pusherShaped = d != null && d.isObject() && d.path("event").isTextual();
        String event = pusherShaped ? d.get("event").asText() : DEFAULT_EVENT;
        JsonNode data = pusherShaped ? d.get("data") : d;
        String socketId = pusherShaped ? d.path("socket_id").asText(null) : null;
        ObjectNode frame = PusherFrames.event(event, app.external(p.channel()), PusherFrames.dataString(data));
        return new Encoded(Json.bytes(frame), socketId == null || sockets == null ? null : sockets.connectionOf(socketId));
    }

    @Override
    public Encoded presence(String channel, boolean joined, Member member, String joiner) {
        ObjectNode data = Json.object().put("user_id", member.user());
        if (joined) {
            data.set("user_info", member.info() == null ? Json.object() : member.info());
        }
        ObjectNode frame = PusherFrames.encoded(joined ? "pusher_internal:member_added" : "pusher_internal:member_removed",
                app.external(channel), data);
        return new Encoded(Json.bytes(frame), joined ? joiner : null);
    }
}
