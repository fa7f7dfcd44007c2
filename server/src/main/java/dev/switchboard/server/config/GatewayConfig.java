package dev.switchboard.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Every setting of a node, with its default. The same object is filled by the command line (picocli),
 * by {@code SWITCHBOARD_*} environment variables and an optional properties file ({@link ConfigDefaults}), or
 * by code that embeds the gateway ({@code new GatewayConfig()} then assign fields).
 */
public final class GatewayConfig {

    // ---- listener ----
    @Option(names = "--host", description = "Bind address (default: ${DEFAULT-VALUE}).")
    public String host = "0.0.0.0";

    @Option(names = "--port", description = "HTTP + WebSocket port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    public int port = 8080;

    @Option(names = "--io-threads", description = "Event-loop threads; 0 = one per two cores, at least one (default: ${DEFAULT-VALUE}).")
    public int ioThreads = 0;

    @Option(names = "--node-id", description = "This node's id in connection ids and logs (default: random).")
    public String nodeId;

    @Option(names = "--dev", description = "Development mode: open /auth/token, API key 'dev-api-key' when none is set, localhost origins allowed, random token secret when none is set.")
    public boolean dev;

    // ---- endpoints ----
    @Option(names = "--endpoint", split = ",", paramLabel = "PATH[:anonymous]",
            description = "WebSocket endpoints (repeatable; default: /ws). ':anonymous' welcomes connections without a ticket.")
    public List<String> endpoints = new ArrayList<>(List.of("/ws"));

    @Option(names = "--demo-handlers", negatable = true, description = "Register the demo handlers (demo.stream) on /ws (default: ${DEFAULT-VALUE}).")
    public boolean demoHandlers = true;

    @Option(names = "--allowed-origins", split = ",", description = "Origins allowed to upgrade (globs; '*' = any). The gateway's own host is always allowed.")
    public List<String> allowedOrigins = new ArrayList<>();

    // ---- auth ----
    @Option(names = "--token-secret", description = "HS256 secret for tickets, at least 32 bytes.")
    public String tokenSecret;

    @Option(names = "--token-public-key", description = "PEM file with the RSA (RS256) or EC P-256 (ES256) public key that verifies tickets.")
    public Path tokenPublicKey;

    @Option(names = "--token-jwks-url", description = "JWK set URL of the ticket issuer (e.g. https://idp/.well-known/jwks.json): tickets are verified with the key their 'kid' names; keys rotate without a restart.")
    public java.net.URI tokenJwksUrl;

    @Option(names = "--token-jwks-algorithms", split = ",", description = "Algorithms accepted with --token-jwks-url (default: RS256,ES256).")
    public List<String> tokenJwksAlgorithms = new ArrayList<>(List.of("RS256", "ES256"));

    @Option(names = "--token-jwks-cache", converter = DurationConverter.class, description = "How long a fetched JWK set is used before it is refreshed (default: 5m).")
    public Duration tokenJwksCache = Duration.ofMinutes(5);

    @Option(names = "--token-jwks-min-refresh", converter = DurationConverter.class, description = "Least time between two fetches caused by unknown key ids (default: 30s).")
    public Duration tokenJwksMinRefresh = Duration.ofSeconds(30);

    @Option(names = "--ticket-ttl", converter = DurationConverter.class, description = "Lifetime of tickets from /auth/token (default: 60s).")
    public Duration ticketTtl = Duration.ofSeconds(60);

    @Option(names = "--token-api-key", description = "Outside dev mode, enables /auth/token protected by this bearer key.")
    public String tokenApiKey;

    @Option(names = "--api-key", split = ",", description = "Bearer keys for the /api HTTP API (repeatable).")
    public List<String> apiKeys = new ArrayList<>();

    @Option(names = "--default-subscribe", description = "Channel globs a ticket without 'channels' may subscribe to (default: ${DEFAULT-VALUE}).")
    public String defaultSubscribe = "*";

    @Option(names = "--default-publish", description = "Channel globs a ticket without 'channels' may publish to (default: ${DEFAULT-VALUE}).")
    public String defaultPublish = "*";

    @Option(names = "--anonymous-subscribe", description = "Channel globs anonymous connections may subscribe to (default: ${DEFAULT-VALUE}).")
    public String anonymousSubscribe = "public:*";

    @Option(names = "--secure-cookies", description = "Mark the session cookie Secure (when served over TLS).")
    public boolean secureCookies;

    // ---- heartbeats ----
    @Option(names = "--ping-interval", converter = DurationConverter.class, description = "Server ping period (default: 25s).")
    public Duration pingInterval = Duration.ofSeconds(25);

    @Option(names = "--idle-timeout", converter = DurationConverter.class, description = "Close connections silent this long, code 4000 (default: 60s).")
    public Duration idleTimeout = Duration.ofSeconds(60);

    @Option(names = "--auth-timeout", converter = DurationConverter.class, description = "Close connections not authenticated within this, code 4001 (default: 5s).")
    public Duration authTimeout = Duration.ofSeconds(5);

    @Option(names = "--drain-timeout", converter = DurationConverter.class, description = "How long shutdown waits for sockets to close (default: 10s).")
    public Duration drainTimeout = Duration.ofSeconds(10);

    // ---- limits ----
    @Option(names = "--max-message-size", description = "Largest inbound WebSocket message in bytes; bigger closes with 1009 (default: ${DEFAULT-VALUE}).")
    public int maxMessageSize = 64 * 1024;

    @Option(names = "--max-http-body", description = "Largest HTTP request body in bytes (default: ${DEFAULT-VALUE}).")
    public int maxHttpBody = 1024 * 1024;

    @Option(names = "--max-outbound-buffer", description = "Unsent bytes per connection before it is closed as a slow consumer, 4008 (default: ${DEFAULT-VALUE}).")
    public long maxOutboundBytes = 4L * 1024 * 1024;

    @Option(names = "--rate-limit", description = "Inbound messages per second per connection (default: ${DEFAULT-VALUE}).")
    public double rateLimit = 100;

    @Option(names = "--rate-burst", description = "Inbound burst per connection (default: ${DEFAULT-VALUE}).")
    public int rateBurst = 200;

    @Option(names = "--max-queued", description = "Handler tasks a connection may have waiting (default: ${DEFAULT-VALUE}).")
    public int maxQueued = 256;

    @Option(names = "--permessage-deflate", description = "Allow permessage-deflate compression (default: off).")
    public boolean permessageDeflate;

    // ---- delivery and engine ----
    @Option(names = "--presence-channels", description = "Channel globs with presence (join/leave, presence lists) (default: ${DEFAULT-VALUE}).")
    public String presenceChannels = "chat:*";

    @Option(names = "--engine", description = "memory (one node, default) or redis (cluster).")
    public String engine = "memory";

    @Option(names = "--redis", description = "Redis URI for --engine=redis (default: ${DEFAULT-VALUE}).")
    public String redis = "redis://127.0.0.1:6379";

    @Option(names = "--history-size", description = "Publications kept per channel (default: ${DEFAULT-VALUE}; 0 = no history).")
    public int historySize = 100;

    @Option(names = "--history-ttl", converter = DurationConverter.class, description = "How long publications are kept (default: 5m).")
    public Duration historyTtl = Duration.ofMinutes(5);

    @Option(names = "--history-rules", description = "Retention per channel pattern, first match wins, e.g. 'chat:*=1000/10m,tmp:*=0'; other channels use --history-size/--history-ttl.")
    public String historyRules = "";

    @Option(names = "--presence-ttl", converter = DurationConverter.class, description = "With --engine=redis: a crashed node's users leave presence within this (default: 30s).")
    public Duration presenceTtl = Duration.ofSeconds(30);

    @Option(names = "--redis-prefix", description = "Prefix of every Redis key and channel, so deployments can share a Redis (default: ${DEFAULT-VALUE}).")
    public String redisPrefix = "sb";

    @Option(names = "--redis-timeout", converter = DurationConverter.class, description = "How long a Redis command may take before it fails as unavailable (default: 2s).")
    public Duration redisTimeout = Duration.ofSeconds(2);

    // ---- logging ----
    @Option(names = "--log-format", description = "text or json (default: ${DEFAULT-VALUE}).")
    public String logFormat = "text";
}
