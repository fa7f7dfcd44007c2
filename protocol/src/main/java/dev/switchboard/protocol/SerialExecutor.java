package dev.switchboard.protocol;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs tasks one at a time, in submission order, on a backing executor (typically a virtual thread per burst
 * of work): the server runs one connection's handlers here so a blocking handler never stalls the I/O thread
 * yet messages are handled in arrival order; the Java client runs application callbacks here so a slow one
 * cannot stall reading. A thread exists only while there is work, so an idle owner costs nothing.
 */
public final class SerialExecutor implements Executor {

    private final Executor backing;
    private final Consumer<Throwable> onFailure;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicInteger pending = new AtomicInteger();

    /**
     * @param backing   runs the drain loop; must not run it on the calling thread
     * @param onFailure told of a task that threw (the next tasks still run)
     */
    public SerialExecutor(Executor backing, Consumer<Throwable> onFailure) {
        this.backing = backing;
        this.onFailure = onFailure;
    }

    /** Queues a task. */
    @Override
    public void execute(Runnable task) {
        pending.incrementAndGet();
        tasks.add(task);
        if (running.compareAndSet(false, true)) {
            backing.execute(this::drain);
        }
    }

    /**
     * Whether nothing is queued or running. Only meaningful on the single thread that submits (a connection's
     * event loop): then no task can be added concurrently, so "idle" cannot become false under us.
     */
    public boolean isIdle() {
        return pending.get() == 0;
    }

    /** Tasks queued or running. */
    public int pending() {
        return pending.get();
    }

    private void drain() {
        while (true) {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                try {
                    task.run();
                } catch (Throwable t) {
                    onFailure.accept(t);
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
