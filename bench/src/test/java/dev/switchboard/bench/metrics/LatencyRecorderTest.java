package dev.switchboard.bench.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LatencyRecorderTest {

    @Test
    void mergesWhatManyThreadsRecordWhileAReaderTakesIntervals() throws Exception {
        LatencyRecorder recorder = new LatencyRecorder();
        int threads = 4;
        int perThread = 50_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long value = (t + 1) * 1_000_000L; // thread t records (t+1) ms
            Thread w = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    recorder.record(value);
                }
            });
            w.start();
            writers.add(w);
        }
        start.countDown();
        long seenInIntervals = 0;
        while (writers.stream().anyMatch(Thread::isAlive)) {
            seenInIntervals += recorder.interval().getTotalCount();
        }
        for (Thread w : writers) {
            w.join();
        }
        seenInIntervals += recorder.interval().getTotalCount();
        Histogram total = recorder.total();

        assertEquals((long) threads * perThread, total.getTotalCount(), "no value lost or counted twice");
        assertEquals(total.getTotalCount(), seenInIntervals, "intervals add up to the total");
        assertEquals(4_000_000L, total.getMaxValue(), 4_000_000L / 1000.0, "max within 3 significant digits");
        assertEquals(1_000_000L, total.getMinValue(), 1_000_000L / 1000.0);
        assertEquals(2_500_000.0, total.getMean(), 2_500_000.0 / 1000.0, "equal counts of 1, 2, 3, 4 ms");
    }

    @Test
    void clampsOutOfRangeValuesInsteadOfDroppingThem() {
        LatencyRecorder recorder = new LatencyRecorder();
        recorder.record(-5);
        recorder.record(0);
        recorder.record(Long.MAX_VALUE);
        Histogram total = recorder.total();
        assertEquals(3, total.getTotalCount());
        assertTrue(total.getMaxValue() >= LatencyRecorder.HIGHEST_TRACKABLE_NANOS * 0.999);
    }

    @Test
    void resetForgetsTheWarmUp() {
        LatencyRecorder recorder = new LatencyRecorder();
        recorder.record(5_000_000);
        recorder.reset();
        recorder.record(1_000_000);
        Histogram total = recorder.total();
        assertEquals(1, total.getTotalCount());
        assertEquals(1_000_000L, total.getMaxValue(), 1_000);
    }
}
