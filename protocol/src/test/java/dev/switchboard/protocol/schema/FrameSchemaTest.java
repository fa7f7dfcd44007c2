package dev.switchboard.protocol.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.CloseCodes;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Frames;
import dev.switchboard.protocol.Json;
import dev.switchboard.protocol.Publication;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The schema agrees with the frame builders and the code lists of this module, and refuses what it should. */
class FrameSchemaTest {

    private static JsonNode schema() throws Exception {
        try (var in = FrameSchema.class.getResourceAsStream("/dev/switchboard/protocol/switchboard.schema.json")) {
            return Json.MAPPER.readTree(in);
        }
    }

    @Test
    void everyFrameBuilderMakesAValidFrame() {
        for (JsonNode f : List.of(Json.toTree(Frames.reply("1", Json.object().put("a", 1))), Frames.error("1", "forbidden", "no"),
                Frames.error(null, "bad_json", "not JSON"), Frames.chunk("2", Json.object().put("text", "t")),
                Frames.end("2", null), Frames.end("2", "cancelled"), Frames.pong(null, 5), Frames.pong("p", 5),
                Frames.welcome("n-1", "s", "alice", "/ws", "n", 1), Frames.welcome("n-2", "s", null, "/ws", "n", 1),
                Frames.refresh(10, 20), Json.toTree(Frames.channelMessage(new Publication("chat:1", 3, "e", 9, "bob", Json.object()))),
                Frames.directMessage("bob", 1, null, Json.object()), Frames.directMessage(null, 1, "admin", Json.object()),
                Frames.presenceEvent("chat:1", "join", "carol", 1))) {
            FrameSchema.serverFrame(Json.text(f));
        }
    }

    @Test
    void driftIsCaught() {
        assertThrows(AssertionError.class, () -> FrameSchema.serverFrame("{\"type\":\"reply\"}"), "reply without re");
        assertThrows(AssertionError.class, () -> FrameSchema.serverFrame(
                "{\"type\":\"welcome\",\"connection\":\"c\",\"session\":\"s\",\"user\":\"u\",\"endpoint\":\"/ws\",\"node\":\"n\",\"ts\":1,\"extra\":1}"),
                "a field the schema does not know");
        assertThrows(AssertionError.class, () -> FrameSchema.serverFrame("{\"type\":\"presence\",\"channel\":\"c\",\"event\":\"joined\",\"user\":\"u\",\"ts\":1}"));
        assertThrows(AssertionError.class, () -> FrameSchema.serverFrame("{\"type\":\"gossip\"}"), "an unknown frame type");
        assertThrows(AssertionError.class, () -> FrameSchema.clientFrame("{\"type\":\"subscribe\",\"data\":{\"channel\":\"a b\"}}"));
        assertThrows(AssertionError.class, () -> FrameSchema.clientFrame("{\"type\":\"history\",\"data\":{\"channel\":\"c\",\"limit\":5000}}"));
        FrameSchema.clientFrame("{\"id\":\"1\",\"type\":\"subscribe\",\"data\":{\"channel\":\"chat:1\",\"since\":{\"offset\":4,\"epoch\":\"e\"}}}");
        FrameSchema.clientFrame("{\"id\":7,\"type\":\"app.custom\",\"data\":[1,2]}");
        assertFalse(FrameSchema.problems("SubscribeReply", Json.object().put("channel", "c")).isEmpty());
    }

    @Test
    void errorAndCloseCodesListExactlyTheCodesOfTheCode() throws Exception {
        List<String> errorCodes = new ArrayList<>();
        schema().at("/$defs/ErrorCode/x-codes").fieldNames().forEachRemaining(errorCodes::add);
        List<String> enumCodes = new ArrayList<>();
        for (ErrorCode c : ErrorCode.values()) {
            enumCodes.add(c.code());
        }
        assertEquals(enumCodes.stream().sorted().toList(), errorCodes.stream().sorted().toList());

        List<Integer> closeCodes = new ArrayList<>();
        schema().at("/$defs/CloseCode/enum").forEach(n -> closeCodes.add(n.asInt()));
        for (Field f : CloseCodes.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) {
                assertTrue(closeCodes.contains(f.getInt(null)), "CloseCodes." + f.getName() + " is in the schema");
            }
        }
    }
}
