package dev.switchboard.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The outcome of one {@code bench} invocation: the scenario's parameters, the machine, one {@link RunResult} per
 * target (switchboard first, then baselines) and the headline ratios. Renders as a text table, a JSON document
 * and a latency chart.
 */
public final class Report {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final String scenario;
    private final Instant startedAt = Instant.now();
    private final Map<String, Object> parameters = new LinkedHashMap<>();
    private final Map<String, Object> machine;
    private final List<RunResult> runs = new ArrayList<>();
    private final List<Headline> headlines;
    private final List<String> notes = new ArrayList<>();

    /** A report for {@code scenario} comparing targets on {@code headlines}. */
    public Report(String scenario, Map<String, Object> machine, List<Headline> headlines) {
        this.scenario = scenario;
        this.machine = machine;
        this.headlines = headlines;
    }

    public String scenario() {
        return scenario;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Map<String, Object> parameters() {
        return parameters;
    }

    public List<RunResult> runs() {
        return runs;
    }

    /** Adds a sentence that applies to the whole run. */
    public void note(String note) {
        notes.add(note);
    }

    /** {@code ours}'s advantage over each other target on each headline: target → figure → ratio. */
    public Map<String, Map<String, Double>> ratios() {
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        if (runs.size() < 2) {
            return out;
        }
        RunResult ours = runs.get(0);
        for (RunResult other : runs.subList(1, runs.size())) {
            Map<String, Double> r = new LinkedHashMap<>();
            for (Headline h : headlines) {
                double adv = h.advantage(ours, other);
                if (!Double.isNaN(adv)) {
                    r.put(h.figure(), Math.round(adv * 100) / 100.0);
                }
            }
            out.put(other.target(), r);
        }
        return out;
    }

    /** Prints the human-readable summary: one column per target, then ratios and notes. */
    public void printTable(PrintStream out) {
        out.println();
        out.println("== " + scenario + " == " + parameters);
        Set<String> rows = new LinkedHashSet<>();
        runs.forEach(r -> rows.addAll(r.figures().keySet()));
        List<String> latencyRows = new ArrayList<>();
        for (RunResult r : runs) {
            for (String k : Percentiles.of(r.latency()).keySet()) {
                if (!latencyRows.contains(k)) {
                    latencyRows.add(k);
                }
            }
        }
        int w0 = 8;
        for (String row : rows) {
            w0 = Math.max(w0, row.length());
        }
        w0 = Math.max(w0, "latency p99.9 (ms)".length());
        int w = 16;
        for (RunResult r : runs) {
            w = Math.max(w, r.target().length() + 2);
        }
        StringBuilder header = new StringBuilder(pad("", w0));
        for (RunResult r : runs) {
            header.append(padLeft(r.target(), w));
        }
        out.println(header);
        for (String row : rows) {
            StringBuilder line = new StringBuilder(pad(row, w0));
            for (RunResult r : runs) {
                line.append(padLeft(format(r.figures().get(row)), w));
            }
            out.println(line);
        }
        for (String k : latencyRows) {
            StringBuilder line = new StringBuilder(pad("latency " + k + " (ms)", w0));
            for (RunResult r : runs) {
                line.append(padLeft(format(Percentiles.of(r.latency()).get(k)), w));
            }
            out.println(line);
        }
        if (!runs.isEmpty() && runs.get(0).latency() != null && !runs.get(0).latencyMeaning().isEmpty()) {
            out.println("(latency: " + runs.get(0).latencyMeaning() + ")");
        }
        ratios().forEach((other, byFigure) -> byFigure.forEach((figure, ratio) ->
                out.printf(Locale.ROOT, "%s vs %s on %s: %.2fx %s%n", runs.get(0).target(), other, figure, ratio,
                        ratio >= 1 ? "better" : "(worse)")));
        for (RunResult r : runs) {
            for (String n : r.notes()) {
                out.println("note [" + r.target() + "]: " + n);
            }
        }
        notes.forEach(n -> out.println("note: " + n));
    }

    /** Writes the JSON document; returns its path. */
    public Path writeJson(Path file) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("scenario", scenario);
        root.put("startedAt", startedAt.toString());
        root.set("parameters", JSON.valueToTree(parameters));
        root.set("machine", JSON.valueToTree(machine));
        ArrayNode arr = root.putArray("runs");
        for (RunResult r : runs) {
            ObjectNode o = arr.addObject();
            o.put("target", r.target());
            o.put("description", r.description());
            o.set("figures", JSON.valueToTree(r.figures()));
            if (r.latency() != null) {
                ObjectNode lat = JSON.valueToTree(Percentiles.of(r.latency()));
                lat.put("count", r.latency().getTotalCount());
                lat.put("meaning", r.latencyMeaning());
                o.set("latencyMs", lat);
            }
            o.set("notes", JSON.valueToTree(r.notes()));
        }
        root.set("ratios", JSON.valueToTree(ratios()));
        root.set("notes", JSON.valueToTree(notes));
        Files.createDirectories(file.toAbsolutePath().getParent());
        JSON.writeValue(file.toFile(), root);
        return file;
    }

    static String format(Object v) {
        if (v == null) {
            return "-";
        }
        if (v instanceof Double d) {
            if (Double.isNaN(d)) {
                return "-";
            }
            return Math.abs(d) >= 1000 ? String.format(Locale.ROOT, "%,.0f", d) : String.format(Locale.ROOT, "%.3f", d);
        }
        if (v instanceof Long || v instanceof Integer) {
            return String.format(Locale.ROOT, "%,d", ((Number) v).longValue());
        }
        return v.toString();
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s + " " : s + " ".repeat(w - s.length());
    }

    private static String padLeft(String s, int w) {
        return s.length() >= w ? " " + s : " ".repeat(w - s.length()) + s;
    }
}
