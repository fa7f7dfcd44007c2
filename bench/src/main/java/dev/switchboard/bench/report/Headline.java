package dev.switchboard.bench.report;

/**
 * A figure compared across targets: the ratio printed is always "how many times better switchboard is"
 * ({@code sb / baseline} when higher is better, {@code baseline / sb} when lower is better).
 *
 * @param figure a figure name, or {@code latency:p99} style for a latency percentile
 * @param higherIsBetter direction of "better"
 */
public record Headline(String figure, boolean higherIsBetter) {

    /** The figure's value in a result, or NaN. */
    public double valueIn(RunResult r) {
        if (figure.startsWith("latency:")) {
            Double v = Percentiles.of(r.latency()).get(figure.substring("latency:".length()));
            return v == null ? Double.NaN : v;
        }
        return r.number(figure);
    }

    /** How many times better {@code ours} is than {@code baseline} on this figure; NaN if either is missing. */
    public double advantage(RunResult ours, RunResult baseline) {
        double a = valueIn(ours);
        double b = valueIn(baseline);
        if (Double.isNaN(a) || Double.isNaN(b) || a == 0 || b == 0) {
            return Double.NaN;
        }
        return higherIsBetter ? a / b : b / a;
    }
}
