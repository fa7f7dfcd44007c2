package dev.switchboard.server.internal.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.ProtocolException;
import dev.switchboard.server.app.ChannelRequest;
import dev.switchboard.server.app.LifecycleHooks;
import dev.switchboard.server.app.Verdict;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Asks the subscribe or publish hook (when one decides for the channel) after the claims allowed the action.
 * Completes with the data the hook returned ({@code null} when it returned none, or no hook was asked); fails
 * with the hook's refusal; a {@code disconnect} answer closes the connection.
 */
final class HookVerdicts {

    private static final CompletableFuture<JsonNode> NOTHING = CompletableFuture.completedFuture(null);

    private HookVerdicts() {
    }

    static CompletableFuture<JsonNode> subscribe(BuiltinContext ctx, String channel, JsonNode data) {
        LifecycleHooks hooks = ctx.hooks();
        return hooks.decidesSubscribe(channel) ? ask(ctx, channel, data, hooks::subscribe) : NOTHING;
    }

    static CompletableFuture<JsonNode> publish(BuiltinContext ctx, String channel, JsonNode data) {
        LifecycleHooks hooks = ctx.hooks();
        return hooks.decidesPublish(channel) ? ask(ctx, channel, data, hooks::publish) : NOTHING;
    }

    private static CompletableFuture<JsonNode> ask(BuiltinContext ctx, String channel, JsonNode data,
                                                   Function<ChannelRequest, CompletionStage<Verdict>> hook) {
        ChannelRequest request = new ChannelRequest(ctx.connectionId(), ctx.user(), ctx.endpoint(), channel,
                ctx.claims(), data);
        return hook.apply(request).toCompletableFuture().thenApply(verdict -> switch (verdict) {
            case Verdict.Allowed a -> a.data();
            case Verdict.Denied d -> throw new ProtocolException(d.code(), d.message());
            case Verdict.Disconnected d -> {
                ctx.connection().close(d.code(), d.reason());
                throw new ProtocolException("disconnected", d.reason());
            }
        });
    }
}
