package dev.switchboard.bench.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time a process has used (user + system, all threads), from {@code /proc/<pid>/stat}. On a machine shared
 * with other work, wall-clock throughput swings with their load; CPU seconds per delivered message does not,
 * so the report carries both.
 */
public final class ProcessCpu {

    /** Linux clock ticks per second (USER_HZ); 100 on every mainstream kernel configuration. */
    static final double TICKS_PER_SECOND = 100.0;

    private ProcessCpu() {
    }

    /** CPU seconds used so far by {@code pid}, or NaN when unreadable. */
    public static double seconds(long pid) {
        try {
            return parse(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** utime + stime of a {@code /proc/<pid>/stat} line, in seconds. */
    static double parse(String stat) {
        // The command name (field 2) may contain spaces: count fields after its closing parenthesis.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        long utime = Long.parseLong(f[11]);
        long stime = Long.parseLong(f[12]);
        return (utime + stime) / TICKS_PER_SECOND;
    }
}
