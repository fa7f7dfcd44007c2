package dev.switchboard.server.internal.resumable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.Json;
import dev.switchboard.protocol.MessageTypes;
import dev.switchboard.server.streams.StreamOffsets;
import java.util.Set;

/**
 * How a resumable reply is written into its stream (a JSON-mode Durable Stream at {@code replies/ID}) and read
 * back into frames. Each message is an answer frame without its correlation ({@code {"type":"chunk","data":…}},
 * {@code end}, {@code error}, {@code reply}), after a first {@code {"type":"start","node":…,"request":…}} that
 * names the producing node. A reader's frame is the message with its own {@code re}, the stream and the
 * offset after the message, from which it can resume.
 */
final class ReplyLog {

    static final String PREFIX = "replies/";
    static final String CONTENT_TYPE = "application/json";
    static final String START = "start";
    /** The frame a resumable request is answered with first: its stream and where the answer starts. */
    static final String STREAM = "stream";
    private static final Set<String> TERMINAL = Set.of(MessageTypes.END, MessageTypes.ERROR, MessageTypes.REPLY);

    private ReplyLog() {
    }

    static boolean isReply(String path) {
        return path.startsWith(PREFIX);
    }

    static byte[] start(String node, String requestType) {
        return Json.bytes(Json.object().put("type", START).put("node", node).put("request", requestType));
    }

    /** The stored form of an answer frame: the frame without {@code re}. */
    static byte[] stored(ObjectNode frame) {
        ObjectNode copy = frame.deepCopy();
        copy.remove("re");
        return Json.bytes(copy);
    }

    static boolean terminal(JsonNode message) {
        return TERMINAL.contains(message.path("type").asText());
    }

    /** A reader's frame of a stored message. */
    static ObjectNode frame(JsonNode message, String re, String path, long end) {
        ObjectNode frame = Json.object();
        frame.put("type", message.path("type").asText());
        if (re != null) {
            frame.put("re", re);
        }
        message.fields().forEachRemaining(f -> {
            if (!f.getKey().equals("type")) {
                frame.set(f.getKey(), f.getValue());
            }
        });
        return located(frame, path, end);
    }

    /** Adds where the frame sits in the reply's stream. */
    static ObjectNode located(ObjectNode frame, String path, long end) {
        return frame.put("stream", path).put("offset", StreamOffsets.format(end));
    }

    static ObjectNode announcement(String re, String path, long end) {
        return located(Json.object().put("type", STREAM).put("re", re), path, end);
    }

    static ObjectNode end(String reason) {
        ObjectNode end = Json.object().put("type", MessageTypes.END);
        if (reason != null) {
            end.put("reason", reason);
        }
        return end;
    }
}
