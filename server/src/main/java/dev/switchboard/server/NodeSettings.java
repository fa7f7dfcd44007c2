package dev.switchboard.server;

import com.nimbusds.jose.JWSAlgorithm;
import dev.switchboard.protocol.GlobPattern;
import dev.switchboard.server.app.GatewayEvents;
import dev.switchboard.server.app.LifecycleHooks;
import dev.switchboard.server.bridge.kafka.KafkaSettings;
import dev.switchboard.server.config.GatewayConfig;
import dev.switchboard.server.config.Namespace;
import dev.switchboard.server.config.PusherApp;
import dev.switchboard.server.internal.pusher.Pusher;
import dev.switchboard.server.internal.pusher.PusherApps;
import dev.switchboard.server.internal.pusher.PusherSettings;
import dev.switchboard.server.engine.HistoryPolicy;
import dev.switchboard.server.engine.RetentionRules;
import dev.switchboard.server.internal.delivery.ChannelPolicies;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import dev.switchboard.server.internal.auth.JwksSignatureCheck;
import dev.switchboard.server.internal.auth.Permissions;
import dev.switchboard.server.internal.auth.PublicKeys;
import dev.switchboard.server.internal.auth.TicketVerifier;
import dev.switchboard.server.internal.observe.Tracing;
import dev.switchboard.server.internal.routing.ClientMetrics;
import dev.switchboard.server.internal.routing.ClientSettings;
import dev.switchboard.server.internal.transport.IoTransport;
import dev.switchboard.server.internal.transport.ServerTls;
import dev.switchboard.server.internal.handlers.llm.OpenAiChatHandler;
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

    /**
     * What a ticket without a {@code channels} claim (or an anonymous connection) may do: the flat globs, except
     * in namespaces that list their own (their globs are relative to the namespace).
     */
    private static Permissions defaults(GatewayConfig config, List<GlobPattern> subscribe, List<GlobPattern> publish,
                                        Function<Namespace, List<String>> nsSubscribe,
                                        Function<Namespace, List<String>> nsPublish) {
        Map<String, Permissions> byNamespace = new LinkedHashMap<>();
        for (Namespace ns : config.namespaces.values()) {
            List<String> sub = nsSubscribe.apply(ns);
            List<String> pub = nsPublish.apply(ns);
            if (sub != null || pub != null) {
                byNamespace.put(ns.name(), new Permissions(
                        sub != null ? globs(ns.absolute(sub)) : subscribe,
                        pub != null ? globs(ns.absolute(pub)) : publish, false));
            }
        }
        return new Permissions(subscribe, publish, false, byNamespace);
    }

    private static List<GlobPattern> globs(List<String> patterns) {
        return patterns.stream().map(GlobPattern::new).toList();
    }

    /** Presence, join/leave, recovery and client publishing per channel, namespaces over the flat options. */
    static ChannelPolicies channelPolicies(GatewayConfig config) {
        Map<String, ChannelPolicies.Namespace> byName = new LinkedHashMap<>();
        config.namespaces.forEach((name, ns) -> byName.put(name, new ChannelPolicies.Namespace(ns.presence(),
                ns.joinLeave(), ns.recover(), ns.clientPublish())));
        return new ChannelPolicies(GlobPattern.list(config.presenceChannels), byName);
    }

    /** History retention: each namespace's, then --history-rules, then --history-size/--history-ttl. */
    static RetentionRules retention(GatewayConfig config) {
        HistoryPolicy fallback = config.historySize == 0 ? HistoryPolicy.NONE
                : new HistoryPolicy(config.historySize, config.historyTtl);
        RetentionRules flat = RetentionRules.parse(config.historyRules, fallback);
        List<RetentionRules.Rule> rules = new ArrayList<>();
        for (Namespace ns : config.namespaces.values()) {
            if (ns.historySize() != null || ns.historyTtl() != null) {
                int size = ns.historySize() != null ? ns.historySize() : config.historySize;
                rules.add(new RetentionRules.Rule(ns.allChannels(), size == 0 ? HistoryPolicy.NONE
                        : new HistoryPolicy(size, ns.historyTtl() != null ? ns.historyTtl() : config.historyTtl)));
            }
        }
        if (rules.isEmpty()) {
            return flat;
        }
        rules.addAll(flat.rules());
        return new RetentionRules(rules, flat.fallback(), RetentionRules.DEFAULT_META_TTL);
    }

    /** The Pusher adapter of the configured apps, or null when there is none. */
    static Pusher pusher(GatewayConfig config, String nodeId) {
        List<PusherApps.App> apps = new ArrayList<>();
        for (String spec : config.pusherApps) {
            PusherApp a = PusherApp.parse(spec);
            apps.add(new PusherApps.App(a.id(), a.key(), a.secret(), config.pusherClientEvents, config.pusherWebhookUrl));
        }
        for (PusherApp a : config.pusherAppSettings) {
            apps.add(new PusherApps.App(a.id(), a.key(), a.secret(),
                    a.clientEvents() != null ? a.clientEvents() : config.pusherClientEvents,
                    a.webhookUrl() != null ? a.webhookUrl() : config.pusherWebhookUrl));
        }
        if (apps.isEmpty()) {
            return null;
        }
        return new Pusher(new PusherApps(apps), new PusherSettings(30, config.maxSubscriptions,
                config.pusherClientEventRate, 10 * 1024, 200, config.rateLimit, config.rateBurst), nodeId);
    }

    /** The transport's settings; {@code maxBody} is the largest request body any route takes. */
    static TransportSettings transport(GatewayConfig config, ServerTls tls, int maxBody) {
        return new TransportSettings(config.bindHost(), config.port,
                IoTransport.parse(config.transport), config.ioThreads,
                config.maxMessageSize, maxBody, config.maxOutboundBytes, config.permessageDeflate,
                config.secureCookies || tls != null, config.pingInterval, config.idleTimeout, config.authTimeout,
                config.drainTimeout, config.httpHeaderTimeout, config.httpIdleTimeout, config.maxConnections,
                config.maxConnectionsPerAddress, config.maxHandshakesPerAddress, config.shutdownSpread, tls);
    }

    static KafkaSettings kafka(GatewayConfig config) {
        return new KafkaSettings(config.kafka.bootstrap, config.kafka.consume, config.kafka.produce,
                config.kafka.routes, config.kafka.group, config.kafka.offsetReset, config.kafka.deadLetter,
                config.kafka.maxInFlight, config.kafka.produceBuffer, config.kafka.sessionTimeout, config.kafka.properties);
    }

    static ClientSettings client(GatewayConfig config, String nodeId, byte[] hmacSecret, Clock clock,
                                 ClientMetrics metrics, LifecycleHooks hooks, GatewayEvents events, Tracing tracing) {
        Permissions defaults = defaults(config, GlobPattern.list(config.defaultSubscribe),
                GlobPattern.list(config.defaultPublish), Namespace::subscribe, Namespace::publish);
        Permissions anonymous = defaults(config, GlobPattern.list(config.anonymousSubscribe), List.of(),
                Namespace::anonymousSubscribe, ns -> null);
        return new ClientSettings(nodeId, verifier(config, hmacSecret, defaults, clock), defaults, anonymous,
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


    /** The TLS context of {@code --tls-cert}/{@code --tls-key}, or null for plain HTTP. */
    static ServerTls tls(GatewayConfig config, io.micrometer.core.instrument.MeterRegistry metrics) {
        if (config.tlsCert == null && config.tlsKey == null) {
            return null;
        }
        if (config.tlsCert == null || config.tlsKey == null) {
            throw new IllegalArgumentException("TLS needs both --tls-cert and --tls-key");
        }
        return ServerTls.open(config.tlsCert, config.tlsKey, config.tlsProvider, config.tlsReloadInterval, metrics);
    }

    /** The handler relaying to {@code --llm-upstream}, when one is configured. */
    static java.util.Optional<OpenAiChatHandler> llm(GatewayConfig config) {
        return config.llmUpstream == null ? java.util.Optional.empty() : java.util.Optional.of(new OpenAiChatHandler(
                config.llmUpstream, config.llmApiKey, config.llmModel, config.llmTimeout, config.maxMessageSize));
    }
}
