package dev.switchboard.server.internal.hooks;

import dev.switchboard.server.app.LifecycleHooks;
import dev.switchboard.server.app.ConnectRequest;
import dev.switchboard.server.app.ConnectResult;
import dev.switchboard.server.app.RefreshRequest;
import dev.switchboard.server.app.RefreshResult;
import dev.switchboard.server.app.ChannelRequest;
import dev.switchboard.server.app.Verdict;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Several {@link LifecycleHooks} asked in order, e.g. in-process ones before the HTTP backend. For connect and
 * refresh the first that decides wins; for subscribe and publish each is asked in turn, a refusal stops the
 * chain, and a publish's rewritten data is what the next one sees.
 */
public final class HookChain implements LifecycleHooks {

    private final List<LifecycleHooks> hooks;

    private HookChain(List<LifecycleHooks> hooks) {
        this.hooks = hooks;
    }

    /** The hooks in order; one is returned as it is, none as {@link LifecycleHooks#NONE}. */
    public static LifecycleHooks of(List<LifecycleHooks> hooks) {
        List<LifecycleHooks> real = hooks.stream().filter(h -> h != LifecycleHooks.NONE).toList();
        return switch (real.size()) {
            case 0 -> LifecycleHooks.NONE;
            case 1 -> real.get(0);
            default -> new HookChain(real);
        };
    }

    @Override
    public boolean decidesConnect() {
        return hooks.stream().anyMatch(LifecycleHooks::decidesConnect);
    }

    @Override
    public boolean decidesRefresh() {
        return hooks.stream().anyMatch(LifecycleHooks::decidesRefresh);
    }

    @Override
    public CompletionStage<ConnectResult> connect(ConnectRequest request) {
        return firstDecided(0, h -> h.connect(request), r -> r instanceof ConnectResult.Undecided, ConnectResult.UNDECIDED);
    }

    @Override
    public CompletionStage<RefreshResult> refresh(RefreshRequest request) {
        return firstDecided(0, h -> h.refresh(request), r -> r instanceof RefreshResult.Undecided, RefreshResult.UNDECIDED);
    }

    private <R> CompletionStage<R> firstDecided(int i, Function<LifecycleHooks, CompletionStage<R>> ask,
                                                 Predicate<R> undecided, R none) {
        if (i == hooks.size()) {
            return CompletableFuture.completedFuture(none);
        }
        return ask.apply(hooks.get(i)).thenCompose(r -> undecided.test(r) ? firstDecided(i + 1, ask, undecided, none)
                : CompletableFuture.completedFuture(r));
    }

    @Override
    public boolean decidesSubscribe(String channel) {
        return hooks.stream().anyMatch(h -> h.decidesSubscribe(channel));
    }

    @Override
    public CompletionStage<Verdict> subscribe(ChannelRequest request) {
        return inTurn(0, request, Verdict.ALLOW, LifecycleHooks::decidesSubscribe, LifecycleHooks::subscribe);
    }

    @Override
    public boolean decidesPublish(String channel) {
        return hooks.stream().anyMatch(h -> h.decidesPublish(channel));
    }

    @Override
    public CompletionStage<Verdict> publish(ChannelRequest request) {
        return inTurn(0, request, Verdict.ALLOW, LifecycleHooks::decidesPublish, LifecycleHooks::publish);
    }

    private CompletionStage<Verdict> inTurn(int i, ChannelRequest request, Verdict soFar,
                                            BiFunction<LifecycleHooks, String, Boolean> applies,
                                            BiFunction<LifecycleHooks, ChannelRequest, CompletionStage<Verdict>> ask) {
        if (i == hooks.size()) {
            return CompletableFuture.completedFuture(soFar);
        }
        LifecycleHooks h = hooks.get(i);
        if (!applies.apply(h, request.channel())) {
            return inTurn(i + 1, request, soFar, applies, ask);
        }
        return ask.apply(h, request).thenCompose(v -> {
            if (!(v instanceof Verdict.Allowed allowed)) {
                return CompletableFuture.completedFuture(v);
            }
            boolean rewrote = allowed.data() != null;
            ChannelRequest next = rewrote ? new ChannelRequest(request.connection(), request.user(), request.endpoint(),
                    request.channel(), request.claims(), allowed.data()) : request;
            return inTurn(i + 1, next, rewrote ? allowed : soFar, applies, ask);
        });
    }
}
