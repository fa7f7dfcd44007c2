package dev.switchboard.server.internal.delivery;

import dev.switchboard.protocol.Frames;
import dev.switchboard.protocol.HistoryPage;
import dev.switchboard.protocol.Json;
import dev.switchboard.protocol.Publication;
import dev.switchboard.protocol.StreamPosition;
import dev.switchboard.server.engine.Broker;
import dev.switchboard.server.engine.HistoryQuery;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Subscribes with recovery: the hand-off between what a returning client missed (read from history) and the
 * live publications that keep arriving meanwhile, without a gap or a double.
 *
 * <p>The race is closed like this: (1) a {@link RecoveryCursor} for the connection is installed before it
 * joins the channel's subscribers, so from then on its live publications are held, not written; (2) once the
 * node's engine subscription is active, history after {@code since} is read — every publication is now either
 * in that read or arrives live; (3) on the connection's event loop, the reply is written with the recovered
 * publications, then the held live ones newer than the last recovered offset; the cursor then drops live
 * publications the history already covered until the first newer one retires it.
 */
final class Recovery {

    private final Broker broker;
    /** Recoveries in progress (and just finished), by {@link #key}. */
    private final Map<String, RecoveryCursor> cursors = new ConcurrentHashMap<>();

    Recovery(Broker broker) {
        this.broker = broker;
    }

    /**
     * @param join subscribes the connection (the plain subscribe), completing with the channel's position
     * @param reply called on the connection's event loop with the result, before any held publication
     */
    CompletableFuture<Void> subscribe(Connection c, String channel, StreamPosition since, int maxRecovered,
                                      Supplier<CompletableFuture<StreamPosition>> join, Consumer<RecoveryResult> reply) {
        String key = key(c, channel);
        RecoveryCursor cursor = new RecoveryCursor();
        cursors.put(key, cursor);
        CompletableFuture<Void> done = new CompletableFuture<>();
        join.get()
                .thenCompose(pos -> broker.history(channel, new HistoryQuery(since.offset(), maxRecovered + 1, false)))
                .whenComplete((page, failure) -> {
                    if (failure != null) {
                        cursors.remove(key, cursor);
                        done.completeExceptionally(failure);
                        return;
                    }
                    c.channel().eventLoop().execute(() -> {
                        try {
                            finish(c, channel, since, maxRecovered, page, cursor, reply);
                            done.complete(null);
                        } catch (RuntimeException e) {
                            done.completeExceptionally(e);
                        }
                    });
                });
        return done;
    }

    private void finish(Connection c, String channel, StreamPosition since, int maxRecovered,
                        HistoryPage<Publication> page, RecoveryCursor cursor, Consumer<RecoveryResult> reply) {
        String epoch = page.position().epoch();
        boolean recovered = epoch.equals(since.epoch()) && page.complete()
                && page.publications().size() <= maxRecovered;
        List<Publication> missed = recovered ? page.publications() : List.of();
        reply.accept(new RecoveryResult(page.position(), recovered, missed));
        long last = recovered ? (missed.isEmpty() ? Math.max(since.offset(), 0) : missed.get(missed.size() - 1).offset())
                : page.position().offset();
        for (Publication p : cursor.release(epoch, last)) {
            c.send(Json.bytes(Frames.channelMessage(p)));
        }
        if (!c.isSubscribed(channel)) {
            cursors.remove(key(c, channel), cursor);
        }
    }

    /** Whether any recovery is in progress (the common answer, no: fan-out skips {@link #pass}). */
    boolean active() {
        return !cursors.isEmpty();
    }

    /** Leaves out connections whose recovery holds or already covered {@code p}. */
    Collection<Connection> pass(Publication p, Collection<Connection> targets) {
        List<Connection> out = new ArrayList<>(targets.size());
        for (Connection c : targets) {
            String key = key(c, p.channel());
            RecoveryCursor cursor = cursors.get(key);
            if (cursor == null) {
                out.add(c);
                continue;
            }
            switch (cursor.offer(p)) {
                case HELD, DROP -> { }
                case DELIVER_AND_RETIRE -> {
                    cursors.remove(key, cursor);
                    out.add(c);
                }
            }
        }
        return out;
    }

    /** The connection left the channel: its recovery, if any, is over. */
    void forget(Connection c, String channel) {
        cursors.remove(key(c, channel));
    }

    int size() {
        return cursors.size();
    }

    private static String key(Connection c, String channel) {
        return c.id() + '\n' + channel;
    }
}
