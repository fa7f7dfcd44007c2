package dev.switchboard.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ConfigTest {

    @Test
    void durations() {
        assertEquals(Duration.ofMillis(500), DurationConverter.parse("500ms"));
        assertEquals(Duration.ofSeconds(25), DurationConverter.parse("25s"));
        assertEquals(Duration.ofMinutes(5), DurationConverter.parse("5m"));
        assertEquals(Duration.ofHours(1), DurationConverter.parse("1h"));
        assertEquals(Duration.ofSeconds(30), DurationConverter.parse("30"));
        assertEquals(Duration.ofSeconds(25), DurationConverter.parse("PT25S"));
        assertThrows(CommandLine.TypeConversionException.class, () -> DurationConverter.parse("soon"));
    }

    @Test
    void commandLineBeatsEnvironmentBeatsFileBeatsDefault(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sb.properties");
        Files.writeString(file, "port=9001\nping-interval=7s\nmax-message-size=1000\n");
        Map<String, String> env = Map.of("SWITCHBOARD_PING_INTERVAL", "9s", "SWITCHBOARD_RATE_LIMIT", "5");
        GatewayConfig config = ConfigSources.resolve(new String[] {"--max-message-size", "2000"}, env,
                ConfigFile.read(file));
        assertEquals(9001, config.port);                       // file
        assertEquals(Duration.ofSeconds(9), config.pingInterval); // env over file
        assertEquals(5.0, config.rateLimit);                   // env
        assertEquals(2000, config.maxMessageSize);             // command line over file
        assertEquals(Duration.ofSeconds(60), config.idleTimeout); // default
    }
}
