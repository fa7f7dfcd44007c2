package dev.switchboard.bench.faults;

import dev.switchboard.bench.faults.History.Outcome;
import dev.switchboard.bench.faults.History.Phase;
import dev.switchboard.bench.faults.History.Publish;
import dev.switchboard.bench.faults.History.Seen;
import dev.switchboard.bench.faults.History.Subscriber;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.HdrHistogram.Histogram;

/**
 * Classifies a fault run's history the way Jepsen's checkers classify a log's: per subscriber, in the order it
 * received them,
 * <ul>
 *   <li><b>lost</b>: an acknowledged publication, published after the subscriber was subscribed, that it never
 *       received and was not told it missed;</li>
 *   <li><b>honest</b>: one it missed and was told about (a "recovery failed" notice before the next delivery, or
 *       an epoch change);</li>
 *   <li><b>duplicate</b>: a value received twice; <b>reorder</b>: an offset at or below the previous one of the
 *       same epoch; <b>silent gap</b>: offsets jumping within an epoch with no notice in between;</li>
 *   <li><b>inconsistent offset</b>: one (channel, epoch, offset) carrying two values, across acknowledgements and
 *       deliveries.</li>
 * </ul>
 * Everything is attributed to the phase the publication was sent in; latency is publish start to delivery.
 */
final class Checker {

    /** The counts of one phase (or of the whole run). */
    static final class Tally {
        long acked;
        long refused;
        long unknown;
        long lost;
        long honest;
        long duplicates;
        long reorders;
        long inconsistent;
        long silentGaps;
        long honestGaps;
        final Histogram during = new Histogram(3_600_000_000_000L, 2);
        final Histogram after = new Histogram(3_600_000_000_000L, 2);
        long caughtUpNanos; // after the heal, until every owed publication of the phase was delivered
        final Map<String, Long> failures = new java.util.TreeMap<>(); // refused and unknown, by reason

        long anomalies() {
            return lost + duplicates + reorders + inconsistent + silentGaps;
        }
    }

    private record Position(int channel, String epoch, long offset) {
    }

    /** A stretch of one epoch's offsets the subscriber was told it may have missed ({@code to} inclusive). */
    private record Excused(String epoch, long from, long to) {
        boolean covers(Publish p) {
            return p.epoch().equals(epoch) && p.offset() >= from && p.offset() <= to;
        }
    }

    private final History history;
    private final Map<Long, Publish> byValue = new HashMap<>();
    private final Map<String, Tally> tallies = new LinkedHashMap<>();
    /** Positions already counted as inconsistent: each is one anomaly, however many times it is seen. */
    private final Set<Position> conflicting = new HashSet<>();
    private final Tally total = new Tally();

    Checker(History history) {
        this.history = history;
        for (Publish p : history.publishes) {
            byValue.put(p.n(), p);
        }
        for (Phase phase : history.phases) {
            tallies.put(label(phase), new Tally());
        }
    }

    Map<String, Tally> phases() {
        return tallies;
    }

    Tally total() {
        return total;
    }

    Checker run() {
        Map<Position, Long> valueAt = new HashMap<>();
        for (Publish p : history.publishes) {
            switch (p.outcome()) {
                case ACKED -> {
                    count(p, t -> t.acked++);
                    conflict(valueAt, new Position(p.channel(), p.epoch(), p.offset()), p);
                }
                case REFUSED -> count(p, t -> {
                    t.refused++;
                    t.failures.merge("refused: " + p.detail(), 1L, Long::sum);
                });
                case UNKNOWN -> count(p, t -> {
                    t.unknown++;
                    t.failures.merge("unknown: " + p.detail(), 1L, Long::sum);
                });
            }
        }
        for (Subscriber s : history.subscribers) {
            check(s, valueAt);
        }
        return this;
    }

    private void check(Subscriber s, Map<Position, Long> valueAt) {
        Set<Long> received = new HashSet<>();
        List<Excused> excused = new ArrayList<>();
        Seen prev = null;
        boolean told = false;
        for (Seen e : s.seen) {
            if (e.notice()) {
                told = true;
                continue;
            }
            Publish p = byValue.get(e.n());
            if (!received.add(e.n())) {
                count(p, t -> t.duplicates++);
                continue;
            }
            conflict(valueAt, new Position(s.channel, e.epoch(), e.offset()), p == null
                    ? new Publish(e.n(), s.channel, "?", 0, 0, Outcome.UNKNOWN, e.offset(), e.epoch(), "never published")
                    : p);
            if (p != null && p.outcome() == Outcome.ACKED) {
                Tally t = tallyOf(p);
                Phase phase = phaseOf(p);
                boolean duringFault = phase != null && p.startNanos() < phase.healNanos();
                (duringFault ? t.during : t.after).recordValue(Math.max(0, e.atNanos() - p.startNanos()));
                if (phase != null && duringFault) {
                    t.caughtUpNanos = Math.max(t.caughtUpNanos, e.atNanos() - phase.healNanos());
                }
            }
            if (prev != null && e.epoch().equals(prev.epoch())) {
                if (e.offset() <= prev.offset()) {
                    count(p, t -> t.reorders++);
                    continue;
                }
                if (e.offset() > prev.offset() + 1) {
                    if (told) {
                        excused.add(new Excused(e.epoch(), prev.offset() + 1, e.offset() - 1));
                        count(p, t -> t.honestGaps++);
                    } else {
                        count(p, t -> t.silentGaps++);
                    }
                }
            } else if (prev != null) {
                // a new epoch: the subscriber is told its history was lost, in the old epoch and the new one's start
                excused.add(new Excused(prev.epoch(), prev.offset() + 1, Long.MAX_VALUE));
                excused.add(new Excused(e.epoch(), 1, e.offset() - 1));
                count(p, t -> t.honestGaps++);
            }
            prev = e;
            told = false;
        }
        if (told && prev != null) {
            excused.add(new Excused(prev.epoch(), prev.offset() + 1, Long.MAX_VALUE));
        }
        for (Publish p : history.publishes) {
            if (p.channel() != s.channel || p.outcome() != Outcome.ACKED || p.startNanos() <= s.readyNanos
                    || received.contains(p.n())) {
                continue;
            }
            if (excused.stream().anyMatch(x -> x.covers(p))) {
                count(p, t -> t.honest++);
            } else {
                count(p, t -> t.lost++);
            }
        }
    }

    /** Records that {@code p}'s value is at {@code at}; a second value there is an inconsistent offset. */
    private void conflict(Map<Position, Long> valueAt, Position at, Publish p) {
        Long other = valueAt.putIfAbsent(at, p.n());
        if (other != null && other != p.n() && conflicting.add(at)) {
            count(p, t -> t.inconsistent++);
        }
    }

    private void count(Publish p, java.util.function.Consumer<Tally> add) {
        add.accept(total);
        Tally t = p == null ? null : tallyOf(p);
        if (t != null && t != total) {
            add.accept(t);
        }
    }

    private Tally tallyOf(Publish p) {
        Phase phase = phaseOf(p);
        return phase == null ? total : tallies.get(label(phase));
    }

    private Phase phaseOf(Publish p) {
        for (Phase phase : history.phases) {
            if (phase.contains(p.startNanos())) {
                return phase;
            }
        }
        return null;
    }

    static String label(Phase phase) {
        return phase.fault();
    }
}
