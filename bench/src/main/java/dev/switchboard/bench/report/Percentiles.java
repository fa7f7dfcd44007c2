package dev.switchboard.bench.report;

import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** The latency percentiles every report shows, in milliseconds. */
public final class Percentiles {

    /** Labels and percentiles reported, in order. */
    public static final String[] LABELS = {"p50", "p90", "p99", "p99.9", "max"};
    static final double[] VALUES = {50, 90, 99, 99.9, 100};

    private Percentiles() {
    }

    /** p50/p90/p99/p99.9/max in ms (3 decimals), plus count and mean; empty for an empty histogram. */
    public static Map<String, Double> of(Histogram h) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (h == null || h.getTotalCount() == 0) {
            return out;
        }
        for (int i = 0; i < LABELS.length; i++) {
            long nanos = VALUES[i] >= 100 ? h.getMaxValue() : h.getValueAtPercentile(VALUES[i]);
            out.put(LABELS[i], round3(nanos / 1e6));
        }
        out.put("mean", round3(h.getMean() / 1e6));
        return out;
    }

    static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
