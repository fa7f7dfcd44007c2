package dev.switchboard.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;

/**
 * The {@code data} of replies that several faces of the gateway give alike: the WebSocket built-ins, the HTTP
 * API and the admin API answer a publish, a presence or a history request with the same shape.
 */
public final class Replies {

    private Replies() {
    }

    /**
     * A publication's place: {@code {channel, offset, epoch, ts}}, written field by field (the answer to every
     * publish; its tree was a twelfth of the bytes a publication allocated).
     */
    public static WrittenJson publish(Publication p) {
        return new Placed(p);
    }

    private record Placed(Publication p) implements WrittenJson {
        @Override
        public void serialize(JsonGenerator g, SerializerProvider provider) throws IOException {
            g.writeStartObject();
            writePlace(g, p);
            g.writeEndObject();
        }
    }

    /** {@code channel, offset, epoch, ts}: the publish reply's fields, and the head of a channel message's. */
    static void writePlace(JsonGenerator g, Publication p) throws IOException {
        g.writeStringField("channel", p.channel());
        g.writeNumberField("offset", p.offset());
        g.writeStringField("epoch", p.epoch());
        g.writeNumberField("ts", p.ts());
    }

    /** Who is in a channel: {@code {channel, users: [{user, connections}]}}. */
    public static ObjectNode presence(String channel, List<PresenceEntry> users) {
        ObjectNode reply = Json.object();
        reply.put("channel", channel);
        ArrayNode list = reply.putArray("users");
        for (PresenceEntry e : users) {
            list.addObject().put("user", e.user()).put("connections", e.connections());
        }
        return reply;
    }

    /** A page of history: {@code {channel, offset, epoch, complete, publications: [message frames]}}. */
    public static ObjectNode history(String channel, HistoryPage<Publication> page) {
        ObjectNode reply = position(channel, page.position());
        reply.put("complete", page.complete());
        messages(reply, page.publications());
        return reply;
    }

    /**
     * A subscription: {@code {channel, offset, epoch}}, and when the client asked to recover,
     * {@code recovered} and the missed {@code publications}.
     */
    public static ObjectNode subscribe(String channel, StreamPosition position, Boolean recovered,
                                       List<Publication> missed) {
        ObjectNode reply = position(channel, position);
        if (recovered != null) {
            reply.put("recovered", recovered);
            messages(reply, missed);
        }
        return reply;
    }

    private static ObjectNode position(String channel, StreamPosition position) {
        ObjectNode reply = Json.object();
        reply.put("channel", channel);
        reply.put("offset", position.offset());
        reply.put("epoch", position.epoch());
        return reply;
    }

    private static void messages(ObjectNode reply, List<Publication> publications) {
        ArrayNode list = reply.putArray("publications");
        for (Publication p : publications) {
            list.add(Json.toTree(Frames.channelMessage(p)));
        }
    }
}
