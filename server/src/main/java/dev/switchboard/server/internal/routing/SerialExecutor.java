package dev.switchboard.server.internal.routing;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one connection's tasks one at a time, in submission order, on virtual threads: a blocking handler
 * never stalls the I/O thread, yet a connection's messages are handled in the order they arrived. A virtual
 * thread exists only while there is work, so an idle connection costs nothing here.
 */
final class SerialExecutor {

    private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicInteger pending = new AtomicInteger();

    /** Queues a task. */
    void execute(Runnable task) {
        pending.incrementAndGet();
        tasks.add(task);
        if (running.compareAndSet(false, true)) {
            Thread.ofVirtual().name("handler").start(this::drain);
        }
    }

    /**
     * Whether nothing is queued or running. Only meaningful on the single thread that submits (the
     * connection's event loop): then no task can be added concurrently, so "idle" cannot become false under us.
     */
    boolean isIdle() {
        return pending.get() == 0;
    }

    /** Tasks queued or running. */
    int pending() {
        return pending.get();
    }

    private void drain() {
        while (true) {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                try {
                    task.run();
                } catch (Throwable t) {
                    log.error("handler task failed", t);
                } finally {
                    pending.decrementAndGet();
                }
            }
            running.set(false);
            // A task added between poll() returning null and running=false must not be stranded.
            if (tasks.isEmpty() || !running.compareAndSet(false, true)) {
                return;
            }
        }
    }
}
