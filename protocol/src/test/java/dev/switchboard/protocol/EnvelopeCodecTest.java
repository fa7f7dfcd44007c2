package dev.switchboard.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
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
}
