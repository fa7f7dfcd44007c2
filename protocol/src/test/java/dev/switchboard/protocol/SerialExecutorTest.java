package dev.switchboard.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Held tasks keep their owner's order without a thread waiting for them. */
class SerialExecutorTest {

    @Test
    void aHeldTaskStartsAtOnceWhenIdleAndHoldsTheTasksAfterItUntilItsStageCompletes() throws Exception {
        ExecutorService backing = Executors.newVirtualThreadPerTaskExecutor();
        try {
            SerialExecutor ex = new SerialExecutor(backing, t -> { });
            List<String> order = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> first = new CompletableFuture<>();
            Thread caller = Thread.currentThread();
            ex.executeHeld(() -> {
                order.add("held-1 started on the caller: " + (Thread.currentThread() == caller));
                return first;
            });
            CompletableFuture<Void> second = new CompletableFuture<>();
            ex.executeHeld(() -> {
                order.add("held-2 started");
                return second;
            });
            CountDownLatch plainRan = new CountDownLatch(1);
            ex.execute(() -> {
                order.add("plain");
                plainRan.countDown();
            });
            assertEquals(List.of("held-1 started on the caller: true"), order);
            assertEquals(3, ex.pending());
            first.complete(null);
            waitFor(() -> order.size() == 2);
            assertEquals("held-2 started", order.get(1));
            assertTrue(!plainRan.await(100, TimeUnit.MILLISECONDS), "the plain task waits for held-2");
            second.complete(null);
            assertTrue(plainRan.await(5, TimeUnit.SECONDS));
            waitFor(ex::isIdle);
            // finished at once: nothing is held, the next held task starts at once again
            ex.executeHeld(() -> CompletableFuture.completedFuture(null));
            assertTrue(ex.isIdle());
        } finally {
            backing.shutdownNow();
        }
    }

    @Test
    void aHeldTaskThatThrowsReleasesTheExecutor() throws Exception {
        ExecutorService backing = Executors.newVirtualThreadPerTaskExecutor();
        try {
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            SerialExecutor ex = new SerialExecutor(backing, failures::add);
            ex.executeHeld(() -> {
                throw new IllegalStateException("boom");
            });
            CountDownLatch ran = new CountDownLatch(1);
            ex.execute(ran::countDown);
            assertTrue(ran.await(5, TimeUnit.SECONDS));
            assertEquals(1, failures.size());
        } finally {
            backing.shutdownNow();
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not met in 5 s");
            Thread.sleep(1); // polling a condition with a deadline
        }
    }
}
