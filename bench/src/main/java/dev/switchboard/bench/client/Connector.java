package dev.switchboard.bench.client;

import dev.switchboard.bench.metrics.LatencyRecorder;
import dev.switchboard.bench.metrics.RatePacer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * Opens many connections at a controlled rate with a cap on handshakes in flight, and records each one's
 * connect→welcome time. Bounded: it gives up on whatever has not connected by the deadline.
 */
public final class Connector {

    /** What opening a batch of connections achieved. */
    public record Outcome(List<BenchConnection> connections, long attempted, long failed, double seconds,
                          Map<String, Integer> failureReasons) {

        /** Successful connections per second over the whole batch. */
        public double perSecond() {
            return seconds <= 0 ? 0 : connections.size() / seconds;
        }
    }

    private final LoadClient client;
    private final LatencyRecorder connectTimes;

    /** A connector on {@code client} that records connect→welcome times into {@code connectTimes}. */
    public Connector(LoadClient client, LatencyRecorder connectTimes) {
        this.client = client;
        this.connectTimes = connectTimes;
    }

    /**
     * Opens {@code count} connections, at most {@code perSecond} per second (0 = as fast as {@code maxPending}
     * allows) and at most {@code maxPending} handshakes at once; {@code uri} gives the address (with ticket) for
     * connection i. Returns once all settled or {@code deadline} passed.
     */
    public Outcome open(int count, double perSecond, int maxPending, IntFunction<WsEndpoint> uri, Inbound inbound,
                        Duration deadline, AtomicLong progress) {
        List<BenchConnection> ok = Collections.synchronizedList(new ArrayList<>(count));
        AtomicInteger pending = new AtomicInteger();
        AtomicLong failed = new AtomicLong();
        AtomicLong lastDone = new AtomicLong();
        Map<String, Integer> reasons = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        long end = start + deadline.toNanos();
        RatePacer pacer = new RatePacer(perSecond, start, count);
        while (!pacer.exhausted() && System.nanoTime() < end) {
            int room = maxPending - pending.get();
            int due = room <= 0 ? 0 : pacer.due(System.nanoTime(), Math.min(room, 256));
            for (int k = 0; k < due; k++) {
                int index = (int) pacer.sent();
                pacer.take();
                pending.incrementAndGet();
                long t0 = System.nanoTime();
                client.connect(uri.apply(index), index, inbound).whenComplete((c, err) -> {
                    long now = System.nanoTime();
                    if (err == null) {
                        connectTimes.record(now - t0);
                        ok.add(c);
                    } else {
                        failed.incrementAndGet();
                        reasons.merge(reason(err), 1, Integer::sum);
                    }
                    lastDone.accumulateAndGet(now, Math::max);
                    if (progress != null) {
                        progress.incrementAndGet();
                    }
                    pending.decrementAndGet();
                });
            }
            if (due == 0) {
                LockSupport.parkNanos(200_000);
            }
        }
        while (pending.get() > 0 && System.nanoTime() < end) {
            LockSupport.parkNanos(1_000_000);
        }
        long stillPending = pending.get();
        long notStarted = count - pacer.sent();
        long finish = lastDone.get() == 0 ? System.nanoTime() : lastDone.get();
        if (stillPending + notStarted > 0) {
            reasons.merge("not connected by the deadline", (int) (stillPending + notStarted), Integer::sum);
        }
        List<BenchConnection> snapshot;
        synchronized (ok) {
            snapshot = new ArrayList<>(ok);
        }
        return new Outcome(snapshot, pacer.sent(), failed.get() + stillPending + notStarted,
                (finish - start) / 1e9, reasons);
    }

    private static String reason(Throwable err) {
        Throwable t = err;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
        // strip addresses and ports so failures group by kind
        return m.replaceAll("/?127\\.0\\.0\\.\\d+(:\\d+)?", "<addr>").replaceAll("\\d{4,}", "N");
    }
}
