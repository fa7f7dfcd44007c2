package dev.switchboard.server.engine.redis;

import dev.switchboard.protocol.HistoryPage;
import dev.switchboard.protocol.Publication;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publications of one channel on their way from Redis to this node's hub, kept in offset order with no
 * duplicate: Pub/Sub may drop messages while the node's connection to Redis is down, so when a gap shows
 * (an offset past the next expected) or the connection comes back, the missing ones are read from the
 * stream, live ones arriving meanwhile wait in a queue, and both are merged by offset.
 */
final class ChannelFeed {

    private static final Logger log = LoggerFactory.getLogger(ChannelFeed.class);

    private final String channel;
    private final LongFunction<CompletableFuture<HistoryPage<Publication>>> readSince;
    private final Consumer<Publication> downstream;
    private final ArrayDeque<Publication> waiting = new ArrayDeque<>();
    /** Reads of missed publications tried before giving up on them (about a minute with the backoff). */
    private static final int MAX_FILL_ATTEMPTS = 30;
    private String epoch;
    private long last = -1; // newest offset handed downstream; -1 before the first one
    private boolean filling;

    ChannelFeed(String channel, LongFunction<CompletableFuture<HistoryPage<Publication>>> readSince, Consumer<Publication> downstream) {
        this.channel = channel;
        this.readSince = readSince;
        this.downstream = downstream;
    }

    /** A publication from Pub/Sub. */
    synchronized void offer(Publication p) {
        if (filling) {
            waiting.add(p);
            return;
        }
        if (last < 0 || !p.epoch().equals(epoch) || p.offset() == last + 1) {
            accept(p);
        } else if (p.offset() > last + 1) {
            waiting.add(p);
            fill();
        } // else: a duplicate of one already handed on
    }

    /** After a reconnect: fetch whatever was published while this node could not hear it. */
    synchronized void resync() {
        if (last >= 0 && !filling) {
            fill();
        }
    }

    private void fill() {
        fill(0);
    }

    /**
     * Reads what was missed after {@code last}. A failed read (Redis restarting) is retried with backoff while
     * the live ones wait: skipping ahead would lose publications that are still in the stream.
     */
    private void fill(int attempt) {
        filling = true;
        long since = last;
        String expectedEpoch = epoch;
        readSince.apply(since).whenComplete((page, error) -> {
            synchronized (this) {
                if (error != null && attempt < MAX_FILL_ATTEMPTS) {
                    long delay = Math.min(2_000, 100L << Math.min(attempt, 4));
                    java.util.concurrent.CompletableFuture.delayedExecutor(delay, java.util.concurrent.TimeUnit.MILLISECONDS)
                            .execute(() -> {
                                synchronized (this) {
                                    fill(attempt + 1);
                                }
                            });
                    return; // still filling: live publications keep waiting in order
                }
                if (error != null) {
                    log.warn("channel {}: could not read missed publications after offset {}: {}", channel, since, error.toString());
                } else if (!page.position().epoch().equals(expectedEpoch)) {
                    // Redis lost the channel (flush, restart): everything in the new epoch is new to us.
                    page.publications().forEach(this::accept);
                } else {
                    if (!page.complete()) {
                        log.warn("channel {}: publications after offset {} are no longer retained", channel, since);
                    }
                    for (Publication p : page.publications()) {
                        if (p.offset() > last) {
                            accept(p);
                        }
                    }
                }
                filling = false;
                while (!waiting.isEmpty()) {
                    Publication p = waiting.poll();
                    if (last < 0 || !p.epoch().equals(epoch) || p.offset() > last) {
                        accept(p); // a gap still left here was lost to retention: nothing more to fetch
                    }
                }
            }
        });
    }

    private void accept(Publication p) {
        epoch = p.epoch();
        last = p.offset();
        downstream.accept(p);
    }
}
