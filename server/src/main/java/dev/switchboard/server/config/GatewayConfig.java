package dev.switchboard.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Every setting of a node, with its default. The same object is filled by the command line (picocli),
 * by {@code SWITCHBOARD_*} environment variables ({@link ConfigDefaults}) and a config file ({@link ConfigFile}), or
 * by code that embeds the gateway ({@code new GatewayConfig()} then assign fields).
 */
public final class GatewayConfig {

    // ---- listener ----
    @Option(names = "--host", description = "Bind address (default: 0.0.0.0, or 127.0.0.1 with --dev).")
    public String host;

    /** The address to bind: --host, else loopback in dev mode (its ticket issuer and API key are open), else all. */
    public String bindHost() {
        return host != null ? host : dev ? "127.0.0.1" : "0.0.0.0";
    }

    @Option(names = "--port", description = "HTTP + WebSocket port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    public int port = 8080;

    @Option(names = "--transport", paramLabel = "auto|epoll|io_uring|nio",
            description = "Socket transport: auto takes epoll, else io_uring, else NIO (the order measured best, docs/benchmarks.md); naming one that cannot load here fails the start with the reason (default: ${DEFAULT-VALUE}).")
    public String transport = "auto";

    @Option(names = "--io-threads", description = "Event-loop threads; 0 = one per two cores, at least one (default: ${DEFAULT-VALUE}).")
    public int ioThreads = 0;

    @Option(names = "--node-id", description = "This node's id in connection ids and logs (default: random).")
    public String nodeId;

    @Option(names = "--dev", description = "Development mode: open /auth/token, API key 'dev-api-key' when none is set, localhost origins allowed, random token secret when none is set.")
    public boolean dev;

    // ---- TLS ----
    @Option(names = "--tls-cert", description = "PEM file with the certificate chain (leaf first): serves https:// and wss:// on --port. Reloaded when it changes.")
    public Path tlsCert;

    @Option(names = "--tls-key", description = "PEM file with the certificate's private key (PKCS#8: 'BEGIN PRIVATE KEY'; RSA or EC).")
    public Path tlsKey;

    @Option(names = "--tls-provider", paramLabel = "auto|openssl|jdk", description = "TLS engine: auto takes OpenSSL (BoringSSL) where it loads, else the JDK's (default: ${DEFAULT-VALUE}).")
    public String tlsProvider = "auto";

    @Option(names = "--tls-reload-interval", converter = DurationConverter.class, description = "How often the certificate and key files are checked for a renewal; 0 = never (default: 10s).")
    public Duration tlsReloadInterval = Duration.ofSeconds(10);

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

    @Option(names = "--max-connections", description = "WebSocket connections this node accepts; beyond, upgrades get 503 (default: ${DEFAULT-VALUE}).")
    public int maxConnections = 100_000;

    @Option(names = "--max-connections-per-address", description = "WebSocket connections from one remote address; beyond, upgrades get 503 (default: ${DEFAULT-VALUE}).")
    public int maxConnectionsPerAddress = 1_000;

    @Option(names = "--max-handshakes-per-address", description = "WebSocket upgrade attempts per second from one remote address, burst twice that; beyond, 503; 0 = no limit (default: ${DEFAULT-VALUE}).")
    public double maxHandshakesPerAddress = 100;

    @Option(names = "--max-subscriptions", description = "Channels one connection may be subscribed to at once; beyond, subscribe answers limit_exceeded (default: ${DEFAULT-VALUE}).")
    public int maxSubscriptions = 256;

    @Option(names = "--http-header-timeout", converter = DurationConverter.class, description = "Close an HTTP connection whose request headers are not complete within this (slowloris), 408 (default: 10s).")
    public Duration httpHeaderTimeout = Duration.ofSeconds(10);

    @Option(names = "--http-idle-timeout", converter = DurationConverter.class, description = "Close a kept-alive HTTP connection idle between requests for this long (default: 60s).")
    public Duration httpIdleTimeout = Duration.ofSeconds(60);

    @Option(names = "--auth-timeout", converter = DurationConverter.class, description = "Close connections not authenticated within this, code 4001 (default: 5s).")
    public Duration authTimeout = Duration.ofSeconds(5);

    @Option(names = "--drain-timeout", converter = DurationConverter.class, description = "How long shutdown waits for sockets to close (default: 10s).")
    public Duration drainTimeout = Duration.ofSeconds(10);

    @Option(names = "--shutdown-delay", converter = DurationConverter.class, description = "On SIGTERM, /readyz answers 503 at once but the node keeps serving this long, so a load balancer stops sending it new connections (default: 0s; 5s-10s behind a load balancer).")
    public Duration shutdownDelay = Duration.ZERO;

    @Option(names = "--shutdown-spread", converter = DurationConverter.class, description = "Then its connections are closed with 1012 (restarting: reconnect now) spread over this, so clients do not all reconnect in the same second (default: 0s; a few seconds per 10,000 connections).")
    public Duration shutdownSpread = Duration.ZERO;

    // ---- limits ----
    @Option(names = "--max-message-size", description = "Largest inbound WebSocket message in bytes; bigger closes with 1009 (default: ${DEFAULT-VALUE}).")
    public int maxMessageSize = 64 * 1024;

    @Option(names = "--max-http-body", description = "Largest HTTP request body in bytes (default: ${DEFAULT-VALUE}).")
    public int maxHttpBody = 1024 * 1024;

    @Option(names = "--max-publish-batch", description = "Most publications one POST /api/publish/batch may carry (default: ${DEFAULT-VALUE}; the body stays within --max-http-body).")
    public int maxPublishBatch = 1000;

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

    @Option(names = "--history-channel-bytes", description = "Bytes one channel may retain in memory, its history and recent idempotency keys, the oldest going first; on Redis it bounds the keys, at 256 B each (default: 8 MiB).")
    public long historyChannelBytes = 8L << 20;

    @Option(names = "--history-node-bytes", description = "Bytes all channels together may retain in memory, history and idempotency keys (default: a quarter of the heap).")
    public Long historyNodeBytes;

    @Option(names = "--history-rules", description = "Retention per channel pattern, first match wins, e.g. 'chat:*=1000/10m,tmp:*=0'; other channels use --history-size/--history-ttl.")
    public String historyRules = "";

    @Option(names = "--presence-ttl", converter = DurationConverter.class, description = "With --engine=redis: a crashed node's users leave presence within this (default: 30s).")
    public Duration presenceTtl = Duration.ofSeconds(30);

    @Option(names = "--vacated-delay", converter = DurationConverter.class, description = "A node announces its last subscriber of a channel gone only after this, so a reconnecting tab causes no channel_vacated + channel_occupied (default: 2s; 0: at once).")
    public Duration vacatedDelay = Duration.ofSeconds(2);

    @Option(names = "--redis-prefix", description = "Prefix of every Redis key and channel, so deployments can share a Redis (default: ${DEFAULT-VALUE}).")
    public String redisPrefix = "sb";

    @Option(names = "--redis-timeout", converter = DurationConverter.class, description = "How long a Redis command may take before it fails as unavailable (default: 2s).")
    public Duration redisTimeout = Duration.ofSeconds(2);

    // ---- credential expiry ----
    @Option(names = "--refresh-grace", converter = DurationConverter.class, description = "After a connection's credential expires, how long the client has to send a new ticket (refresh) before close 4005 (default: 10s).")
    public Duration refreshGrace = Duration.ofSeconds(10);

    // ---- backend hooks (docs/hooks.md) ----
    @Option(names = "--hook-connect-url", description = "POSTed when a connection opens or sends auth; the backend decides user and permissions.")
    public java.net.URI hookConnectUrl;

    @Option(names = "--hook-refresh-url", description = "POSTed when a connection's credential expires; the backend may extend it.")
    public java.net.URI hookRefreshUrl;

    @Option(names = "--hook-subscribe-url", description = "POSTed for subscribe requests on --hook-subscribe-channels; the backend allows or denies.")
    public java.net.URI hookSubscribeUrl;

    @Option(names = "--hook-subscribe-channels", description = "Channel globs the subscribe hook is asked about (default: ${DEFAULT-VALUE}).")
    public String hookSubscribeChannels = "*";

    @Option(names = "--hook-publish-url", description = "POSTed for client publishes on --hook-publish-channels; the backend allows, denies or rewrites the data.")
    public java.net.URI hookPublishUrl;

    @Option(names = "--hook-publish-channels", description = "Channel globs the publish hook is asked about (default: ${DEFAULT-VALUE}).")
    public String hookPublishChannels = "*";

    @Option(names = "--hook-rpc-url", description = "Message types without an in-process handler that match --hook-rpc-types are POSTed here; the answer (JSON, NDJSON or SSE stream) is the reply.")
    public java.net.URI hookRpcUrl;

    @Option(names = "--hook-rpc-types", description = "Message-type globs the RPC hook takes (default: ${DEFAULT-VALUE}).")
    public String hookRpcTypes = "*";

    @Option(names = "--hook-timeout", converter = DurationConverter.class, description = "Time-out of connect, refresh, subscribe and publish hook calls (default: 1s).")
    public Duration hookTimeout = Duration.ofSeconds(1);

    @Option(names = "--hook-rpc-timeout", converter = DurationConverter.class, description = "Time-out of an RPC hook call until its answer starts (default: 30s).")
    public Duration hookRpcTimeout = Duration.ofSeconds(30);

    @Option(names = "--hook-concurrency", description = "Hook calls in flight per hook; more are refused as unavailable (default: ${DEFAULT-VALUE}).")
    public int hookConcurrency = 256;

    @Option(names = "--hook-max-body", description = "Largest hook answer in bytes (a streamed RPC answer: largest line or event) (default: ${DEFAULT-VALUE}).")
    public int hookMaxBody = 1024 * 1024;

    @Option(names = "--hook-fail-open", split = ",", description = "Hooks that let the action through when the backend cannot be reached or answers badly: connect, subscribe, publish (default: none, they refuse with unavailable).")
    public List<String> hookFailOpen = new ArrayList<>();

    @Option(names = "--hook-forward-headers", split = ",", description = "Upgrade request headers shown to the connect hook, e.g. cookie,authorization (default: ${DEFAULT-VALUE}).")
    public List<String> hookForwardHeaders = new ArrayList<>(List.of("origin", "user-agent"));

    // ---- webhooks ----
    @Option(names = "--webhook-url", description = "Events (connect, disconnect, channel occupied/vacated, presence join/leave) are POSTed here, signed.")
    public java.net.URI webhookUrl;

    @Option(names = "--webhook-secret", description = "HMAC-SHA256 key of the X-Switchboard-Signature header of webhook calls.")
    public String webhookSecret;

    @Option(names = "--webhook-events", split = ",", description = "Events to send (default: all): connect, disconnect, channel_occupied, channel_vacated, presence_join, presence_leave.")
    public List<String> webhookEvents = new ArrayList<>();

    @Option(names = "--webhook-queue", description = "Events waiting to be sent; when full, new events are dropped and counted (default: ${DEFAULT-VALUE}).")
    public int webhookQueue = 10_000;

    @Option(names = "--webhook-retries", description = "Retries of a failed webhook call, with jittered backoff, before its events are dropped (default: ${DEFAULT-VALUE}).")
    public int webhookRetries = 5;

    @Option(names = "--webhook-timeout", converter = DurationConverter.class, description = "Time-out of one webhook call (default: 5s).")
    public Duration webhookTimeout = Duration.ofSeconds(5);

    // ---- OpenAI-compatible LLM handler ----
    @Option(names = "--llm-upstream", description = "Base URL of an OpenAI-compatible API (e.g. https://api.openai.com/v1); enables the llm.chat type.")
    public java.net.URI llmUpstream;

    @Option(names = "--llm-api-key", description = "Bearer key for --llm-upstream.")
    public String llmApiKey;

    @Option(names = "--llm-model", description = "Model name sent upstream (default: ${DEFAULT-VALUE}).")
    public String llmModel = "gpt-4o-mini";

    @Option(names = "--llm-type", description = "Message type of the LLM handler (default: ${DEFAULT-VALUE}).")
    public String llmType = "llm.chat";

    @Option(names = "--llm-timeout", converter = DurationConverter.class, description = "Time-out until the upstream starts answering, and between two tokens (default: 60s).")
    public Duration llmTimeout = Duration.ofSeconds(60);

    // ---- Durable Streams and resumable replies ----
    @Option(names = "--streams", negatable = true, description = "Serve the Durable Streams protocol under --streams-prefix (default: ${DEFAULT-VALUE}).")
    public boolean streams = true;

    @Option(names = "--streams-prefix", description = "Path under which every path is a Durable Stream (default: ${DEFAULT-VALUE}).")
    public String streamsPrefix = "/streams";

    @Option(names = "--streams-long-poll-timeout", converter = DurationConverter.class, description = "How long a long-poll read waits for data before 204; also the SSE keep-alive interval (default: 30s).")
    public Duration streamsLongPollTimeout = Duration.ofSeconds(30);

    @Option(names = "--streams-sse-duration", converter = DurationConverter.class, description = "How long one SSE read lasts before the server ends it and the client resumes from its offset (default: 60s).")
    public Duration streamsSseDuration = Duration.ofSeconds(60);

    @Option(names = "--streams-max-append", description = "Largest append (or initial body) in bytes; bigger: 413 (default: ${DEFAULT-VALUE}).")
    public int streamsMaxAppend = 16 << 20;

    @Option(names = "--streams-max-stream-bytes", description = "Bytes one stream may hold; appends past it: 413 (default: ${DEFAULT-VALUE}).")
    public long streamsMaxStreamBytes = 64L << 20;

    @Option(names = "--streams-max-bytes", description = "Bytes all streams of the memory store may hold on this node (default: ${DEFAULT-VALUE}).")
    public long streamsMaxBytes = 512L << 20;

    @Option(names = "--streams-max-count", description = "Streams the store may hold; creates past it: 429 (default: ${DEFAULT-VALUE}).")
    public int streamsMaxCount = 100_000;

    @Option(names = "--streams-max-per-writer", description = "Streams one writer (an API key, a requesting user) may hold (default: ${DEFAULT-VALUE}).")
    public int streamsMaxPerWriter = 10_000;

    @Option(names = "--stream-ttl", converter = DurationConverter.class, description = "Idle time-to-live of a resumable reply's stream (default: 1h).")
    public Duration streamTtl = Duration.ofHours(1);

    @Option(names = "--stream-max-duration", converter = DurationConverter.class, description = "How long a resumable reply may keep producing, its requester gone or not (default: 10m).")
    public Duration streamMaxDuration = Duration.ofMinutes(10);

    // ---- Kafka bridge: its own class, the same flags, variables and config-file keys ----
    @Mixin
    public KafkaOptions kafka = new KafkaOptions();

    @Option(names = "--sse", negatable = true, description = "Serve the Server-Sent Events fallback at /sse for clients whose network blocks WebSockets (default: ${DEFAULT-VALUE}).")
    public boolean sse = true;

    // ---- Pusher ----
    @Option(names = "--pusher-app", paramLabel = "ID:KEY:SECRET", description = "A Pusher Channels app (repeatable): pusher-js, Laravel Echo and the Pusher server SDKs connect to /app/KEY and /apps/ID with it.")
    public List<String> pusherApps = new ArrayList<>();

    @Option(names = "--pusher-client-events", description = "Let clients send client-* events on private and presence channels (off, as in Pusher; per app in the config file).")
    public boolean pusherClientEvents;

    @Option(names = "--pusher-webhook-url", description = "Pusher-format webhooks (channel_occupied/vacated, member_added/removed, client_event) are POSTed here, signed with the app's secret (per app in the config file).")
    public java.net.URI pusherWebhookUrl;

    @Option(names = "--pusher-client-event-rate", description = "Client events a connection may send per second (default: ${DEFAULT-VALUE}).")
    public int pusherClientEventRate = 10;

    /** Pusher apps given as mappings in the config file (per-app client events and webhook URL). */
    public List<PusherApp> pusherAppSettings = new ArrayList<>();

    // ---- admin ----
    @Option(names = "--admin-password", description = "Turns the admin UI at /admin on; log in with this password (at least 12 characters).")
    public String adminPassword;

    @Option(names = "--admin-key", description = "Turns the admin API on for scripts: Authorization: Bearer <key> on /admin/api/*.")
    public String adminKey;

    // ---- traces ----
    @Option(names = "--otel-endpoint", description = "OTLP/HTTP collector for traces, e.g. http://127.0.0.1:4318 (off when not set).")
    public java.net.URI otelEndpoint;

    @Option(names = "--otel-service-name", description = "service.name of this gateway's spans (default: ${DEFAULT-VALUE}).")
    public String otelServiceName = "switchboard";

    // ---- logging ----
    @Option(names = "--log-format", description = "text or json (default: ${DEFAULT-VALUE}).")
    public String logFormat = "text";

    @Option(names = "--access-log", paramLabel = "off|text|json", description = "One line on stdout per connection closed and per HTTP request: off, text (key=value) or json (default: ${DEFAULT-VALUE}).")
    public String accessLog = "off";

    @Option(names = "--access-log-opens", description = "Also log each connection as it opens (default: off).")
    public boolean accessLogOpens;

    @Option(names = "--access-log-http", negatable = true, description = "Log HTTP requests too, not only connections (default: ${DEFAULT-VALUE}).")
    public boolean accessLogHttp = true;

    /**
     * Channel namespaces by name (the config file's {@code namespaces} section; embedders may fill it): options
     * for every channel named {@code <name>:…}, applied over the flat options above.
     */
    public java.util.Map<String, Namespace> namespaces = new java.util.LinkedHashMap<>();

    @Option(names = "--trusted-proxies", split = ",", description = "Addresses or CIDR ranges of proxies whose X-Forwarded-For names the client (logs, hooks, admin); from anyone else the header is ignored.")
    public List<String> trustedProxies = new ArrayList<>();
}
