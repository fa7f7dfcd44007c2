package dev.switchboard.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RawJsonTest {

    /** Answers of every shape: each field's bytes must parse to exactly what a parse tree holds for it. */
    private static final List<String> DOCUMENTS = List.of(
            "{\"data\":1}",
            "{\"data\":-12.5e3}",
            "{\"data\":0,\"x\":1}",
            "{ \"data\" : 42 , \"after\" : [1,2] }",
            "{\"data\":\"tok\\\"en \\u00e9\\n\",\"b\":true}",
            "{\"data\":\"é ✓ 😀\"}",
            "{\"data\":true}",
            "{\"data\":false,\"y\":null}",
            "{\"data\":null}",
            "{\"data\":{\"a\":[1,{\"b\":\"}\"}],\"c\":\"]\"}}",
            "{\"data\":[],\"error\":{}}",
            "\n\t {\"a\":{},\"data\":[[[\"x\"]]]}\r\n",
            "{\"data\":1,\"data\":2}",
            "{}");

    @Test
    void everyFieldIsExactlyItsValue() {
        for (String doc : DOCUMENTS) {
            byte[] bytes = doc.getBytes(StandardCharsets.UTF_8);
            JsonNode tree = Json.parse(bytes);
            Map<String, RawJson> fields = RawJson.fields(bytes);
            assertEquals(tree.size(), fields.size(), doc);
            fields.forEach((name, raw) -> assertEquals(tree.get(name), raw.tree(), doc + " field " + name));
        }
    }

    @Test
    void aFrameEmbedsTheBytesAsTheyAre() {
        String data = "{\"z\":1.50,\"a\":[true,null,\"\\u0041\"]}";
        RawJson raw = RawJson.fields(("{\"data\":" + data + "}").getBytes(StandardCharsets.UTF_8)).get("data");
        byte[] frame = Json.bytes(Frames.reply("r1", raw));
        assertEquals("{\"type\":\"reply\",\"re\":\"r1\",\"data\":" + data + "}", new String(frame, StandardCharsets.UTF_8));
        assertEquals(Json.parse(Json.bytes(Frames.reply("r1", Json.parse(data)))), Json.parse(frame));
        assertEquals(data, Json.text(Frames.reply("r1", raw)).substring("{\"type\":\"reply\",\"re\":\"r1\",\"data\":".length(),
                Json.text(Frames.reply("r1", raw)).length() - 1), "a character generator writes the same");
        assertArrayEquals(data.getBytes(StandardCharsets.UTF_8), raw.bytes());
    }

    @Test
    void anythingButOneValidObjectIsBadJson() {
        List<String> bad = List.of(
                "", "[1]", "\"s\"", "42", "null",
                "{\"data\":1} {}", "{\"data\":1}]", "{\"data\":}", "{\"data\":[1,}", "{\"data\":\"open}",
                "{\"data\":\"ctl\u0001\"}", "{\"data\":\"\\x\"}", "{\"data\":tru}", "{\"data\":01}",
                "{\"data\":[" + "[".repeat(Json.MAX_NESTING_DEPTH + 1) + "]".repeat(Json.MAX_NESTING_DEPTH + 1) + "]}");
        for (String doc : bad) {
            ProtocolException e = assertThrows(ProtocolException.class,
                    () -> RawJson.fields(doc.getBytes(StandardCharsets.UTF_8)), doc);
            assertEquals(ErrorCode.BAD_JSON.code(), e.code(), doc);
        }
        byte[] brokenUtf8 = {'{', '"', 'd', '"', ':', '"', (byte) 0xC3, '(', '"', '}'};
        assertThrows(ProtocolException.class, () -> RawJson.fields(brokenUtf8), "a broken UTF-8 sequence inside a skipped string");
        byte[] utf16 = "\uFEFF{\"data\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_16BE);
        assertEquals(ErrorCode.BAD_JSON.code(), assertThrows(ProtocolException.class, () -> RawJson.fields(utf16)).code(),
                "UTF-16 has no byte offsets to cut at: refused, not mis-cut");
    }
}
