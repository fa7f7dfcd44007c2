package dev.switchboard.client;

import dev.switchboard.protocol.StreamPosition;
import dev.switchboard.protocol.HistoryPage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.Json;
import java.util.ArrayList;
import java.util.List;

/** Reads server frames into the client's records and writes client envelopes. The JSON shapes live here only. */
final class Wire {

    private Wire() {
    }

    /** {@code {"id":..,"type":..,"data":..}}; {@code data} is converted with the shared mapper (records, maps, nodes). */
    static String envelope(String id, String type, Object data) {
        return envelope(id, type, data, false);
    }

    /** With {@code resumable}, the request asks for a resumable reply ({@code "resumable":true}). */
    static String envelope(String id, String type, Object data, boolean resumable) {
        ObjectNode frame = Json.object();
        if (id != null) {
            frame.put("id", id);
        }
        frame.put("type", type);
        if (data != null) {
            frame.set("data", Json.toTree(data));
        }
        if (resumable) {
            frame.put("resumable", true);
        }
        return Json.text(frame);
    }

    static Welcome welcome(JsonNode frame) {
        return new Welcome(text(frame, "connection"), text(frame, "session"), text(frame, "user"),
                text(frame, "node"));
    }

    /** A {@code message} push or an entry of {@code publications}; {@code channel} fills in a missing channel. */
    static Message message(JsonNode frame, String channel) {
        String ch = text(frame, "channel");
        if (ch == null) {
            ch = channel;
        }
        JsonNode data = frame.get("data");
        return new Message(ch,
                ch == null ? -1 : frame.path("offset").asLong(-1),
                ch == null ? null : text(frame, "epoch"),
                frame.path("ts").asLong(0),
                text(frame, "from"),
                text(frame, "to"),
                frame.path("broadcast").asBoolean(false),
                data == null ? NullNode.getInstance() : data);
    }

    static List<Message> publications(JsonNode array, String channel) {
        List<Message> messages = new ArrayList<>();
        if (array != null && array.isArray()) {
            for (JsonNode entry : array) {
                messages.add(message(entry, channel));
            }
        }
        return messages;
    }

    static PresenceEvent presenceEvent(JsonNode frame) {
        return new PresenceEvent(text(frame, "channel"), "join".equals(text(frame, "event")), text(frame, "user"),
                frame.path("ts").asLong(0));
    }

    static List<PresenceUser> presenceUsers(JsonNode data) {
        List<PresenceUser> users = new ArrayList<>();
        for (JsonNode entry : data.path("users")) {
            users.add(new PresenceUser(text(entry, "user"), entry.path("connections").asInt(1)));
        }
        return users;
    }

    /** {@code {"offset","epoch"}} of a reply's data; offset {@code -1} when the server sent none. */
    static StreamPosition position(JsonNode data) {
        return new StreamPosition(data.path("offset").asLong(-1), text(data, "epoch"));
    }

    static HistoryPage<Message> historyPage(JsonNode data, String channel) {
        return new HistoryPage<>(publications(data.get("publications"), channel), position(data),
                data.path("complete").asBoolean(true));
    }

    static SwitchboardException error(JsonNode frame) {
        JsonNode error = frame.path("error");
        String code = text(error, "code");
        String message = text(error, "message");
        return new SwitchboardException(code == null ? "internal" : code, message == null ? "" : message);
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
