package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Keeps a connection's ticket fresh without reconnecting: a little before the ticket's {@code expiresAt}
 * (from {@code welcome}, then from each {@code refresh} reply) it fetches a new one from the token supplier
 * and sends {@code refresh}; a server {@code refresh} frame (the credential expired) triggers the same at
 * once. A failed refresh is not fatal here: the server then closes with 4005 and the client reconnects.
 */
final class TicketRefresher {

    private static final System.Logger LOG = System.getLogger(TicketRefresher.class.getName());
    /** How long before expiry to refresh, at most (a quarter of the remaining time when that is shorter). */
    private static final long LEAD_MILLIS = 5_000;

    private final Supplier<? extends CompletionStage<String>> tokens;
    private final BiFunction<String, Object, CompletableFuture<JsonNode>> request;
    private final Object lock = new Object();
    private ScheduledFuture<?> timer; // guarded by lock
    private long epoch; // guarded by lock; bumped by stop() so a late reply of an old connection is ignored
    private boolean inFlight; // guarded by lock

    TicketRefresher(Supplier<? extends CompletionStage<String>> tokens,
                    BiFunction<String, Object, CompletableFuture<JsonNode>> request) {
        this.tokens = tokens;
        this.request = request;
    }

    /** A connection was welcomed; {@code expiresAt} 0 means its credential never ends. */
    void connected(long expiresAt) {
        synchronized (lock) {
            epoch++;
            scheduleLocked(expiresAt);
        }
    }

    /** The server asked: refresh now. */
    void refreshNow() {
        long mine;
        synchronized (lock) {
            if (inFlight) {
                return;
            }
            inFlight = true;
            mine = epoch;
        }
        tokens.get().toCompletableFuture()
                .thenCompose(token -> request.apply("refresh", Map.of("token", token)))
                .whenComplete((reply, failure) -> {
                    synchronized (lock) {
                        inFlight = false;
                        if (mine != epoch) {
                            return;
                        }
                        if (failure != null) {
                            LOG.log(System.Logger.Level.WARNING, "ticket refresh failed: {0}", failure.toString());
                        } else {
                            scheduleLocked(reply == null ? 0 : reply.path("expiresAt").asLong(0));
                        }
                    }
                });
    }

    /** The connection ended: no refresh until the next welcome. */
    void stop() {
        synchronized (lock) {
            epoch++;
            cancelLocked();
        }
    }

    private void scheduleLocked(long expiresAt) {
        cancelLocked();
        if (expiresAt <= 0) {
            return;
        }
        long left = expiresAt - System.currentTimeMillis();
        long lead = Math.min(LEAD_MILLIS, Math.max(0, left / 4));
        timer = Timers.schedule(this::refreshNow, Math.max(0, left - lead));
    }

    private void cancelLocked() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
