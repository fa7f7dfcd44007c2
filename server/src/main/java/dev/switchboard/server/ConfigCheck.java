package dev.switchboard.server;

import dev.switchboard.server.bridge.kafka.KafkaBridge;
import dev.switchboard.server.config.ConfigLayout;
import dev.switchboard.server.config.ConfigProblem;
import dev.switchboard.server.config.GatewayConfig;
import dev.switchboard.server.internal.auth.PublicKeys;
import dev.switchboard.server.internal.routing.EndpointRoutes;
import dev.switchboard.server.internal.transport.IoTransport;
import dev.switchboard.server.internal.transport.ServerTls;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a node would refuse at start, found without starting it (no port bound, no Redis or Kafka asked): a
 * ticket key that cannot work, values outside their choices, routes and rules that do not parse, a certificate
 * that does not load or does not match its key. {@code checkconfig} and {@code run} list every one.
 */
final class ConfigCheck {

    private ConfigCheck() {
    }

    static List<ConfigProblem> problems(GatewayConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        check(problems, "token-secret", () -> NodeSettings.hmacSecret(config));
        if (config.tokenPublicKey != null) {
            check(problems, "token-public-key", () -> PublicKeys.read(config.tokenPublicKey));
        }
        oneOf(problems, "engine", config.engine, "memory", "redis");
        oneOf(problems, "log-format", config.logFormat, "text", "json");
        oneOf(problems, "access-log", config.accessLog, "off", "text", "json");
        oneOf(problems, "tls-provider", config.tlsProvider, "auto", "openssl", "jdk");
        check(problems, "transport", () -> IoTransport.parse(config.transport));
        if (config.adminPassword != null && !config.adminPassword.isEmpty() && config.adminPassword.length() < 12) {
            problems.add(problem("admin-password", "must be at least 12 characters"));
        }
        for (String spec : config.endpoints) {
            String[] parts = spec.split(":");
            check(problems, "endpoint", () -> new EndpointRoutes(parts[0], false));
            if (parts.length > 2 || parts.length == 2 && !parts[1].equals("anonymous")) {
                problems.add(problem("endpoint", "'" + spec + "' must be PATH or PATH:anonymous"));
            }
        }
        check(problems, "history-rules", () -> NodeSettings.retention(config));
        check(problems, "pusher-app", () -> NodeSettings.pusher(config, "check"));
        if (config.kafka.bootstrap != null) {
            check(problems, "kafka-consume", () -> new KafkaBridge(NodeSettings.kafka(config)));
        }
        if ((config.tlsCert == null) != (config.tlsKey == null)) {
            problems.add(problem(config.tlsCert == null ? "tls-cert" : "tls-key", "TLS needs both tls.cert and tls.key"));
        } else if (config.tlsCert != null) {
            check(problems, "tls-cert", () -> io.netty.util.ReferenceCountUtil.release(
                    ServerTls.load(config.tlsCert, config.tlsKey, config.tlsProvider)));
        }
        return problems;
    }

    private static void check(List<ConfigProblem> problems, String option, Attempt attempt) {
        try {
            attempt.run();
        } catch (IllegalArgumentException | IllegalStateException e) {
            problems.add(problem(option, e.getMessage()));
        }
    }

    private static void oneOf(List<ConfigProblem> problems, String option, String value, String... allowed) {
        if (!Set.of(allowed).contains(value)) {
            problems.add(problem(option, "'" + value + "' is not one of " + String.join(", ", allowed)));
        }
    }

    private static ConfigProblem problem(String option, String message) {
        String path = ConfigLayout.path(option);
        return new ConfigProblem(0, path == null ? "--" + option : path + " (--" + option + ")", message);
    }

    /** One check: it throws IllegalArgumentException (or IllegalStateException) with the reason. */
    @FunctionalInterface
    private interface Attempt {
        void run();
    }
}
