package dev.switchboard.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.bench.metrics.LatencyRecorder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

    @TempDir
    Path dir;

    private static Histogram latencies(long millis, int count) {
        Histogram h = LatencyRecorder.newHistogram();
        h.recordValueWithCount(millis * 1_000_000L, count);
        return h;
    }

    private Report twoTargets() {
        Report report = new Report("fanout", Map.of("cores", 2), List.of(new Headline("delivered_per_s", true),
                new Headline("latency:p99", false)));
        report.parameters().put("subscribers", 10);
        report.runs().add(new RunResult("switchboard", "sb").put("delivered_per_s", 300_000.0)
                .latency(latencies(2, 100), "publish to delivery"));
        report.runs().add(new RunResult("node", "node").put("delivered_per_s", 100_000.0)
                .latency(latencies(8, 100), "publish to delivery"));
        return report;
    }

    @Test
    void ratiosSayHowManyTimesBetterInBothDirections() {
        Map<String, Map<String, Double>> ratios = twoTargets().ratios();
        assertEquals(3.0, ratios.get("node").get("delivered_per_s"), 0.01, "higher is better: sb / node");
        assertEquals(4.0, ratios.get("node").get("latency:p99"), 0.05, "lower is better: node / sb");
    }

    @Test
    void writesAJsonDocumentWithFiguresPercentilesAndRatios() throws Exception {
        Path file = twoTargets().writeJson(dir.resolve("out/fanout.json"));
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        assertEquals("fanout", root.path("scenario").asText());
        assertEquals(10, root.path("parameters").path("subscribers").asInt());
        assertEquals(2, root.path("runs").size());
        JsonNode sb = root.path("runs").get(0);
        assertEquals("switchboard", sb.path("target").asText());
        assertEquals(300_000.0, sb.path("figures").path("delivered_per_s").asDouble());
        assertEquals(2.0, sb.path("latencyMs").path("p99").asDouble(), 0.01);
        assertEquals(100, sb.path("latencyMs").path("count").asLong());
        assertEquals(3.0, root.path("ratios").path("node").path("delivered_per_s").asDouble(), 0.01);
    }

    @Test
    void printsATableWithOneColumnPerTarget() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        twoTargets().printTable(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String table = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("switchboard") && table.contains("node"), table);
        assertTrue(table.contains("300,000"), table);
        assertTrue(table.contains("switchboard vs node on delivered_per_s: 3.00x better"), table);
    }

    @Test
    void drawsAPngChart() throws Exception {
        Path png = dir.resolve("fanout.png");
        assertTrue(LatencyChart.write(twoTargets(), png));
        byte[] head = Files.readAllBytes(png);
        assertTrue(head.length > 1000);
        assertEquals((byte) 0x89, head[0]);
        assertEquals('P', head[1]);
        assertEquals('N', head[2]);
        assertEquals('G', head[3]);
    }
}
