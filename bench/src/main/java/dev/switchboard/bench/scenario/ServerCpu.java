package dev.switchboard.bench.scenario;

import dev.switchboard.bench.metrics.ProcessCpu;
import dev.switchboard.bench.report.RunResult;
import java.util.OptionalLong;

/** The server process's CPU seconds over the measured window, and the work done per CPU second. */
final class ServerCpu {

    private final OptionalLong pid;
    private double startSeconds = Double.NaN;
    private double usedSeconds = Double.NaN;
    private final long self = ProcessHandle.current().pid();
    private double clientStart;
    private double clientUsed;

    ServerCpu(OptionalLong pid) {
        this.pid = pid;
    }

    void start() {
        clientStart = ProcessCpu.seconds(self);
        startSeconds = pid.isPresent() ? ProcessCpu.seconds(pid.getAsLong()) : Double.NaN;
    }

    void stop() {
        clientUsed = ProcessCpu.seconds(self) - clientStart;
        usedSeconds = pid.isPresent() ? ProcessCpu.seconds(pid.getAsLong()) - startSeconds : Double.NaN;
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
