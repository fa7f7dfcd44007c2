package dev.switchboard.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.Json;
import dev.switchboard.server.config.GatewayConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The IDE's completion of {@code switchboard.options.*} keys comes from hints in
 * {@code additional-spring-configuration-metadata.json}, one per gateway option, with its description. This
 * keeps the file equal to the options the gateway has; {@code -Dregenerate=true} rewrites it.
 */
class OptionsMetadataTest {

    private static final Path FILE = Path.of("src/main/resources/META-INF/additional-spring-configuration-metadata.json");

    static String expected() throws Exception {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ArrayNode hints = root.putArray("hints");
        ObjectNode keys = hints.addObject().put("name", "switchboard.options.keys");
        ArrayNode values = keys.putArray("values");
        CommandLine.Model.CommandSpec spec = new CommandLine(new GatewayConfig()).getCommandSpec();
        for (CommandLine.Model.OptionSpec option : spec.options()) {
            String name = option.longestName().replaceFirst("^--", "");
            if (name.equals("help") || name.equals("version")) {
                continue;
            }
            String description = String.join(" ", option.description())
                    .replace("${DEFAULT-VALUE}", String.valueOf(option.defaultValue()));
            values.addObject().put("value", name).put("description", description);
        }
        ObjectNode engine = hints.addObject().put("name", "switchboard.engine");
        engine.putArray("values").addObject().put("value", "memory").put("description", "One node, nothing to run beside it.");
        ((ArrayNode) engine.get("values")).addObject().put("value", "redis")
                .put("description", "A cluster on Redis: Pub/Sub between nodes, Streams for history (see switchboard.redis).");
        return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    }

    @Test
    void hintsNameEveryGatewayOption() throws Exception {
        String expected = expected();
        if (Boolean.getBoolean("regenerate")) {
            Files.writeString(FILE, expected);
        }
        assertEquals(expected, Files.readString(FILE), "the options changed: regenerate with "
                + "mvn -pl spring-boot-starter test -Dtest=OptionsMetadataTest -Dregenerate=true");
    }
}
