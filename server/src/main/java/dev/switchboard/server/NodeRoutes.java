package dev.switchboard.server;

import dev.switchboard.protocol.Json;
import dev.switchboard.server.config.GatewayConfig;
import dev.switchboard.server.internal.admin.AdminApi;
import dev.switchboard.server.internal.api.ApiKeys;
import dev.switchboard.server.internal.api.BackendApi;
import dev.switchboard.server.internal.api.OpsEndpoints;
import dev.switchboard.server.internal.api.StaticFiles;
import dev.switchboard.server.internal.api.TokenEndpoint;
import dev.switchboard.server.internal.auth.TicketIssuer;
import dev.switchboard.server.internal.handlers.DemoStreamHandler;
import dev.switchboard.server.internal.operations.Operations;
import dev.switchboard.server.internal.transport.HttpResult;
import dev.switchboard.server.internal.transport.HttpRoutes;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.util.internal.PlatformDependent;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The node's HTTP faces on one router: the backend API, tickets, health and metrics, demo, admin, static files. */
final class NodeRoutes {

    private static final Logger log = LoggerFactory.getLogger(NodeRoutes.class);

    private NodeRoutes() {
    }

    /** The API keys of the backend API and the Durable Streams writes: the configured ones, or dev mode's. */
    static List<String> apiKeys(GatewayConfig config) {
        return config.apiKeys.isEmpty() && config.dev ? List.of(Gateway.DEV_API_KEY) : config.apiKeys;
    }

    static HttpRoutes build(GatewayConfig config, Operations operations, byte[] hmacSecret, Clock clock,
                            PrometheusMeterRegistry metrics, OpsEndpoints ops) {
        HttpRoutes routes = new HttpRoutes().maxBody(config.maxHttpBody);
        List<String> apiKeys = apiKeys(config);
        new BackendApi(operations, new ApiKeys(apiKeys), config.maxPublishBatch).install(routes);
        if (apiKeys.isEmpty()) {
            log.warn("no --api-key configured: the /api HTTP API answers 401 to every call");
        }
        if (hmacSecret != null && (config.dev || config.tokenApiKey != null)) {
            TicketIssuer issuer = new TicketIssuer(hmacSecret, config.ticketTtl, clock);
            new TokenEndpoint(issuer, config.dev ? null : new ApiKeys(List.of(config.tokenApiKey))).install(routes);
        }
        ops.install(routes);
        // What the demo pages can offer; names only, nothing secret (the streaming page's LLM mode needs it).
        String llmType = config.llmUpstream == null ? null : config.llmType;
        routes.add("GET", "/demo/features.json", r -> CompletableFuture.completedFuture(HttpResult.json(200,
                Json.object().put("llm", llmType).put("stream", config.demoHandlers ? DemoStreamHandler.TYPE : null))));
        StaticFiles staticFiles = new StaticFiles();
        if (config.adminPassword != null || config.adminKey != null) {
            new AdminApi(operations, config.adminPassword, config.adminKey, config.secureCookies, metrics, clock,
                    staticFiles).install(routes);
        } else {
            AdminApi.installDisabled(routes);
        }
        routes.fallback(staticFiles);
        return routes;
    }

    static void bindJvmMetrics(PrometheusMeterRegistry metrics) {
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmGcMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);
        metrics.gauge("switchboard.netty.direct.memory", PlatformDependent.class,
                c -> PlatformDependent.usedDirectMemory());
    }

    /** What the broker dropped from its backplane (garbage, oversized, impossible offsets), by reason. */
    static void bindBackplaneMetrics(io.micrometer.core.instrument.MeterRegistry metrics, dev.switchboard.server.engine.Broker broker) {
        for (String reason : List.of("oversized", "malformed", "impossible")) {
            io.micrometer.core.instrument.FunctionCounter.builder("switchboard.backplane.dropped", broker,
                    b -> b.dropped().getOrDefault(reason, 0L)).tag("reason", reason)
                    .description("messages dropped from the Redis backplane instead of trusted").register(metrics);
        }
    }
}
