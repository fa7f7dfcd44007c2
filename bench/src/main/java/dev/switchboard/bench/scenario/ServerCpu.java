package dev.switchboard.bench.scenario;

import dev.switchboard.bench.metrics.ProcessCpu;
import dev.switchboard.bench.report.RunResult;
import java.util.List;

/**
 * The server processes' CPU seconds over the measured window (summed: a cluster is several processes), and the
 * work done per CPU second.
 */
final class ServerCpu {

    private final List<Long> pids;
    private double startSeconds = Double.NaN;
    private double usedSeconds = Double.NaN;
    private final long self = ProcessHandle.current().pid();
    private double clientStart;
    private double clientUsed;

    /** Readings of {@code pids}; none known means client CPU only. */
    ServerCpu(List<Long> pids) {
        this.pids = pids;
    }

    private double serverSeconds() {
        if (pids.isEmpty()) {
            return Double.NaN;
        }
        double sum = 0;
        for (long pid : pids) {
            sum += ProcessCpu.seconds(pid);
        }
        return sum;
    }

    void start() {
        clientStart = ProcessCpu.seconds(self);
        startSeconds = serverSeconds();
    }

    void stop() {
        clientUsed = ProcessCpu.seconds(self) - clientStart;
        usedSeconds = serverSeconds() - startSeconds;
    }

    /**
     * Adds {@code client_cpu_s} (this load client), and {@code server_cpu_s} and {@code <what>_per_server_cpu_s}
     * when the server's pid is known.
     */
    void report(RunResult result, long work, String what) {
        result.put("client_cpu_s", PubSubLoad.round3(clientUsed));
        if (Double.isNaN(usedSeconds) || usedSeconds <= 0) {
            return;
        }
        result.put("server_cpu_s", PubSubLoad.round3(usedSeconds));
        result.put(what + "_per_server_cpu_s", PubSubLoad.round(work / usedSeconds));
    }
}
