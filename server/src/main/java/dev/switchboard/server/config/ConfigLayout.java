package dev.switchboard.server.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each option lives in the config file: {@code server.port} is {@code --port}. One table, read by the
 * file loader, by {@code genconfig} and by the generated docs/configuration.md, so they cannot drift; a test
 * checks that every option of {@link GatewayConfig} has exactly one place here.
 */
public final class ConfigLayout {

    /** A section of the file and its keys, in the order genconfig writes them. */
    public record Section(String name, String title, Map<String, String> keys) {
    }

    /** Sections whose values are not options but structures of their own (read by their own code). */
    public static final List<String> STRUCTURED = List.of("namespaces");

    private static final List<Section> SECTIONS = List.of(
            section("server", "Listener",
                    "host", "host", "port", "port", "transport", "transport", "ioThreads", "io-threads",
                    "nodeId", "node-id", "dev", "dev", "endpoints", "endpoint", "demoHandlers", "demo-handlers",
                    "allowedOrigins", "allowed-origins", "secureCookies", "secure-cookies",
                    "permessageDeflate", "permessage-deflate", "sse", "sse", "trustedProxies", "trusted-proxies"),
            section("tls", "TLS on the gateway's own port",
                    "cert", "tls-cert", "key", "tls-key", "provider", "tls-provider", "reloadInterval", "tls-reload-interval"),
            section("auth", "Tickets (JWT) and the token endpoint",
                    "tokenSecret", "token-secret", "tokenPublicKey", "token-public-key", "tokenJwksUrl", "token-jwks-url",
                    "tokenJwksAlgorithms", "token-jwks-algorithms", "tokenJwksCache", "token-jwks-cache",
                    "tokenJwksMinRefresh", "token-jwks-min-refresh", "ticketTtl", "ticket-ttl",
                    "tokenApiKey", "token-api-key", "refreshGrace", "refresh-grace"),
            section("api", "The HTTP API for backends", "keys", "api-key"),
            section("channels", "Channel defaults (shorthands; namespaces below refine them per ns: prefix)",
                    "subscribe", "default-subscribe", "publish", "default-publish",
                    "anonymousSubscribe", "anonymous-subscribe", "presence", "presence-channels"),
            section("history", "Channel history",
                    "size", "history-size", "ttl", "history-ttl", "channelBytes", "history-channel-bytes",
                    "nodeBytes", "history-node-bytes", "rules", "history-rules"),
            section("limits", "Limits",
                    "maxConnections", "max-connections", "maxConnectionsPerAddress", "max-connections-per-address",
                    "maxHandshakesPerAddress", "max-handshakes-per-address", "maxSubscriptions", "max-subscriptions",
                    "maxMessageSize", "max-message-size", "maxHttpBody", "max-http-body", "maxPublishBatch", "max-publish-batch",
                    "maxOutboundBuffer", "max-outbound-buffer", "rateLimit", "rate-limit", "rateBurst", "rate-burst",
                    "maxQueued", "max-queued"),
            section("timeouts", "Heartbeats, deadlines and shutdown",
                    "pingInterval", "ping-interval", "idleTimeout", "idle-timeout", "authTimeout", "auth-timeout",
                    "httpHeaderTimeout", "http-header-timeout", "httpIdleTimeout", "http-idle-timeout",
                    "drainTimeout", "drain-timeout", "shutdownDelay", "shutdown-delay", "shutdownSpread", "shutdown-spread"),
            section("engine", "Engine (memory: one node; redis: a cluster)",
                    "type", "engine", "presenceTtl", "presence-ttl", "vacatedDelay", "vacated-delay"),
            section("redis", "Redis (engine.type: redis)",
                    "uri", "redis", "prefix", "redis-prefix", "timeout", "redis-timeout"),
            section("hooks", "Your backend's decisions over HTTP",
                    "connectUrl", "hook-connect-url", "refreshUrl", "hook-refresh-url",
                    "subscribeUrl", "hook-subscribe-url", "subscribeChannels", "hook-subscribe-channels",
                    "publishUrl", "hook-publish-url", "publishChannels", "hook-publish-channels",
                    "rpcUrl", "hook-rpc-url", "rpcTypes", "hook-rpc-types", "timeout", "hook-timeout",
                    "rpcTimeout", "hook-rpc-timeout", "concurrency", "hook-concurrency", "maxBody", "hook-max-body",
                    "failOpen", "hook-fail-open", "forwardHeaders", "hook-forward-headers"),
            section("webhooks", "Webhooks (events POSTed to your backend)",
                    "url", "webhook-url", "secret", "webhook-secret", "events", "webhook-events",
                    "queue", "webhook-queue", "retries", "webhook-retries", "timeout", "webhook-timeout"),
            section("llm", "The built-in OpenAI-compatible handler",
                    "upstream", "llm-upstream", "apiKey", "llm-api-key", "model", "llm-model", "type", "llm-type",
                    "timeout", "llm-timeout"),
            section("streams", "Durable Streams (the HTTP protocol) and resumable replies",
                    "enabled", "streams", "prefix", "streams-prefix", "longPollTimeout", "streams-long-poll-timeout",
                    "sseDuration", "streams-sse-duration", "maxAppend", "streams-max-append",
                    "maxStreamBytes", "streams-max-stream-bytes", "maxBytes", "streams-max-bytes",
                    "maxCount", "streams-max-count", "maxPerWriter", "streams-max-per-writer",
                    "replyTtl", "stream-ttl", "replyMaxDuration", "stream-max-duration"),
            section("kafka", "The Kafka bridge",
                    "bootstrap", "kafka-bootstrap", "consume", "kafka-consume", "produce", "kafka-produce",
                    "routes", "kafka-routes", "group", "kafka-group", "offsetReset", "kafka-offset-reset",
                    "deadLetter", "kafka-dead-letter", "maxInFlight", "kafka-max-in-flight",
                    "produceBuffer", "kafka-produce-buffer", "sessionTimeout", "kafka-session-timeout",
                    "properties", "kafka-property"),
            section("pusher", "The Pusher Channels protocol (pusher-js, Laravel Echo, the Pusher server SDKs)",
                    "apps", "pusher-app", "clientEvents", "pusher-client-events", "webhookUrl", "pusher-webhook-url",
                    "clientEventRate", "pusher-client-event-rate"),
            section("admin", "The admin UI and API", "password", "admin-password", "key", "admin-key"),
            section("otel", "Traces (OpenTelemetry)", "endpoint", "otel-endpoint", "serviceName", "otel-service-name"),
            section("log", "Logs", "format", "log-format", "access", "access-log", "accessOpens", "access-log-opens",
                    "accessHttp", "access-log-http"));

    private ConfigLayout() {
    }

    public static List<Section> sections() {
        return SECTIONS;
    }

    /** The option ({@code port}, no dashes) at {@code section.key}, or null when there is none. */
    public static String option(String section, String key) {
        for (Section s : SECTIONS) {
            if (s.name().equals(section)) {
                return s.keys().get(key);
            }
        }
        return null;
    }

    /** The dotted file path of an option ({@code server.port} for {@code port}), or null. */
    public static String path(String option) {
        for (Section s : SECTIONS) {
            for (Map.Entry<String, String> e : s.keys().entrySet()) {
                if (e.getValue().equals(option)) {
                    return s.name() + "." + e.getKey();
                }
            }
        }
        return null;
    }

    public static boolean isSection(String name) {
        return STRUCTURED.contains(name) || SECTIONS.stream().anyMatch(s -> s.name().equals(name));
    }

    private static Section section(String name, String title, String... keyOptionPairs) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (int i = 0; i < keyOptionPairs.length; i += 2) {
            keys.put(keyOptionPairs[i], keyOptionPairs[i + 1]);
        }
        return new Section(name, title, keys);
    }
}
