package dev.switchboard.bench.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.bench.BenchMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The short fault run CI does (the 10-minute one is {@code bench faults}, docs/security.md): 3 gateways on Redis
 * in their own network namespaces, one partition of a gateway from Redis and one pause of a gateway, both past
 * the 5 s presence lease, one kill -9 of a gateway, under load; the checker finds nothing lost, doubled, reordered, inconsistent or
 * silently skipped, no lifecycle webhook doubled or missing, and each fault visibly bit (publishes refused or left
 * unanswered while it lasted).
 */
@Tag("multi-process")
@Timeout(300)
class ShortFaultRunTest {

    @TempDir
    Path out;

    @Test
    void aPartitionAPauseAndAKillUnderLoadLoseNothing() throws Exception {
        String unavailable = NetLab.unavailableReason();
        Assumptions.assumeTrue(unavailable == null, "fault runs need network namespaces: " + unavailable);
        int code = new CommandLine(new BenchMain()).execute("faults", "--faults=partition-gateway,pause-gateway,kill-gateway",
                "--duration=0s", "--hold-min=6s", "--hold-max=6s", "--settle=8s", "--rate=40", "--out=" + out);
        Path json;
        try (Stream<Path> runs = Files.list(out)) {
            json = runs.filter(p -> p.getFileName().toString().startsWith("faults-")).findFirst().orElseThrow()
                    .resolve("faults.json");
        }
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertEquals(0, code, "the checker found anomalies: " + report.toPrettyString());
        JsonNode phases = report.get("phases");
        assertEquals(5, phases.size(), "no fault, three faults, total: " + phases);
        report.get("lifecycle").fields().forEachRemaining(phase -> phase.getValue().fields().forEachRemaining(kind -> {
            assertEquals(0, kind.getValue().get("doubled").asLong(), phase.getKey() + " " + kind.getKey() + " doubled");
            assertEquals(0, kind.getValue().get("missing").asLong(), phase.getKey() + " " + kind.getKey() + " missing");
        }));
        assertTrue(report.at("/lifecycle/" + phases.get(0).get("phase").asText().replace("/", "~1")
                + "/connections/events").asLong() > 0, "the gateways' webhooks reached the run: " + report.get("lifecycle"));
        for (JsonNode phase : phases) {
            String name = phase.get("phase").asText();
            assertTrue(phase.get("acked").asLong() > 0, name + " acknowledged nothing");
            for (String anomaly : new String[] {"lost", "duplicates", "reorders", "inconsistent_offsets", "silent_gaps"}) {
                assertEquals(0, phase.get(anomaly).asLong(), name + ": " + anomaly + " in " + phase);
            }
            if (name.contains("partition") || name.contains("pause") || name.contains("kill")) {
                assertTrue(report.at("/lifecycle").has(name), "lifecycle events of " + name + ": " + report.get("lifecycle"));
                assertTrue(phase.get("refused").asLong() + phase.get("unknown").asLong() > 0,
                        name + ": the fault did not bite (every publish answered): " + phase);
            }
        }
    }
}
