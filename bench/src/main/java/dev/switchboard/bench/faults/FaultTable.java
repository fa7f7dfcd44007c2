package dev.switchboard.bench.faults;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.bench.faults.Checker.Tally;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** The checker's counts as the Markdown table docs/security.md publishes, and as JSON rows. */
final class FaultTable {

    private FaultTable() {
    }

    static String markdown(Checker checker) {
        StringBuilder out = new StringBuilder();
        out.append("| phase | acked | refused | unknown | lost | dup | reorder | inconsistent | silent gaps | honest gaps (missed) "
                + "| p99 during | p99 after | caught up |\n");
        out.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for (Map.Entry<String, Tally> e : checker.phases().entrySet()) {
            row(out, e.getKey(), e.getValue(), true);
        }
        row(out, "**total**", checker.total(), false);
        return out.toString();
    }

    private static void row(StringBuilder out, String label, Tally t, boolean timings) {
        out.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %d | %d | %d | %d (%d) | %s | %s | %s |%n",
                label, t.acked, t.refused, t.unknown, t.lost, t.duplicates, t.reorders, t.inconsistent, t.silentGaps,
                t.honestGaps, t.honest, timings ? p99(t.during) : "", timings ? p99(t.after) : "",
                timings ? String.format(Locale.ROOT, "%.1f s", t.caughtUpNanos / 1e9) : ""));
    }

    private static String p99(Histogram h) {
        return h.getTotalCount() == 0 ? "–" : String.format(Locale.ROOT, "%.0f ms", h.getValueAtPercentile(99) / 1e6);
    }

    /** Lifecycle webhooks per phase: events received, doubled and missing, per kind. */
    static String lifecycle(Map<String, Map<String, WebhookLog.Count>> lifecycle) {
        StringBuilder out = new StringBuilder();
        out.append("| phase | connect/disconnect (doubled, missing) | occupied/vacated (doubled, missing) "
                + "| join/leave (doubled, missing) |\n|---|--:|--:|--:|\n");
        lifecycle.forEach((phase, kinds) -> {
            out.append("| ").append(phase);
            for (String kind : new String[] {"connections", "channels", "members"}) {
                WebhookLog.Count c = kinds.getOrDefault(kind, new WebhookLog.Count());
                out.append(String.format(Locale.ROOT, " | %d (%d, %d)", c.events, c.doubled, c.missing));
            }
            out.append(" |\n");
        });
        return out.toString();
    }

    static void json(Map<String, Map<String, WebhookLog.Count>> lifecycle, ObjectNode out) {
        lifecycle.forEach((phase, kinds) -> {
            ObjectNode p = out.putObject(phase);
            kinds.forEach((kind, c) -> p.putObject(kind).put("events", c.events).put("doubled", c.doubled)
                    .put("missing", c.missing));
        });
    }

    static void json(Checker checker, ArrayNode rows) {
        checker.phases().forEach((label, t) -> add(rows.addObject().put("phase", label), t));
        add(rows.addObject().put("phase", "total"), checker.total());
    }

    private static void add(ObjectNode row, Tally t) {
        row.put("acked", t.acked).put("refused", t.refused).put("unknown", t.unknown).put("lost", t.lost)
                .put("duplicates", t.duplicates).put("reorders", t.reorders).put("inconsistent_offsets", t.inconsistent)
                .put("silent_gaps", t.silentGaps).put("honest_gaps", t.honestGaps).put("honestly_missed", t.honest)
                .put("p99_during_ms", t.during.getTotalCount() == 0 ? -1 : t.during.getValueAtPercentile(99) / 1e6)
                .put("p99_after_ms", t.after.getTotalCount() == 0 ? -1 : t.after.getValueAtPercentile(99) / 1e6)
                .put("caught_up_s", t.caughtUpNanos / 1e9);
        ObjectNode failures = row.putObject("refused_or_unknown_by_reason");
        t.failures.forEach(failures::put);
    }
}
