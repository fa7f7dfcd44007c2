package dev.switchboard.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.Json;
import dev.switchboard.server.support.GatewayProcess;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code --log-format json}: every application log line of a real node is one JSON object. */
@Tag("multi-process")
class LogFormatTest {

    @Test
    void jsonLogLinesFromTheFirstOne() throws Exception {
        try (GatewayProcess node = GatewayProcess.start("jsonlog", "log-format-test-secret-log-format!!", "--log-format",
                "json")) {
            List<String> lines = Files.readAllLines(node.log());
            List<String> logged = lines.stream().filter(l -> !l.startsWith("Switchboard ") && !l.isBlank()).toList();
            assertTrue(!logged.isEmpty(), String.join("\n", lines));
            for (String line : logged) {
                JsonNode entry = Json.parse(line);
                assertTrue(entry.has("level") && entry.has("formattedMessage"), line);
            }
            assertEquals("INFO", Json.parse(logged.get(0)).path("level").asText());
        }
    }
}
