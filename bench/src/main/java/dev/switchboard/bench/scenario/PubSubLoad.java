package dev.switchboard.bench.scenario;

import dev.switchboard.bench.client.BenchConnection;
import dev.switchboard.bench.client.Dialect;
import dev.switchboard.bench.client.Inbound;
import dev.switchboard.bench.metrics.LatencyRecorder;
import dev.switchboard.bench.metrics.RatePacer;
import dev.switchboard.bench.report.Progress;
import dev.switchboard.bench.report.RunResult;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.Locale;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToIntFunction;
import org.HdrHistogram.Histogram;

/**
 * The publish/deliver measurement shared by {@code fanout} and {@code rooms}: subscribers count and time every
 * delivery; a paced publisher (or a closed loop with a window, for "max") sends stamped publications from one
 * event loop; afterwards the load drains and the figures are computed over the measured window only.
 */
final class PubSubLoad {

    /** The figures every publish/subscribe scenario leads its table with. */
    static final List<dev.switchboard.bench.report.Headline> HEADLINES = List.of(
            new dev.switchboard.bench.report.Headline("delivered_per_s", true),
            new dev.switchboard.bench.report.Headline("latency:p99", false),
            new dev.switchboard.bench.report.Headline("delivered_per_server_cpu_s", true));

    /** Sends one stamped publication (queued; {@link #flush} follows each tick's burst). */
    interface Sender {
        void publish(long stampNanos);

        void flush();

        /** Whether the publishing socket(s) can take more without queueing past the high-water mark. */
        boolean writable();

        /**
         * A measured delivery of the publication stamped {@code stampNanos}, received at {@code nowNanos}, for a
         * sender that times a part of the path itself (on the subscribers' threads: keep it cheap).
         */
        default void delivered(long stampNanos, long nowNanos) {
        }
    }

    final LatencyRecorder latency = new LatencyRecorder();
    private final ToIntFunction<BenchConnection> groupOf;
    private final LatencyRecorder[] groups;
    final LongAdder subscribed = new LongAdder();
    final LongAdder deliveredAll = new LongAdder();
    final LongAdder delivered = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder closed = new LongAdder();
    private final AtomicLong lastDelivery = new AtomicLong();
    private volatile long measureFrom = Long.MAX_VALUE;
    private volatile Sender sender;
    private volatile String firstError;

    /** A load whose latencies are recorded as one whole. */
    PubSubLoad() {
        this(c -> 0, 1);
    }

    /**
     * A load that also records latencies per group of receiving connection ({@code groupOf} gives a number below
     * {@code groupCount}), e.g. subscribers on the publisher's node versus on other nodes.
     */
    PubSubLoad(ToIntFunction<BenchConnection> groupOf, int groupCount) {
        this.groupOf = groupOf;
        this.groups = new LatencyRecorder[groupCount];
        for (int g = 0; g < groupCount; g++) {
            groups[g] = new LatencyRecorder();
        }
    }

    /** The measured latencies of one group's deliveries. */
    Histogram groupLatency(int group) {
        return groups[group].total();
    }

    /** Counts a publication that failed before any delivery (e.g. an HTTP trigger answered with an error). */
    void failed(String why) {
        errors.increment();
        if (firstError == null) {
            firstError = why;
        }
    }

    /** The consumer every subscriber connection uses. */
    final Inbound inbound = new Inbound() {
        @Override
        public void message(BenchConnection c, long stamp) {
            deliveredAll.increment();
            if (stamp >= measureFrom) {
                long now = System.nanoTime();
                delivered.increment();
                latency.record(now - stamp);
                sender.delivered(stamp, now);
                if (groups.length > 1) {
                    groups[groupOf.applyAsInt(c)].record(now - stamp);
                }
                if (now > lastDelivery.get()) {
                    lastDelivery.set(now); // racy max; an occasional lost update moves it by microseconds
                }
            }
        }

        @Override
        public void reply(BenchConnection c, String re, ByteBuf frame) {
            if (Dialect.SUBSCRIBE_ID.equals(re)) {
                subscribed.increment();
            }
        }

        @Override
        public void error(BenchConnection c, String re, ByteBuf frame) {
            errors.increment();
            if (firstError == null) {
                firstError = frame.toString(java.nio.charset.StandardCharsets.UTF_8);
            }
        }

        @Override
        public void closed(BenchConnection c) {
            closed.increment();
        }
    };

