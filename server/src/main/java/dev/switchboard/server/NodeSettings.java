package dev.switchboard.server;

import com.nimbusds.jose.JWSAlgorithm;
import dev.switchboard.protocol.GlobPattern;
import dev.switchboard.server.app.GatewayEvents;
import dev.switchboard.server.app.LifecycleHooks;
import dev.switchboard.server.bridge.kafka.KafkaSettings;
import dev.switchboard.server.config.GatewayConfig;
import dev.switchboard.server.internal.auth.JwksSignatureCheck;
import dev.switchboard.server.internal.auth.Permissions;
import dev.switchboard.server.internal.auth.PublicKeys;
import dev.switchboard.server.internal.auth.TicketVerifier;
import dev.switchboard.server.internal.observe.Tracing;
import dev.switchboard.server.internal.routing.ClientMetrics;
import dev.switchboard.server.internal.routing.ClientSettings;
import dev.switchboard.server.internal.transport.IoTransport;
import dev.switchboard.server.internal.transport.TransportSettings;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The configuration read into what each part of the node is given: the one place options meet their parts. */
final class NodeSettings {

    private static final Logger log = LoggerFactory.getLogger(NodeSettings.class);

    private NodeSettings() {
    }

    static TransportSettings transport(GatewayConfig config) {
        return new TransportSettings(config.bindHost(), config.port,
                IoTransport.parse(config.transport), config.ioThreads,
                config.maxMessageSize, config.maxHttpBody, config.maxOutboundBytes, config.permessageDeflate,
                config.secureCookies, config.pingInterval, config.idleTimeout, config.authTimeout,
                config.drainTimeout, config.httpHeaderTimeout, config.httpIdleTimeout, config.maxConnections,
                config.maxConnectionsPerAddress, config.maxHandshakesPerAddress);
    }

    static KafkaSettings kafka(GatewayConfig config) {
        return new KafkaSettings(config.kafkaBootstrap, config.kafkaConsume, config.kafkaProduce,
                config.kafkaRoutes, config.kafkaGroup, config.kafkaOffsetReset, config.kafkaDeadLetter,
                config.kafkaMaxInFlight, config.kafkaProduceBuffer, config.kafkaSessionTimeout, config.kafkaProperties);
    }

    static ClientSettings client(GatewayConfig config, String nodeId, byte[] hmacSecret, Clock clock,
                                 ClientMetrics metrics, LifecycleHooks hooks, GatewayEvents events, Tracing tracing) {
        Permissions defaults = new Permissions(GlobPattern.list(config.defaultSubscribe),
                GlobPattern.list(config.defaultPublish), false);
        return new ClientSettings(nodeId, verifier(config, hmacSecret, defaults, clock), defaults,
                new Permissions(GlobPattern.list(config.anonymousSubscribe), List.of(), false),
                config.rateLimit, config.rateBurst, config.maxQueued, metrics, hooks, events,
                config.hookForwardHeaders.stream().map(h -> h.trim().toLowerCase(Locale.ROOT))
                        .filter(h -> !h.isEmpty()).collect(Collectors.toCollection(LinkedHashSet::new)),
                config.maxSubscriptions, tracing);
    }

    static TicketVerifier verifier(GatewayConfig config, byte[] hmacSecret, Permissions defaults, Clock clock) {
        if (config.tokenJwksUrl != null) {
            Set<JWSAlgorithm> algorithms = config.tokenJwksAlgorithms.stream().map(JWSAlgorithm::parse)
                    .collect(Collectors.toSet());
            JwksSignatureCheck check = new JwksSignatureCheck(config.tokenJwksUrl, algorithms, config.tokenJwksCache,
                    config.tokenJwksMinRefresh);
            try {
                check.prefetch();
            } catch (IllegalStateException e) {
                log.warn("{}: tickets are refused as unavailable until it can be fetched", e.getMessage());
            }
            return TicketVerifier.jwks(check, defaults, clock);
        }
        if (config.tokenPublicKey != null) {
            return TicketVerifier.publicKey(PublicKeys.read(config.tokenPublicKey), defaults, clock);
        }
        return TicketVerifier.hmac(hmacSecret, defaults, clock);
    }

    static byte[] hmacSecret(GatewayConfig config) {
        if (config.tokenSecret != null) {
            byte[] secret = config.tokenSecret.getBytes(StandardCharsets.UTF_8);
            if (secret.length < 32) {
                throw new IllegalArgumentException("--token-secret must be at least 32 bytes (HS256)");
            }
            return secret;
        }
        if (config.tokenPublicKey != null || config.tokenJwksUrl != null) {
            return null;
        }
        if (!config.dev) {
            throw new IllegalArgumentException("no ticket key: give --token-secret (HS256), --token-public-key"
                    + " (RS256/ES256) or --token-jwks-url, or run with --dev");
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return random;
    }

}
