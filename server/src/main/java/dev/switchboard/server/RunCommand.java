package dev.switchboard.server;

import dev.switchboard.server.config.ConfigDefaults;
import dev.switchboard.server.config.ConfigDocs;
import dev.switchboard.server.config.ConfigException;
import dev.switchboard.server.config.ConfigFile;
import dev.switchboard.server.config.ConfigProblem;
import dev.switchboard.server.config.ConfigSources;
import dev.switchboard.server.config.GatewayConfig;
import dev.switchboard.server.engine.EngineUnavailableException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard run}: starts a node and serves until SIGTERM/SIGINT, then shuts down the way a rolling
 * restart wants (see {@link Gateway#shutdown()}). Nothing starts while the configuration has a problem.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Start a gateway node.")
final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GatewayConfig config = new GatewayConfig();

    @Option(names = "--config", description = "Config file: YAML (.yaml/.yml) or JSON with sections (switchboard genconfig writes one), or properties (keys are option names).")
    Path configFile;

    @Option(names = "--print-config", description = "Print the effective configuration (secrets masked) and exit.")
    boolean printConfig;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        ConfigDefaults env = (ConfigDefaults) spec.root().defaultValueProvider();
        for (String unknown : env.unknownVariables(spec)) {
            err.println("switchboard: warning: " + unknown + " names no option; it is ignored");
        }
        try {
            ConfigSources.complete(config, spec.commandLine().getParseResult(), env,
                    configFile == null ? ConfigFile.none() : ConfigFile.read(configFile));
        } catch (ConfigException e) {
            return refuse(err, e.problems(), e.file());
        }
        List<ConfigProblem> problems = ConfigCheck.problems(config);
        if (!problems.isEmpty()) {
            return refuse(err, problems, configFile == null ? null : configFile.toString());
        }
        if (printConfig) {
            spec.commandLine().getOut().print(ConfigDocs.effective(config));
            spec.commandLine().getOut().flush();
            return 0;
        }
        return serve(config);
    }

    private static int refuse(PrintWriter err, List<ConfigProblem> problems, String file) {
        problems.forEach(p -> err.println("switchboard: " + p.describe(file)));
        err.println("switchboard: not started (" + problems.size() + (problems.size() == 1 ? " problem" : " problems") + ")");
        err.flush();
        return 2;
    }

    static int serve(GatewayConfig config) throws InterruptedException {
        LogFormat.apply(config.logFormat);
        Gateway gateway;
        try {
            gateway = new Gateway(config).start();
        } catch (IllegalArgumentException e) {
            System.err.println("switchboard: " + e.getMessage());
            return 2;
        } catch (EngineUnavailableException e) {
            System.err.println("switchboard: " + e.getMessage());
            return 1;
        }
        System.out.println(banner(gateway, config));
        System.out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.shutdown();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return 0;
    }

    /** The start-up line: the address really bound (a wildcard says so), endpoints, engine, TLS, node, dev mode. */
    static String banner(Gateway gateway, GatewayConfig config) {
        InetAddress bound = gateway.address().getAddress();
        String host = bound.isAnyLocalAddress() ? "0.0.0.0" : bound.getHostAddress();
        String scope = bound.isAnyLocalAddress() ? "all interfaces; " : bound.isLoopbackAddress() ? "loopback only; " : "";
        String dev = "";
        if (config.dev) {
            dev = "; dev mode: tokens at /auth/token" + (config.apiKeys.isEmpty() ? ", API key " + Gateway.DEV_API_KEY : "");
        }
        return String.format("Switchboard %s listening on %s://%s:%d (%sendpoints %s; engine %s; TLS %s; node %s%s)",
                BuildInfo.version(), gateway.tls() == null ? "http" : "https", host, gateway.port(), scope,
                String.join(", ", gateway.endpointPaths()), gateway.engineName(),
                gateway.tls() == null ? "off" : gateway.tls(), gateway.nodeId(), dev);
    }
}
