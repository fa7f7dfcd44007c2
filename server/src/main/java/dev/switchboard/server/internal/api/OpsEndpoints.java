package dev.switchboard.server.internal.api;

import dev.switchboard.protocol.Json;
import dev.switchboard.server.internal.transport.HttpResult;
import dev.switchboard.server.internal.transport.HttpRoutes;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** {@code /healthz} (the process serves), {@code /readyz} (send traffic here) and {@code /metrics} (Prometheus). */
public final class OpsEndpoints {

    private final BooleanSupplier accepting;
    private final BooleanSupplier engineReady;
    private final Supplier<Map<String, Boolean>> bridgesReady;
    private final PrometheusMeterRegistry metrics;

    /** @param bridgesReady each bridge's reachability: shown, but not deciding readiness (sockets work without it) */
    public OpsEndpoints(BooleanSupplier accepting, BooleanSupplier engineReady,
                        Supplier<Map<String, Boolean>> bridgesReady, PrometheusMeterRegistry metrics) {
        this.accepting = accepting;
        this.engineReady = engineReady;
        this.bridgesReady = bridgesReady;
        this.metrics = metrics;
    }

    public void install(HttpRoutes routes) {
        routes.add("GET", "/healthz", r -> done(HttpResult.json(200, Json.object().put("status", "ok"))));
        routes.add("GET", "/readyz", r -> {
            boolean serving = accepting.getAsBoolean();
            boolean engine = engineReady.getAsBoolean();
            var body = Json.object().put("status", serving && engine ? "ready" : "not ready")
                    .put("accepting", serving).put("engine", engine);
            Map<String, Boolean> bridges = bridgesReady.get();
            if (!bridges.isEmpty()) {
                var b = body.putObject("bridges");
                bridges.forEach(b::put);
            }
            return done(HttpResult.json(serving && engine ? 200 : 503, body));
        });
        routes.add("GET", "/metrics", r -> done(HttpResult.text(200,
                "text/plain; version=0.0.4; charset=utf-8", metrics.scrape())));
    }

    private static CompletableFuture<HttpResult> done(HttpResult result) {
        return CompletableFuture.completedFuture(result);
    }
}
