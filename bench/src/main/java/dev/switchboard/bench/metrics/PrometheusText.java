package dev.switchboard.bench.metrics;

import java.util.ArrayList;
import java.util.List;

/** Just enough of the Prometheus text format to sum samples by name and a label substring. */
public final class PrometheusText {

    private record Sample(String name, String labels, double value) {
    }

    private final List<Sample> samples;

    private PrometheusText(List<Sample> samples) {
        this.samples = samples;
    }

    /** Parses an exposition; comment and malformed lines are skipped. */
    public static PrometheusText parse(String text) {
        List<Sample> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            if (space <= 0) {
                continue;
            }
            String name;
            String labels = "";
            if (brace > 0 && brace < space) {
                name = line.substring(0, brace);
                int close = line.lastIndexOf('}');
                labels = close > brace ? line.substring(brace + 1, close) : "";
            } else {
                name = line.substring(0, line.indexOf(' '));
            }
            try {
                out.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1).trim())));
            } catch (NumberFormatException e) {
                // a timestamped or odd line: not needed here
            }
        }
        return new PrometheusText(out);
    }

    /** The sum of samples named exactly {@code name} whose labels contain {@code labelPart}; -1 when none. */
    public long sum(String name, String labelPart) {
        return sum(name, labelPart, false);
    }

    /** Like {@link #sum} for every sample whose name starts with {@code prefix}. */
    public long sumPrefix(String prefix, String labelPart) {
        return sum(prefix, labelPart, true);
    }

    private long sum(String name, String labelPart, boolean prefix) {
        double total = 0;
        boolean found = false;
        for (Sample s : samples) {
            boolean nameMatches = prefix ? s.name.startsWith(name) : s.name.equals(name);
            if (nameMatches && s.labels.contains(labelPart)) {
                total += s.value;
                found = true;
            }
        }
        return found ? (long) total : -1;
    }
}
