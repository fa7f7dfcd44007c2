package dev.switchboard.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Builders for server-to-client frames. Every frame the server sends is made here, so the shapes in
 * docs/protocol.md have exactly one implementation.
 */
public final class Frames {

    private Frames() {
    }

    /**
     * {@code {"type":"reply","re":id,"data":data}}, written field by field by {@link Json#bytes}, {@code data}
     * (a node, a record, a map, {@link RawJson}) straight into the frame: no tree of the frame, and none of the
     * data (a record's tree was built and walked once per reply). {@link Json#toTree} makes it a node where one
     * is needed (a resumable reply's stream reads its frames).
     */
    public static WrittenJson reply(String re, Object data) {
        return new Reply(re, data);
    }

    private record Reply(String re, Object data) implements WrittenJson {
        @Override
        public void serialize(JsonGenerator g, SerializerProvider provider) throws IOException {
            g.writeStartObject();
            g.writeStringField("type", MessageTypes.REPLY);
            g.writeStringField("re", re);
            g.writeFieldName("data");
            provider.defaultSerializeValue(data, g);
            g.writeEndObject();
        }
    }

    /** {@code {"type":"error","re":id,"error":{"code":..,"message":..}}}; {@code re} omitted when unknown. */
    public static ObjectNode error(String re, String code, String message) {
        ObjectNode f = typed(MessageTypes.ERROR);
        if (re != null) {
            f.put("re", re);
        }
        ObjectNode error = f.putObject("error");
        error.put("code", code);
        error.put("message", message);
        return f;
    }

    /** One piece of a streamed reply. */
    public static ObjectNode chunk(String re, Object data) {
        ObjectNode f = typed(MessageTypes.CHUNK);
        f.put("re", re);
        f.set("data", Json.toTree(data));
        return f;
    }

    /** The end of a streamed reply; {@code reason} is {@code null} on normal completion, else e.g. "cancelled". */
    public static ObjectNode end(String re, String reason) {
        ObjectNode f = typed(MessageTypes.END);
        f.put("re", re);
        if (reason != null) {
            f.put("reason", reason);
        }
        return f;
    }

    /** {@code {"type":"pong"}}, correlated when the ping had an id. */
    public static ObjectNode pong(String re, long serverTime) {
        ObjectNode f = typed(MessageTypes.PONG);
        if (re != null) {
            f.put("re", re);
        }
        f.put("ts", serverTime);
        return f;
    }

    /** Sent once a connection has an identity (on connect with a ticket or anonymous, or after {@code auth}). */
    public static ObjectNode welcome(String connection, String session, String user, String endpoint,
                                     String node, long serverTime) {
        ObjectNode f = typed(MessageTypes.WELCOME);
        f.put("connection", connection);
        f.put("session", session);
        f.put("user", user);
        f.put("endpoint", endpoint);
        f.put("node", node);
        f.put("ts", serverTime);
        return f;
    }

    /**
     * Asks the client for a new ticket: its credential ended at {@code expiresAt}; without a {@code refresh}
     * by {@code deadline} (ms since the epoch) the connection is closed with 4005.
     */
    public static ObjectNode refresh(long expiresAt, long deadline) {
        ObjectNode f = typed(MessageTypes.REFRESH);
        f.put("expiresAt", expiresAt);
        f.put("deadline", deadline);
        return f;
    }

    /** A channel publication as pushed to subscribers (see {@link #channelMessage(Publication)}). */
    public static WrittenJson channelMessage(String channel, long offset, String epoch, long ts, String from,
                                                  JsonNode data) {
        return channelMessage(new Publication(channel, offset, epoch, ts, from, data));
    }

    /**
     * A stored channel publication as its subscribers receive it. Written field by field by {@link Json#bytes}
     * rather than built as a tree first: it is the frame every publication is encoded into, and the tree's
     * seven map insertions and its walk were a few per cent of a node's CPU per publication;
     * {@link Json#toTree} makes it a node where one is needed (a history reply).
     */
    public static WrittenJson channelMessage(Publication p) {
        return new ChannelMessage(p);
    }

    private record ChannelMessage(Publication p) implements WrittenJson {
        @Override
        public void serialize(JsonGenerator g, SerializerProvider provider) throws IOException {
            g.writeStartObject();
            g.writeStringField("type", MessageTypes.MESSAGE);
            Replies.writePlace(g, p);
            g.writeStringField("from", p.from());
            g.writeFieldName("data");
            if (p.data() == null) {
                g.writeNull();
            } else {
                p.data().serialize(g, provider);
            }
            g.writeEndObject();
        }
    }

    /** A message addressed to a user (all their connections) or to everyone; it has no channel and no offset. */
    public static ObjectNode directMessage(String to, long ts, String from, JsonNode data) {
        ObjectNode f = typed(MessageTypes.MESSAGE);
        if (to != null) {
            f.put("to", to);
        } else {
            f.put("broadcast", true);
        }
        f.put("ts", ts);
        f.put("from", from);
        f.set("data", data);
        return f;
    }

    /** A presence change in a channel: {@code event} is "join" or "leave". */
    public static ObjectNode presenceEvent(String channel, String event, String user, long ts) {
        ObjectNode f = typed(MessageTypes.PRESENCE);
        f.put("channel", channel);
        f.put("event", event);
        f.put("user", user);
        f.put("ts", ts);
        return f;
    }

    private static ObjectNode typed(String type) {
        ObjectNode f = Json.object();
        f.put("type", type);
        return f;
    }
}
