package dev.switchboard.bench.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Everything a fault run observed, for the checker: every publish attempt with its outcome, and for every
 * subscriber the ordered deliveries and the notices it got (recovery failed). Times are this JVM's
 * {@link System#nanoTime()}, so publish and delivery times compare directly.
 */
final class History {

    enum Outcome {
        /** The gateway answered with an offset: the publication is owed to every subscriber. */
        ACKED,
        /** The gateway refused it (e.g. {@code unavailable}): nothing is owed. */
        REFUSED,
        /** No answer (time-out, connection lost): it may or may not exist; never counted as lost. */
        UNKNOWN
    }

    /**
     * One publish attempt of the unique value {@code n}; {@code detail} says why it was refused or unknown (an
     * HTTP status, an error code, an exception).
     */
    record Publish(long n, int channel, String via, long startNanos, long endNanos, Outcome outcome, long offset,
                   String epoch, String detail) {

        static Publish acked(long n, int channel, String via, long startNanos, long offset, String epoch) {
            return new Publish(n, channel, via, startNanos, System.nanoTime(), Outcome.ACKED, offset, epoch, null);
        }

        static Publish failed(long n, int channel, String via, long startNanos, Outcome outcome, String detail) {
            return new Publish(n, channel, via, startNanos, System.nanoTime(), outcome, -1, null, detail);
        }
    }

    /** One thing a subscriber saw: a delivery ({@code notice == false}) or a "recovery failed" notice. */
    record Seen(boolean notice, long n, long offset, String epoch, long atNanos) {

        static Seen delivery(long n, long offset, String epoch) {
            return new Seen(false, n, offset, epoch, System.nanoTime());
        }

        static Seen recoveryFailed() {
            return new Seen(true, -1, -1, null, System.nanoTime());
        }
    }

    /** A subscriber that stayed subscribed from {@code readyNanos} to the end (reconnecting as needed). */
    static final class Subscriber {
        final int id;
        final int channel;
        final int gateway;
        volatile long readyNanos = Long.MAX_VALUE;
        final Queue<Seen> seen = new ConcurrentLinkedQueue<>();

        Subscriber(int id, int channel, int gateway) {
            this.id = id;
            this.channel = channel;
            this.gateway = gateway;
        }
    }

    /** A window of the run: a fault from {@code startNanos}, healed at {@code healNanos}, until {@code endNanos}. */
    record Phase(String fault, long startNanos, long healNanos, long endNanos) {

        boolean contains(long t) {
            return t >= startNanos && t < endNanos;
        }
    }

    final Queue<Publish> publishes = new ConcurrentLinkedQueue<>();
    final List<Subscriber> subscribers = new ArrayList<>();
    final List<Phase> phases = new ArrayList<>();
}
