package dev.switchboard.bench.scenario;

import dev.switchboard.bench.report.Headline;
import dev.switchboard.bench.report.RunResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Picks the representative of several rounds against one target: the median on the first headline figure that
 * the rounds differ on. At a fixed offered rate every round delivers the same per second, so ranking by it
 * would pick a round at random; the next figure (the p99 latency) is then what tells the rounds apart.
 */
final class Rounds {

    private Rounds() {
    }

    /** Rounds whose values of a figure are all within this fraction of each other are "the same" on it. */
    static final double SAME = 0.01;

    /**
     * The median round (the lower middle for an even count) by the first of {@code headlines} whose values
     * spread by more than {@link #SAME}, annotated with every round's value of that figure so the spread stays
     * visible.
     */
    static RunResult median(List<RunResult> rounds, List<Headline> headlines) {
        if (rounds.size() == 1 || headlines.isEmpty()) {
            return rounds.get(0);
        }
        Headline h = rankingFigure(rounds, headlines);
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
        median.put("median_by", h.figure());
        median.note("median of " + rounds.size() + " rounds by " + h.figure() + "; all rounds in order: " + values);
        return median;
    }

    private static Headline rankingFigure(List<RunResult> rounds, List<Headline> headlines) {
        for (Headline candidate : headlines) {
            if (spread(rounds, candidate) > SAME) {
                return candidate;
            }
        }
        return headlines.get(0);
    }

    /** (max − min) / max of a figure over the rounds; 0 when it is missing or zero. */
    private static double spread(List<RunResult> rounds, Headline h) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (RunResult r : rounds) {
            double v = h.valueIn(r);
            if (Double.isNaN(v)) {
                return 0;
            }
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return max <= 0 ? 0 : (max - min) / max;
    }
}
