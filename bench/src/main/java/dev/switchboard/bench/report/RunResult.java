package dev.switchboard.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** What one scenario run against one target measured: named figures, a latency histogram, and notes. */
public final class RunResult {

    private final String target;
    private final String description;
    private final Map<String, Object> figures = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private Histogram latency;
    private String latencyMeaning = "";

    /** A result for {@code target} (e.g. "switchboard"), described in one line. */
    public RunResult(String target, String description) {
        this.target = target;
        this.description = description;
    }

    /** Adds a figure; names carry their unit (e.g. {@code delivered_per_s}, {@code rss_per_conn_bytes}). */
    public RunResult put(String name, Object value) {
        figures.put(name, value);
        return this;
    }

    /** Adds a sentence the reader must see next to the figures. */
    public RunResult note(String note) {
        notes.add(note);
        return this;
    }

    /** Sets the latency histogram (nanoseconds) and what it measures. */
    public RunResult latency(Histogram histogram, String meaning) {
        this.latency = histogram;
        this.latencyMeaning = meaning;
        return this;
    }

    public String target() {
        return target;
    }

    public String description() {
        return description;
    }

    public Map<String, Object> figures() {
        return figures;
    }

    public List<String> notes() {
        return notes;
    }

    public Histogram latency() {
        return latency;
    }

    public String latencyMeaning() {
        return latencyMeaning;
    }

    /** A numeric figure, or NaN. */
    public double number(String name) {
        Object v = figures.get(name);
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
