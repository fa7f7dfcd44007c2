package dev.switchboard.server;

import dev.switchboard.protocol.GlobPattern;
import dev.switchboard.server.config.GatewayConfig;
import dev.switchboard.server.app.GatewayEvents;
import dev.switchboard.server.app.LifecycleHooks;
import dev.switchboard.server.internal.hooks.http.HookEndpoint;
import dev.switchboard.server.internal.hooks.http.HttpHooks;
import dev.switchboard.server.internal.hooks.http.RpcProxy;
import dev.switchboard.server.internal.hooks.webhook.WebhookSender;
import dev.switchboard.server.internal.routing.EndpointRoutes;
import dev.switchboard.server.app.HandlerOptions;
import io.micrometer.core.instrument.MeterRegistry;
import dev.switchboard.server.internal.outbound.client.BackendClient;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The backend-facing parts a configuration asks for: HTTP hooks, the RPC hook, webhooks. One client serves
 * them all ({@link BackendClient}: HTTP/1.1 on the node's event loops, kept-alive connections pooled per
 * backend URL and loop, one connection per call in flight, reused across calls).
 */
final class BackendHooks implements AutoCloseable {

    private final BackendClient http;
    private final LifecycleHooks hooks;
    private final RpcProxy rpc;
    private final String rpcTypes;
    private final WebhookSender webhooks;

    private final dev.switchboard.server.internal.observe.Tracing tracing;

    BackendHooks(GatewayConfig config, String nodeId, Clock clock, MeterRegistry metrics,
                 dev.switchboard.server.internal.observe.Tracing tracing, BackendClient http) {
        this.tracing = tracing;
        this.http = http;
        HookEndpoint connect = endpoint("connect", config.hookConnectUrl, config.hookTimeout, config, metrics);
        HookEndpoint refresh = endpoint("refresh", config.hookRefreshUrl, config.hookTimeout, config, metrics);
        HookEndpoint subscribe = endpoint("subscribe", config.hookSubscribeUrl, config.hookTimeout, config, metrics);
        HookEndpoint publish = endpoint("publish", config.hookPublishUrl, config.hookTimeout, config, metrics);
        Set<String> failOpen = config.hookFailOpen.stream().map(s -> s.trim().toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
        for (String h : failOpen) {
            if (!Set.of("connect", "subscribe", "publish").contains(h)) {
                throw new IllegalArgumentException("--hook-fail-open takes connect, subscribe, publish; not " + h);
            }
        }
        this.hooks = connect == null && refresh == null && subscribe == null && publish == null ? LifecycleHooks.NONE
                : new HttpHooks(connect, refresh, subscribe, GlobPattern.list(config.hookSubscribeChannels),
                        publish, GlobPattern.list(config.hookPublishChannels), failOpen);
        HookEndpoint rpcEndpoint = endpoint("rpc", config.hookRpcUrl, config.hookRpcTimeout, config, metrics);
        this.rpc = rpcEndpoint == null ? null : new RpcProxy(rpcEndpoint, config.hookRpcTimeout);
        this.rpcTypes = config.hookRpcTypes;
        this.webhooks = config.webhookUrl == null ? null : new WebhookSender(config.webhookUrl, config.webhookSecret,
                config.webhookEvents.stream().map(String::trim).collect(Collectors.toSet()), config.webhookQueue,
                config.webhookRetries, config.webhookTimeout, nodeId, clock, http, metrics);
    }

    private HookEndpoint endpoint(String name, URI url, Duration timeout, GatewayConfig config, MeterRegistry metrics) {
        // Idle connections kept per loop: enough for the bound on calls in flight spread over the loops.
        return url == null ? null
                : new HookEndpoint(name, http.origin(url, config.hookTimeout.multipliedBy(2), config.hookConcurrency),
                        timeout, config.hookConcurrency, config.hookMaxBody, metrics, tracing);
    }

    /** The HTTP hooks' decisions ({@link LifecycleHooks#NONE} when none is configured). */
    LifecycleHooks hooks() {
        return hooks;
    }

    /** The webhook sender as an event listener ({@link GatewayEvents#NONE} without one). */
    GatewayEvents events() {
        return webhooks == null ? GatewayEvents.NONE : webhooks;
    }

    /** Gives every endpoint the RPC hook for the configured types that have no handler of their own. */
    void installRpc(Collection<EndpointRoutes> endpoints) {
        if (rpc == null) {
            return;
        }
        for (String glob : rpcTypes.split(",")) {
            if (!glob.isBlank()) {
                endpoints.forEach(e -> e.onUnmatched(glob.trim(), rpc, HandlerOptions.DEFAULT));
            }
        }
    }

    @Override
    public void close() {
        if (webhooks != null) {
            webhooks.close(Duration.ofSeconds(2));
        }
    }
}
