package dev.switchboard.bench.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConvertersTest {

    @Test
    void durations() {
        assertEquals(Duration.ofMillis(500), DurationConverter.parse("500ms"));
        assertEquals(Duration.ofSeconds(10), DurationConverter.parse("10s"));
        assertEquals(Duration.ofMillis(1500), DurationConverter.parse("1.5s"));
        assertEquals(Duration.ofMinutes(2), DurationConverter.parse("2m"));
        assertEquals(Duration.ofSeconds(3), DurationConverter.parse("PT3S"));
        assertThrows(IllegalArgumentException.class, () -> DurationConverter.parse("soon"));
    }

    @Test
    void rates() {
        RateConverter c = new RateConverter();
        assertEquals(0.0, c.convert("max"));
        assertEquals(250.0, c.convert("250"));
        assertEquals(10_000.0, c.convert("10k"));
        assertEquals(5_000.0, c.convert("5000/s"));
    }

    @Test
    void connectionCountsAreCappedByTheOpenFileLimitAndSaySo() {
        List<String> notes = new ArrayList<>();
        assertEquals(19_700, ConnectionsScenario.capped(50_000, 20_000, 20_000, notes));
        assertTrue(notes.stream().anyMatch(n -> n.contains("capped from 50000 to 19700")), notes.toString());
        List<String> none = new ArrayList<>();
        assertEquals(1_000, ConnectionsScenario.capped(1_000, 20_000, 20_000, none));
        assertTrue(none.stream().noneMatch(n -> n.contains("capped")));
    }
}
