package dev.switchboard.bench.scenario;

import dev.switchboard.bench.client.LoadClient;
import dev.switchboard.bench.metrics.Machine;
import dev.switchboard.bench.report.Headline;
import dev.switchboard.bench.report.LatencyChart;
import dev.switchboard.bench.report.Report;
import dev.switchboard.bench.report.RunResult;
import dev.switchboard.bench.targets.ExternalTarget;
import dev.switchboard.bench.targets.BenchTls;
import dev.switchboard.bench.targets.Launchers;
import dev.switchboard.bench.targets.Repo;
import dev.switchboard.bench.targets.Target;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/**
 * The run of one scenario: start (or reach) the gateway, run the load, stop it; then the same against the
 * baseline when asked; then print the table and write the JSON and the chart. Targets run one after the
 * other, never at once, so they never compete for the machine's cores.
 */
public abstract class ScenarioCommand implements Callable<Integer> {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    @Mixin
    protected CommonOptions common;

    private Report report;
    private Path jsonFile;
    private Path chartFile;

    /** The scenario's name (the sub-command). */
    protected abstract String name();

    /** The figures compared against baselines. */
    protected abstract List<Headline> headlines();

    /** The scenario's own parameters, for the report. */
    protected abstract Map<String, Object> parameters();

    /** Runs the load against one target with a fresh client; must be bounded in time and count. */
    protected abstract RunResult runAgainst(Target target, LoadClient client) throws Exception;

    /** Whether --duration and --warmup apply (not for scenarios bounded by a count, like connections). */
    protected boolean timed() {
        return true;
    }

    /** Fails early, with a sentence, when the scenario cannot run here; null when it can. */
    protected String unavailableReason() {
        return null;
    }

    /**
     * The targets to run, in report order; ratios compare the first with each other one. By default the gateway,
     * then the {@code --baseline}. Throws IllegalArgumentException (exit code 2) for options that do not apply.
     */
    protected List<String> targets() {
        List<String> targets = new ArrayList<>(List.of("switchboard"));
        targets.addAll(common.baselines());
        return targets;
    }

    /** For scenarios that start and compare their own targets: --baseline and --url do not apply to them. */
    protected void requireOwnTargets(String why) {
        if (!common.baselines().isEmpty() || common.url != null) {
            throw new IllegalArgumentException(name() + " " + why + "; --baseline and --url do not apply");
        }
    }

    /** The report of the last call (for tests). */
    public Report report() {
        return report;
    }

    /** The JSON file written by the last call. */
    public Path jsonFile() {
        return jsonFile;
    }

    /** The chart written by the last call, or null. */
    public Path chartFile() {
        return chartFile;
    }

    @Override
    public Integer call() throws Exception {
        String unavailable = unavailableReason();
        if (unavailable != null) {
            System.out.println(name() + ": unavailable: " + unavailable);
            return 3;
        }
        report = new Report(name(), Machine.describe(), headlines());
        report.parameters().putAll(parameters());
        if (timed()) {
            report.parameters().put("duration", common.duration.toString());
            report.parameters().put("warmup", common.warmup.toString());
        }
        if (common.rounds > 1) {
            report.parameters().put("rounds", common.rounds);
        }
        report.parameters().put("clientThreads", common.clientThreads);
        report.note("the load client runs on the same " + Runtime.getRuntime().availableProcessors()
                + " cores as the server under test (loopback); other processes on the machine also compete for"
                + " them (load average at start " + Machine.loadAverage() + "), so compare targets by the"
                + " ratios measured in this same run");
        String stamp = STAMP.format(report.startedAt());
        Path outDir = common.out.toAbsolutePath();
        List<String> targets;
        try {
            targets = targets();
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        // Rounds alternate the targets (A B A B ...) so a burst of load from other processes on a shared machine
        // hits both; each target is then represented by its median round on the first headline figure.
        Map<String, List<RunResult>> rounds = new LinkedHashMap<>();
        for (int round = 1; round <= common.rounds; round++) {
            for (String t : targets) {
                String suffix = common.rounds == 1 ? t : t + "-r" + round;
                RunResult r = runOne(t, outDir.resolve(name() + "-" + stamp + "-" + suffix + ".log"));
                rounds.computeIfAbsent(t, k -> new ArrayList<>()).add(r);
            }
        }
        for (List<RunResult> perTarget : rounds.values()) {
            report.runs().add(Rounds.median(perTarget, headlines()));
        }
        report.printTable(System.out);
        jsonFile = report.writeJson(outDir.resolve(name() + "-" + stamp + ".json"));
        System.out.println("JSON: " + jsonFile);
        if (!common.noChart) {
            Path png = outDir.resolve(name() + "-" + stamp + ".png");
            try {
                if (LatencyChart.write(report, png)) {
                    chartFile = png;
                    System.out.println("chart: " + png);
                }
            } catch (RuntimeException | java.io.IOException | Error e) {
                System.err.println("chart not written: " + e);
            }
        }
        return 0;
    }

    private RunResult runOne(String targetName, Path log) throws Exception {
        try (Target target = start(targetName, log); LoadClient client = new LoadClient(common.clientThreads)) {
            System.err.println("target: " + target.describe() + " (client: " + client.transport() + ", "
                    + common.clientThreads + " event loops)");
            RunResult r = runAgainst(target, client);
            if (!(target instanceof ExternalTarget)) {
                r.put("server_log", log.toString());
            }
            return r;
        }
    }

    /** Starts (or reaches) the target named in {@link #targets()}; its output goes to {@code log}. */
    protected Target start(String targetName, Path log) throws Exception {
        switch (targetName) {
            case "node" -> {
                return Launchers.node(Repo.nodeBaseline(), log);
            }
            case "socketio" -> {
                return Launchers.socketIo(Repo.socketIoBaseline(), null, "socketio", log);
            }
            case "pusher" -> {
                return Launchers.pusherGateway(gatewayJar(), common.serverJvmOptions(), common.serverArgs, log);
            }
            case "soketi" -> {
                return Launchers.soketi(Repo.soketiBaseline(), log);
            }
            case "floor" -> {
                return Launchers.floor(common.serverJvmOptions(), log);
            }
            case "tls" -> {
                List<String> args = new ArrayList<>(common.serverArgs);
                args.addAll(BenchTls.serverArgs());
                return Launchers.gateway("switchboard-tls", gatewayJar(), common.serverJvmOptions(), args, Map.of(), log);
            }
            default -> {
                // the gateway, below
            }
        }
        if (common.url != null) {
            String host = common.url.getHost();
            if (!"127.0.0.1".equals(host) && !"localhost".equals(host) && !host.startsWith("127.")) {
                throw new IllegalArgumentException("bench targets loopback only; " + common.url + " is not");
            }
            return new ExternalTarget("switchboard", common.url,
                    common.serverPid == null ? OptionalLong.empty() : OptionalLong.of(common.serverPid));
        }
        return Launchers.gateway(gatewayJar(), common.serverJvmOptions(), common.serverArgs, log);
    }

    /** The gateway jar to start: {@code --server-jar}, else the one built in this checkout. */
    protected Path gatewayJar() {
        return common.serverJar != null ? common.serverJar : Repo.gatewayJar();
    }

    /** Measured seconds, as a double. */
    protected double seconds() {
        return common.duration.toNanos() / 1e9;
    }
}
