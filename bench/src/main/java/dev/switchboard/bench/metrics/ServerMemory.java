package dev.switchboard.bench.metrics;

import dev.switchboard.bench.targets.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * One reading of a server's memory: RSS from {@code /proc/<pid>/status}, and for the gateway the JVM's heap and
 * direct memory from its Prometheus {@code /metrics}. Before reading a JVM it asks for a full GC ({@code jcmd
 * <pid> GC.run}) so "heap used" means live data, not garbage that happens not to be collected yet.
 *
 * <p>Metric names read: {@code jvm_memory_used_bytes{area="heap"}} (summed over pools),
 * {@code jvm_buffer_memory_used_bytes{id="direct"}} (NIO direct buffers), and the gateway's
 * {@code switchboard_netty_direct_memory*} (Netty's own direct memory, which the JVM's buffer-pool gauge does not
 * see when Netty allocates without cleaners).
 *
 * @param rss bytes resident, or -1 when the pid is unknown
 * @param heap heap bytes used after a GC, or -1
 * @param direct direct bytes (JVM buffer pool + Netty allocator), or -1
 */
public record ServerMemory(long rss, long heap, long direct) {

    /** Reads the target's memory now (after a GC when it is a JVM we can reach with jcmd). */
    public static ServerMemory read(Target target) throws InterruptedException {
        OptionalLong pid = target.pid();
        if (target.isJvm() && pid.isPresent()) {
            fullGc(pid.getAsLong());
        }
        long rss = pid.isPresent() ? rss(pid.getAsLong()) : -1;
        long heap = -1;
        long direct = -1;
        if (target.isJvm()) {
            try {
                PrometheusText m = PrometheusText.parse(target.get("/metrics"));
                heap = m.sum("jvm_memory_used_bytes", "area=\"heap\"");
                long nio = m.sum("jvm_buffer_memory_used_bytes", "id=\"direct\"");
                long netty = m.sumPrefix("switchboard_netty_direct_memory", "");
                direct = nio < 0 && netty < 0 ? -1 : Math.max(nio, 0) + Math.max(netty, 0);
            } catch (IOException e) {
                // no /metrics: RSS alone still tells the story
            }
        }
        return new ServerMemory(rss, heap, direct);
    }

    /** VmRSS of a process in bytes, or -1. */
    public static long rss(long pid) {
        return procStatus(pid, "VmRSS:");
    }

    static long procStatus(long pid, String field) {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"));
            for (String line : lines) {
                if (line.startsWith(field)) {
                    String[] parts = line.substring(field.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    private static void fullGc(long pid) throws InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.run")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (IOException e) {
            // jcmd missing (a JRE): the heap reading then includes garbage; RSS is unaffected
        }
    }
}
