package dev.switchboard.client;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One daemon timer thread shared by all clients in the JVM, for request timeouts, reconnect delays and heartbeat
 * checks. Shared because a bench may run thousands of clients; tasks only flip state and never block.
 */
final class Timers {

    private static final ScheduledThreadPoolExecutor TIMER = create();

    private Timers() {
    }

    private static ScheduledThreadPoolExecutor create() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "switchboard-client-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true); // cancelled request timeouts must not pile up until they would fire
        return timer;
    }

    static ScheduledFuture<?> schedule(Runnable task, long delayMillis) {
        return TIMER.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    }

    static ScheduledFuture<?> every(Runnable task, long periodMillis) {
        return TIMER.scheduleWithFixedDelay(task, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }
}
