package dev.switchboard.server.internal.routing;

import dev.switchboard.protocol.CloseCodes;
import dev.switchboard.protocol.Frames;
import dev.switchboard.protocol.Json;
import dev.switchboard.server.internal.delivery.Connection;
import dev.switchboard.server.app.LifecycleHooks;
import dev.switchboard.server.app.RefreshRequest;
import dev.switchboard.server.app.RefreshResult;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection never outlives its credential. When its expiry passes, the refresh hook (when one decides)
 * may extend it; otherwise the client is sent a {@code refresh} frame and has the grace period to answer
 * with a new ticket. Unrenewed, the connection is closed with {@link CloseCodes#CREDENTIAL_EXPIRED}.
 * Driven by the heartbeat sweep, so it costs an idle connection no timer.
 */
public final class CredentialExpiry {

    private static final Logger log = LoggerFactory.getLogger(CredentialExpiry.class);

    private final LifecycleHooks hooks;
    private final long graceMillis;

    public CredentialExpiry(LifecycleHooks hooks, Duration grace) {
        this.hooks = hooks;
        this.graceMillis = grace.toMillis();
    }

    /** Called by the sweep for every connection, on some event loop. */
    public void check(Connection c, long now) {
        long expiresAt = c.expiresAt();
        if (expiresAt == 0 || now < expiresAt || !c.isIdentified()) {
            return;
        }
        long since = c.expiredSince();
        if (since == 0) {
            if (c.markExpired(now)) {
                onExpired(c, expiresAt, now);
            }
        } else if (now - since >= graceMillis) {
            c.close(CloseCodes.CREDENTIAL_EXPIRED, "credential expired");
        }
    }

    private void onExpired(Connection c, long expiresAt, long now) {
        if (!hooks.decidesRefresh()) {
            askClient(c, now);
            return;
        }
        hooks.refresh(new RefreshRequest(c.id(), c.user(), c.endpoint(), c.claims(), expiresAt))
                .whenComplete((result, failure) -> {
                    if (failure != null) {
                        log.warn("refresh hook for connection {} failed ({}): asking the client", c.id(), failure.toString());
                        askClient(c, now);
                        return;
                    }
                    switch (result) {
                        case RefreshResult.Extended e when e.expiresAt() > System.currentTimeMillis() ->
                                c.renew(e.expiresAt(), e.channels() == null ? null : Admitter.permissions(e.channels()));
                        case RefreshResult.Extended e -> c.close(CloseCodes.CREDENTIAL_EXPIRED, "credential expired");
                        case RefreshResult.Expired x -> c.close(CloseCodes.CREDENTIAL_EXPIRED,
                                x.reason() == null || x.reason().isEmpty() ? "credential expired" : x.reason());
                        case RefreshResult.Undecided u -> askClient(c, now);
                    }
                });
    }

    private void askClient(Connection c, long now) {
        c.send(Json.bytes(Frames.refresh(c.expiresAt(), now + graceMillis)));
    }
}
