package dev.switchboard.server;

import dev.switchboard.server.config.ConfigDefaults;
import dev.switchboard.server.config.GatewayConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The {@code switchboard} command line: {@code run} starts a node (the default command). */
@Command(name = "switchboard", mixinStandardHelpOptions = true, version = "switchboard 0.1.0",
        description = "A real-time WebSocket gateway.", subcommands = Main.Run.class)
public final class Main {

    /** Starts a node and serves until SIGTERM/SIGINT, then drains. */
    @Command(name = "run", mixinStandardHelpOptions = true, description = "Start a gateway node.")
    static final class Run implements Callable<Integer> {
        @Mixin
        GatewayConfig config = new GatewayConfig();

        @Option(names = "--config", description = "Properties file with option defaults (keys are option names, e.g. ping-interval=25s).")
        Path configFile;

        @Override
        public Integer call() throws Exception {
            return serve(config);
        }

        static int serve(GatewayConfig config) throws InterruptedException {
            System.setProperty("switchboard.log.format", "json".equals(config.logFormat) ? "JSON" : "TEXT");
            Gateway gateway;
            try {
                gateway = new Gateway(config).start();
            } catch (IllegalArgumentException e) {
                System.err.println("switchboard: " + e.getMessage());
                return 2;
            } catch (dev.switchboard.server.engine.EngineUnavailableException e) {
                System.err.println("switchboard: " + e.getMessage());
                return 1;
            }
            // The banner tells the address really bound: a wildcard says so, instead of looking like loopback.
            java.net.InetAddress bound = gateway.address().getAddress();
            String host = bound.isAnyLocalAddress() ? "0.0.0.0" : bound.getHostAddress();
            String scope = bound.isAnyLocalAddress() ? "all interfaces; " : bound.isLoopbackAddress() ? "loopback only; " : "";
            System.out.printf("Switchboard listening on http://%s:%d (%sendpoints %s; engine %s; node %s%s)%n",
                    host, gateway.port(), scope, String.join(", ", gateway.endpointPaths()),
                    gateway.engines().broker().name(), gateway.nodeId(), config.dev ? "; dev mode: tokens at /auth/token, API key " + Gateway.DEV_API_KEY : "");
            System.out.flush();
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                gateway.close();
                stopped.countDown();
            }, "shutdown"));
            stopped.await();
            return 0;
        }
    }

    public static void main(String[] args) {
        if (args.length == 0 || args[0].startsWith("--") && !args[0].equals("--help") && !args[0].equals("--version")) {
            String[] withRun = new String[args.length + 1]; // "run" is the default command
            withRun[0] = "run";
            System.arraycopy(args, 0, withRun, 1, args.length);
            args = withRun;
        }
        Path configFile = findConfigFile(args);
        CommandLine cli = new CommandLine(new Main())
                .setDefaultValueProvider(new ConfigDefaults(System.getenv(), configFile))
                .setCaseInsensitiveEnumValuesAllowed(true);
        int code = cli.execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** The config file must be known before parsing (it supplies defaults), so it is looked up first. */
    private static Path findConfigFile(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                return Path.of(args[i + 1]);
            }
            if (args[i].startsWith("--config=")) {
                return Path.of(args[i].substring("--config=".length()));
            }
        }
        String env = System.getenv("SWITCHBOARD_CONFIG");
        return env == null ? null : Path.of(env);
    }
}
