package dev.switchboard.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnvelopeCodecTest {

    static Envelope decode(String s) {
        return EnvelopeCodec.decode(s.getBytes(StandardCharsets.UTF_8));
    }

    static String code(String s) {
        return assertThrows(ProtocolException.class, () -> decode(s)).code();
    }

    @Test
    void decodesTheEnvelope() {
        Envelope e = decode("{\"id\":\"c1\",\"type\":\"publish\",\"data\":{\"channel\":\"a\"}}");
        assertEquals("c1", e.id());
        assertEquals("publish", e.type());
        assertEquals("a", e.requireText("channel"));
        assertTrue(e.wantsReply());
    }

    @Test
    void idIsOptionalAndIntegerIdsAreTolerated() {
        assertNull(decode("{\"type\":\"ping\"}").id());
        assertEquals("7", decode("{\"id\":7,\"type\":\"ping\"}").id());
        assertTrue(decode("{\"type\":\"ping\"}").data().isNull());
    }

    @Test
    void rejectsWhatIsNotAnEnvelope() {
        assertEquals("bad_json", code("{"));
        assertEquals("bad_json", code(""));
        assertEquals("bad_json", code("{\"type\":\"a\"} trailing"));
        assertEquals("bad_envelope", code("\"a string\""));
        assertEquals("bad_envelope", code("{\"type\":\"\"}"));
        assertEquals("bad_envelope", code("{\"id\":true,\"type\":\"a\"}"));
        assertEquals("bad_envelope", code("{\"type\":\"" + "x".repeat(200) + "\"}"));
        assertEquals("bad_json", code("[".repeat(1000) + "]".repeat(1000)));
    }

    @Test
    void errorsAfterTheIdCarryIt() {
        var e = assertThrows(EnvelopeCodec.EnvelopeException.class, () -> decode("{\"id\":\"x9\"}"));
        assertEquals("x9", e.id());
    }

    @Test
    void requiredFieldsSayWhatIsMissing() {
        Envelope e = decode("{\"type\":\"publish\",\"data\":{\"channel\":3}}");
        ProtocolException ex = assertThrows(ProtocolException.class, () -> e.requireText("channel"));
        assertEquals("bad_request", ex.code());
        assertTrue(ex.getMessage().contains("data.channel"));
        assertEquals("bad_request", assertThrows(ProtocolException.class, () -> e.requireField("data")).code());
    }

    @Test
    void framesHaveTheDocumentedShapes() {
        assertEquals("{\"type\":\"reply\",\"re\":\"c1\",\"data\":{\"a\":1}}",
                Json.text(Frames.reply("c1", java.util.Map.of("a", 1))));
        assertEquals("{\"type\":\"error\",\"re\":\"c1\",\"error\":{\"code\":\"forbidden\",\"message\":\"no\"}}",
                Json.text(Frames.error("c1", "forbidden", "no")));
        assertEquals("{\"type\":\"end\",\"re\":\"c1\",\"reason\":\"cancelled\"}", Json.text(Frames.end("c1", "cancelled")));
        assertEquals("{\"type\":\"message\",\"channel\":\"c\",\"offset\":3,\"epoch\":\"e\",\"ts\":5,\"from\":\"u\",\"data\":1}",
                Json.text(Frames.channelMessage("c", 3, "e", 5, "u", Json.toTree(1))));
    }

    @Test
    void aChannelMessageIsWrittenExactlyAsItsTreeWas() {
        List<JsonNode> payloads = List.of(Json.parse("{\"a\":[1,2.50,\"\u00e9\\n\\u0000\"],\"b\":null,\"c\":{\"d\":true}}"),
                Json.toTree("text"), Json.toTree(-7), Json.parse("[]"), com.fasterxml.jackson.databind.node.NullNode.instance);
        java.util.List<String> froms = java.util.Arrays.asList("alice", null, "\u00fcber \"quoted\"");
        for (JsonNode data : payloads) {
            for (String from : froms) {
                ObjectNode tree = Json.object(); // the frame as it was built before, field by field
                tree.put("type", "message");
                tree.put("channel", "chat:1");
                tree.put("offset", 42L);
                tree.put("epoch", "ep");
                tree.put("ts", 1_700_000_000_000L);
                tree.put("from", from);
                tree.set("data", data);
                Publication p = new Publication("chat:1", 42, "ep", 1_700_000_000_000L, from, data);
                assertEquals(Json.text(tree), Json.text(Frames.channelMessage(p)));
                assertEquals(tree, Json.toTree(Frames.channelMessage(p)));
            }
        }
        assertEquals("{\"type\":\"message\",\"channel\":\"c\",\"offset\":1,\"epoch\":null,\"ts\":2,\"from\":null,\"data\":null}",
                Json.text(Frames.channelMessage("c", 1, null, 2, null, null)));
    }

    record Ack(String channel, long offset, String epoch) {
    }

    @Test
    void aReplyIsWrittenExactlyAsItsTreeWas() {
        for (Object data : java.util.Arrays.asList(new Ack("c", 3, null), java.util.Map.of("a", List.of(1, 2)),
                Json.parse("{\"x\":[true,null,1.50]}"), "text", 7, null)) {
            ObjectNode tree = Json.object(); // the frame as it was built before
            tree.put("type", "reply");
            tree.put("re", "r1");
            tree.set("data", data == null ? null : Json.toTree(data));
            assertEquals(Json.text(tree), Json.text(Frames.reply("r1", data)), String.valueOf(data));
            assertEquals(tree, Json.toTree(Frames.reply("r1", data)), String.valueOf(data));
        }
    }

    @Test
    void aPublishReplyIsWrittenAsItsTreeWas() {
        for (Publication p : List.of(new Publication("chat:1", 7, "ep", 1_700_000_000_000L, "u", null),
                new Publication("c", 1, null, 0, null, null))) {
            ObjectNode tree = Json.object();
            tree.put("channel", p.channel());
            tree.put("offset", p.offset());
            tree.put("epoch", p.epoch());
            tree.put("ts", p.ts());
            assertEquals(Json.text(tree), Json.text(Replies.publish(p)));
            assertEquals(Json.text(Json.object().set("data", tree)),
                    Json.text(Json.object().putPOJO("data", Replies.publish(p))), "inside a tree, as a batch's result");
        }
    }
}
