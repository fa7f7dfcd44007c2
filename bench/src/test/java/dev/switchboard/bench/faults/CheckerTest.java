package dev.switchboard.bench.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.bench.faults.History.Outcome;
import dev.switchboard.bench.faults.History.Publish;
import dev.switchboard.bench.faults.History.Seen;
import dev.switchboard.bench.faults.History.Subscriber;
import org.junit.jupiter.api.Test;

/** The checker on hand-written histories: each anomaly is counted as what it is, and only that. */
class CheckerTest {

    private final History history = new History();
    private final Subscriber sub = new Subscriber(0, 0, 1);
    private long clock = 1_000;

    CheckerTest() {
        sub.readyNanos = 0;
        history.subscribers.add(sub);
        history.phases.add(new History.Phase("all", 0, 1_000_000, Long.MAX_VALUE));
    }

    private void acked(long n, String epoch, long offset) {
        history.publishes.add(new Publish(n, 0, "http/gw1", clock++, clock++, Outcome.ACKED, offset, epoch, null));
    }

    private void delivered(long n, String epoch, long offset) {
        sub.seen.add(new Seen(false, n, offset, epoch, clock++));
    }

    private void told() {
        sub.seen.add(new Seen(true, -1, -1, null, clock++));
    }

    private Checker.Tally check() {
        return new Checker(history).run().total();
    }

    @Test
    void aCleanRunHasNoAnomaly() {
        for (int n = 1; n <= 5; n++) {
            acked(n, "e", n);
            delivered(n, "e", n);
        }
        Checker.Tally t = check();
        assertEquals(5, t.acked);
        assertEquals(0, t.anomalies());
        assertEquals(0, t.honest);
    }

    @Test
    void aSkippedOffsetWithoutNoticeIsASilentGapAndALoss() {
        acked(1, "e", 1);
        acked(2, "e", 2);
        acked(3, "e", 3);
        delivered(1, "e", 1);
        delivered(3, "e", 3);
        Checker.Tally t = check();
        assertEquals(1, t.silentGaps);
        assertEquals(1, t.lost);
    }

    @Test
    void aGapAfterARecoveryFailedNoticeIsHonest() {
        acked(1, "e", 1);
        acked(2, "e", 2);
        acked(3, "e", 3);
        delivered(1, "e", 1);
        told();
        delivered(3, "e", 3);
        Checker.Tally t = check();
        assertEquals(0, t.anomalies());
        assertEquals(1, t.honestGaps);
        assertEquals(1, t.honest);
    }

    @Test
    void anEpochChangeExcusesWhatTheOldEpochHadLeft() {
        acked(1, "e", 1);
        acked(2, "e", 2);
        acked(3, "f", 1);
        delivered(1, "e", 1);
        delivered(3, "f", 1);
        Checker.Tally t = check();
        assertEquals(0, t.anomalies());
        assertEquals(1, t.honest);
    }

    @Test
    void duplicatesReordersAndInconsistentOffsetsAreCounted() {
        acked(1, "e", 1);
        acked(2, "e", 2);
        acked(3, "e", 2); // two values acknowledged at one offset
        delivered(1, "e", 1);
        delivered(2, "e", 2);
        delivered(2, "e", 2);
        delivered(3, "e", 2);
        Checker.Tally t = check();
        assertEquals(1, t.duplicates);
        assertEquals(1, t.reorders, "3 at offset 2 after offset 2");
        assertEquals(1, t.inconsistent);
    }

    @Test
    void whatWasNeverAcknowledgedOrWasPublishedBeforeSubscribingIsNotOwed() {
        sub.readyNanos = 5_000;
        history.publishes.add(new Publish(1, 0, "http/gw1", 10, 20, Outcome.ACKED, 1, "e", null));
        clock = 6_000;
        history.publishes.add(new Publish(2, 0, "http/gw1", clock++, clock++, Outcome.REFUSED, -1, null, "http 503"));
        history.publishes.add(new Publish(3, 0, "ws/gw1", clock++, clock++, Outcome.UNKNOWN, -1, null, "timeout"));
        acked(4, "e", 2);
        delivered(4, "e", 2);
        Checker.Tally t = check();
        assertEquals(0, t.anomalies());
        assertEquals(1, t.refused);
        assertEquals(1, t.unknown);
    }

    @Test
    void anAcknowledgedPublicationNobodyReceivedAtTheEndIsLost() {
        acked(1, "e", 1);
        acked(2, "e", 2);
        delivered(1, "e", 1);
        assertEquals(1, check().lost);
    }
}
