package dev.switchboard.bench.targets;

import java.util.concurrent.TimeUnit;

/**
 * Stopping the processes this tool starts: SIGTERM, a grace period, then SIGKILL; and a JVM shutdown hook per
 * process so that Ctrl-C or an abrupt exit of the tool does not leave servers running on the machine.
 */
final class ChildProcesses {

    private ChildProcesses() {
    }

    /** Registers a hook that stops {@code p} if the tool exits before {@link #stop} ran; returns it. */
    static Thread stopAtExit(Process p, String name) {
        Thread hook = new Thread(() -> terminate(p), "stop-" + name + "-at-exit");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    /** Stops {@code p} (SIGTERM, then SIGKILL after 10 s) and drops its exit hook. */
    static void stop(Process p, Thread hook) {
        terminate(p);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs (harmlessly) on a dead process
        }
    }

    private static void terminate(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
    }
}
