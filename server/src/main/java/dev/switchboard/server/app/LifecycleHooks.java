package dev.switchboard.server.app;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Decisions a backend makes about connections: who connects, whose credential is extended, who may
 * subscribe and publish (and what is published). One idea, two implementations: application code in the
 * gateway's process ({@code gateway.hooks(...)}) and a backend in any language over HTTP
 * ({@link dev.switchboard.server.internal.hooks.http.HttpHooks}, docs/hooks.md). Every method has a default that
 * decides nothing, so an implementation overrides only what it cares about.
 *
 * <p>Methods are called on the connection's event loop or a hook client thread and must not block: return
 * a stage that completes later. A failed stage counts as the hook being unreachable.
 */
public interface LifecycleHooks {

    /** Whether {@link #connect} decides anything (lets the gateway accept a connection without a ticket). */
    default boolean decidesConnect() {
        return false;
    }

    /** Whether {@link #refresh} decides anything (otherwise an expired connection asks its client). */
    default boolean decidesRefresh() {
        return false;
    }

    /** A connection opened or sent {@code auth}: who is it, and what may it do? */
    default CompletionStage<ConnectResult> connect(ConnectRequest request) {
        return CompletableFuture.completedFuture(ConnectResult.UNDECIDED);
    }

    /** A connection's credential expired: extend it? */
    default CompletionStage<RefreshResult> refresh(RefreshRequest request) {
        return CompletableFuture.completedFuture(RefreshResult.UNDECIDED);
    }

    /** Whether {@link #subscribe} is asked about {@code channel} at all (the hook's channel patterns). */
    default boolean decidesSubscribe(String channel) {
        return false;
    }

    /** A client asks to subscribe (its claims already allow it). */
    default CompletionStage<Verdict> subscribe(ChannelRequest request) {
        return CompletableFuture.completedFuture(Verdict.ALLOW);
    }

    /** Whether {@link #publish} is asked about {@code channel} at all. */
    default boolean decidesPublish(String channel) {
        return false;
    }

    /** A client asks to publish (its claims already allow it); the answer may rewrite the data. */
    default CompletionStage<Verdict> publish(ChannelRequest request) {
        return CompletableFuture.completedFuture(Verdict.ALLOW);
    }

    /** No hooks: every connection is decided by its ticket alone. */
    LifecycleHooks NONE = new LifecycleHooks() {
    };
}
