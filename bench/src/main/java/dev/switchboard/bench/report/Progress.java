package dev.switchboard.bench.report;

import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * A once-a-second status line on stderr while a run goes on: rewritten in place on a terminal, one line every
 * few seconds otherwise (CI logs).
 */
public final class Progress implements AutoCloseable {

    private final Thread thread;
    private volatile boolean running = true;

    /** Starts printing {@code status} every second, prefixed with {@code label} and the elapsed time. */
    public Progress(String label, Supplier<String> status) {
        PrintStream err = System.err;
        boolean tty = System.console() != null;
        long start = System.nanoTime();
        thread = new Thread(() -> {
            int tick = 0;
            while (running) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
                tick++;
                if (!running) {
                    return;
                }
                String line = String.format("[%s %4.0fs] %s", label, (System.nanoTime() - start) / 1e9, status.get());
                if (tty) {
                    err.print("\r" + line + "\u001b[K");
                    err.flush();
                } else if (tick % 5 == 0) {
                    err.println(line);
                }
            }
        }, "bench-progress");
        thread.setDaemon(true);
        thread.start();
        this.tty = tty;
    }

    private final boolean tty;

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (tty) {
            System.err.println();
        }
    }
}
