package dev.switchboard.server.internal.pusher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.Json;

/** The frames of the Pusher Channels protocol (version 7): {@code {"event", "channel"?, "data"}}. */
final class PusherFrames {

    private PusherFrames() {
    }

    /** An event; {@code data} goes as it is (a string for app events, an object for some protocol events). */
    static ObjectNode event(String event, String channel, JsonNode data) {
        ObjectNode f = Json.object();
        f.put("event", event);
        if (channel != null) {
            f.put("channel", channel);
        }
        if (data != null) {
            f.set("data", data);
        }
        return f;
    }

    /** An event whose data is JSON encoded as a string, as Pusher sends its own events. */
    static ObjectNode encoded(String event, String channel, JsonNode data) {
        return event(event, channel, Json.MAPPER.getNodeFactory().textNode(data.toString()));
    }

    /** {@code pusher:error} with one of Pusher's 4000-4301 codes (null: none). */
    static ObjectNode error(Integer code, String message) {
        ObjectNode data = Json.object();
        if (code == null) {
            data.putNull("code");
        } else {
            data.put("code", code);
        }
        data.put("message", message);
        return event("pusher:error", null, data);
    }

    /** {@code pusher:subscription_error}: {@code {type, error, status}}. */
    static ObjectNode subscriptionError(String channel, String type, String error, int status) {
        return event("pusher:subscription_error", channel, Json.object().put("type", type).put("error", error)
                .put("status", status));
    }

    /** An app event's data as Pusher clients receive it: a string (JSON text stays text). */
    static JsonNode dataString(JsonNode data) {
        if (data == null || data.isNull()) {
            return Json.MAPPER.getNodeFactory().textNode("");
        }
        return data.isTextual() ? data : Json.MAPPER.getNodeFactory().textNode(data.toString());
    }
}
