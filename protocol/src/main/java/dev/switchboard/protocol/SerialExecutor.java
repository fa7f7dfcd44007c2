package dev.switchboard.protocol;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

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
     * Runs a task that finishes later: {@code task} starts on the calling thread when nothing is queued or
     * running (else in its turn, on the backing executor) and returns a stage; the tasks after it wait until
     * that stage completes, without any thread waiting for it. So asynchronous work (an HTTP call on an event
     * loop) keeps its owner's order at no thread's cost. {@code task} itself must not block.
     */
    public void executeHeld(Supplier<? extends CompletionStage<?>> task) {
        pending.incrementAndGet();
        if (tasks.isEmpty() && running.compareAndSet(false, true)) {
            if (!hold(task)) {
                finishHeld();
            }
            return;
        }
        tasks.add(new Held(task));
        if (running.compareAndSet(false, true)) {
            backing.execute(this::drain);
        }
    }

    /** A task that holds the executor until its stage completes. */
    private record Held(Supplier<? extends CompletionStage<?>> task) implements Runnable {
        @Override
        public void run() {
            throw new UnsupportedOperationException("run by drain()");
        }
    }

    /**
     * Starts a held task; true when it is still running (it will call {@link #finishHeld} when done), false
     * when it finished at once.
     */
    private boolean hold(Supplier<? extends CompletionStage<?>> task) {
        CompletableFuture<?> stage;
        try {
            stage = task.get().toCompletableFuture();
        } catch (Throwable t) {
            onFailure.accept(t);
            return false;
        }
        if (stage.isDone()) {
            return false;
        }
        stage.whenComplete((v, t) -> finishHeld());
        return true;
    }

    /**
     * A held task is done: the executor is still this owner's; go on with what queued meanwhile. Held tasks
     * next in line start right here (they do not block, by contract), so back-to-back asynchronous requests
     * of one owner cost no thread; the first plain task goes to the backing executor.
     */
    private void finishHeld() {
        pending.decrementAndGet();
        Runnable next;
        while ((next = tasks.peek()) instanceof Held held) {
            tasks.poll();
            if (hold(held.task())) {
                return;
            }
            pending.decrementAndGet();
        }
        if (next != null) {
            backing.execute(this::drain);
            return;
        }
        running.set(false);
        if (!tasks.isEmpty() && running.compareAndSet(false, true)) {
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
                if (task instanceof Held held) {
                    if (hold(held.task())) {
                        return; // the executor stays held: finishHeld() goes on with the queue
                    }
                    pending.decrementAndGet();
                    continue;
                }
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
