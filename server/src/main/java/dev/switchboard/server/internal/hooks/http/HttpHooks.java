package dev.switchboard.server.internal.hooks.http;

import dev.switchboard.server.internal.outbound.CallFailure;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.Json;
import dev.switchboard.protocol.GlobPattern;
import dev.switchboard.server.app.ChannelRequest;
import dev.switchboard.server.app.ConnectRequest;
import dev.switchboard.server.app.ConnectResult;
import dev.switchboard.server.app.LifecycleHooks;
import dev.switchboard.server.app.RefreshRequest;
import dev.switchboard.server.app.RefreshResult;
import dev.switchboard.server.app.Verdict;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * {@link LifecycleHooks} answered by a backend over HTTP (docs/hooks.md): each decision is a JSON POST to
 * its URL. When the backend cannot be asked or answers badly, a hook named in {@code failOpen} lets the
 * action through (connect: as the ticket alone decides); the others refuse with the failure's code. A
 * refresh that fails always falls back to asking the client for a new ticket.
 */
public final class HttpHooks implements LifecycleHooks {

    private final HookEndpoint connect;
    private final HookEndpoint refresh;
    private final HookEndpoint subscribe;
    private final List<GlobPattern> subscribeChannels;
    private final HookEndpoint publish;
    private final List<GlobPattern> publishChannels;
    private final Set<String> failOpen;

    /** Any endpoint may be null (that hook is off). */
    public HttpHooks(HookEndpoint connect, HookEndpoint refresh, HookEndpoint subscribe, List<GlobPattern> subscribeChannels,
                     HookEndpoint publish, List<GlobPattern> publishChannels, Set<String> failOpen) {
        this.connect = connect;
        this.refresh = refresh;
        this.subscribe = subscribe;
        this.subscribeChannels = subscribeChannels;
        this.publish = publish;
        this.publishChannels = publishChannels;
        this.failOpen = failOpen;
    }

    @Override
    public boolean decidesConnect() {
        return connect != null;
    }

    @Override
    public boolean decidesRefresh() {
        return refresh != null;
    }

    @Override
    public boolean decidesSubscribe(String channel) {
        return subscribe != null && GlobPattern.anyMatches(subscribeChannels, channel);
    }

    @Override
    public boolean decidesPublish(String channel) {
        return publish != null && GlobPattern.anyMatches(publishChannels, channel);
    }

    @Override
    public CompletionStage<ConnectResult> connect(ConnectRequest r) {
        ObjectNode body = Json.object();
        body.put("connection", r.connection());
        body.put("endpoint", r.endpoint());
        body.put("transport", r.transport());
        body.put("remoteAddr", r.remoteAddr());
        body.putPOJO("headers", r.headers());
        body.putPOJO("ticketClaims", r.ticketClaims());
        body.set("data", r.data());
        return ask(connect, body, HookAnswers::connect, ConnectResult.UNDECIDED);
    }

    @Override
    public CompletionStage<RefreshResult> refresh(RefreshRequest r) {
        ObjectNode body = about(r.connection(), r.user(), r.endpoint(), r.claims());
        body.put("expiresAt", r.expiresAt());
        return refresh.call(body).thenApply(HookAnswers::refresh).exceptionally(f -> RefreshResult.UNDECIDED);
    }

    @Override
    public CompletionStage<Verdict> subscribe(ChannelRequest r) {
        return ask(subscribe, channelBody(r), HookAnswers::verdict, Verdict.ALLOW);
    }

    @Override
    public CompletionStage<Verdict> publish(ChannelRequest r) {
        return ask(publish, channelBody(r), HookAnswers::verdict, Verdict.ALLOW);
    }

    private static ObjectNode channelBody(ChannelRequest r) {
        ObjectNode body = about(r.connection(), r.user(), r.endpoint(), r.claims());
        body.put("channel", r.channel());
        body.set("data", r.data());
        return body;
    }

    /** The fields every hook call about an identified connection starts with. */
    static ObjectNode about(String connection, String user, String endpoint, java.util.Map<String, Object> claims) {
        ObjectNode body = Json.object();
        body.put("connection", connection);
        body.put("user", user);
        body.put("endpoint", endpoint);
        // Written as they are when the body is serialized, not first turned into a tree (a round trip through
        // Jackson per hook call).
        body.putPOJO("claims", claims);
        return body;
    }

    /** One call with the hook's failure policy: fail open to {@code open}, or fail with the client's error. */
    private <T> CompletableFuture<T> ask(HookEndpoint hook, ObjectNode body, Function<ObjectNode, T> read, T open) {
        return hook.call(body).thenApply(answer -> {
            try {
                return read.apply(answer);
            } catch (CallFailure f) {
                throw hook.failed(f, 0);
            }
        }).exceptionally(failure -> {
            if (failOpen.contains(hook.hook())) {
                return open;
            }
            throw HookEndpoint.classify(failure).toProtocol();
        });
    }
}
