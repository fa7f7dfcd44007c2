package dev.switchboard.bench.scenario;

import dev.switchboard.bench.report.Headline;
import dev.switchboard.bench.report.RunResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Picks the representative of several rounds against one target: the median on the first headline figure. */
final class Rounds {

    private Rounds() {
    }

    /**
     * The median round by {@code headlines.get(0)} (the lower middle for an even count), annotated with every
     * round's value of that figure so the spread stays visible.
     */
    static RunResult median(List<RunResult> rounds, List<Headline> headlines) {
        if (rounds.size() == 1 || headlines.isEmpty()) {
            return rounds.get(0);
        }
        Headline h = headlines.get(0);
        List<RunResult> sorted = new ArrayList<>(rounds);
        sorted.sort(Comparator.comparingDouble(r -> {
            double v = h.valueIn(r);
            return Double.isNaN(v) ? Double.NEGATIVE_INFINITY : v;
        }));
        RunResult median = sorted.get((sorted.size() - 1) / 2);
        List<String> values = new ArrayList<>();
        for (RunResult r : rounds) {
            values.add(String.format(Locale.ROOT, "%.1f", h.valueIn(r)));
        }
        median.put("rounds", rounds.size());
        median.note("median of " + rounds.size() + " rounds by " + h.figure() + "; all rounds in order: " + values);
        return median;
    }
}