    /**
     * Publishes at {@code rate} per second (0 = closed loop keeping {@code window} publications undelivered) for
     * warm-up + duration, then drains; fills {@code result}. {@code fanout} is how many deliveries one
     * publication should make (subscribers per channel).
     */
    void drive(EventLoop loop, Sender sender, double rate, int window, long fanout, Duration warmup,
               Duration duration, long maxPublications, String label, RunResult result, List<Long> serverPids)
            throws InterruptedException {
        ServerCpu cpu = new ServerCpu(serverPids);
        long start = System.nanoTime() + 5_000_000;
        long measureStart = start + warmup.toNanos();
        long end = measureStart + duration.toNanos();
        this.sender = sender;
        measureFrom = measureStart;
        RatePacer pacer = new RatePacer(rate, start, maxPublications);
        AtomicLong published = new AtomicLong();
        AtomicLong publishedMeasured = new AtomicLong();
        Runnable tick = () -> {
            long now = System.nanoTime();
            if (now >= end || pacer.exhausted()) {
                return;
            }
            int n;
            if (rate > 0) {
                n = pacer.due(now, 10_000);
            } else {
                long undelivered = published.get() * fanout - deliveredAll.sum();
                n = undelivered < (long) window * fanout && sender.writable() ? pacer.due(now, 1) : 0;
            }
            for (int i = 0; i < n; i++) {
                long stamp = pacer.take();
                sender.publish(stamp);
                published.incrementAndGet();
                if (stamp >= measureStart) {
                    publishedMeasured.incrementAndGet();
                }
            }
            if (n > 0) {
                sender.flush();
            }
        };
        ScheduledFuture<?> task = loop.scheduleAtFixedRate(tick, 5, rate > 0 ? 1000 : 100, TimeUnit.MICROSECONDS);
        long[] lastCount = {0};
        try (Progress progress = new Progress(label, () -> {
            Histogram iv = latency.interval();
            long d = deliveredAll.sum();
            String s = String.format(Locale.ROOT, "published %,d  delivered %,d (%,d/s)  p99 %s ms  errors %d"
                            + "  closed %d", published.get(), d, d - lastCount[0],
                    iv.getTotalCount() == 0 ? "-" : String.format(Locale.ROOT, "%.2f",
                            iv.getValueAtPercentile(99) / 1e6), errors.sum(), closed.sum());
            lastCount[0] = d;
            return s;
        })) {
            while (System.nanoTime() < measureStart) {
                Thread.sleep(5);
            }
            cpu.start();
            while (System.nanoTime() < end && !pacer.exhausted()) {
                Thread.sleep(20);
            }
            task.cancel(false);
            Thread.sleep(5);
            long expectedAll = published.get() * fanout;
            boolean drained = Waits.drain(deliveredAll::sum, expectedAll, Duration.ofSeconds(10),
                    Duration.ofSeconds(3));
            cpu.stop();
            if (!drained) {
                result.note(String.format(Locale.ROOT, "not everything was delivered: %,d of %,d after the drain"
                        + " wait", deliveredAll.sum(), expectedAll));
            }
        }
        Histogram h = latency.total();
        long measured = delivered.sum();
        double window_s = Math.max(1e-9, (lastDelivery.get() - measureStart) / 1e9);
        long expected = publishedMeasured.get() * fanout;
        result.put("publications", publishedMeasured.get());
        result.put("publish_per_s", round(publishedMeasured.get() / (duration.toNanos() / 1e9)));
        result.put("delivered", measured);
        result.put("expected", expected);
        result.put("delivered_per_s", round(measured / window_s));
        result.put("delivery_ratio", expected == 0 ? Double.NaN : round3((double) measured / expected));
        cpu.report(result, measured, "delivered");
        result.put("errors", errors.sum());
        result.put("connections_closed", closed.sum());
        if (firstError != null) {
            result.note("first error frame: " + firstError);
        }
        result.latency(h, "publish (intended send time) to delivery at the subscriber, measured window only");
    }

    static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
