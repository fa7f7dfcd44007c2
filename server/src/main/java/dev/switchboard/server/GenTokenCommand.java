package dev.switchboard.server;

import dev.switchboard.server.config.ConfigDefaults;
import dev.switchboard.server.config.ConfigException;
import dev.switchboard.server.config.ConfigFile;
import dev.switchboard.server.config.ConfigSources;
import dev.switchboard.server.config.DurationConverter;
import dev.switchboard.server.config.GatewayConfig;
import dev.switchboard.server.internal.auth.TicketIssuer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard gentoken --user U}: a ticket signed with the configured HS256 secret ({@code --token-secret},
 * {@code SWITCHBOARD_TOKEN_SECRET} or the config file's {@code auth.tokenSecret}), for trying a deployment
 * with curl or websocat.
 */
@Command(name = "gentoken", description = "Print a ticket (JWT) signed with the configured HS256 secret.")
final class GenTokenCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--user", required = true, description = "The ticket's user (sub).")
    String user;

    @Option(names = "--ttl", converter = DurationConverter.class, description = "Lifetime (default: 1h).")
    Duration ttl = Duration.ofHours(1);

    @Option(names = "--channels", split = ",", description = "Channel globs it may subscribe to (default: the server's).")
    List<String> subscribe;

    @Option(names = "--publish", split = ",", description = "Channel globs it may publish to (default: the server's).")
    List<String> publish;

    @Option(names = "--broadcast", description = "Allow broadcast.")
    boolean broadcast;

    @Option(names = "--token-secret", description = "HS256 secret (default: SWITCHBOARD_TOKEN_SECRET, then the config file's).")
    String tokenSecret;

    @Option(names = "--config", description = "Config file whose auth.tokenSecret signs the ticket.")
    Path configFile;

    @Override
    public Integer call() {
        List<String> args = new ArrayList<>();
        if (tokenSecret != null) {
            args.add("--token-secret=" + tokenSecret);
        }
        GatewayConfig config;
        try {
            config = ConfigSources.resolve(args.toArray(String[]::new), envOf(spec),
                    configFile == null ? ConfigFile.none() : ConfigFile.read(configFile));
        } catch (ConfigException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return 2;
        }
        if (config.tokenSecret == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no HS256 secret: give --token-secret, "
                    + "SWITCHBOARD_TOKEN_SECRET or a --config with auth.tokenSecret (tickets for --token-public-key or a "
                    + "JWKS URL are signed by your identity provider's private key, not here)");
        }
        TicketIssuer issuer = new TicketIssuer(NodeSettings.hmacSecret(config), ttl, Clock.systemUTC());
        spec.commandLine().getOut().println(issuer.issue(user, subscribe, publish, broadcast ? Boolean.TRUE : null));
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** The environment the command line was given (its default value provider). */
    static java.util.Map<String, String> envOf(CommandSpec spec) {
        return spec.root().defaultValueProvider() instanceof ConfigDefaults d ? d.env() : java.util.Map.of();
    }
}
