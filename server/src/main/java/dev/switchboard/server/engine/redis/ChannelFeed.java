package dev.switchboard.server.engine.redis;

import dev.switchboard.protocol.HistoryPage;
import dev.switchboard.protocol.Publication;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publications of one channel on their way from Redis to this node's hub, kept in offset order with no
 * duplicate: Pub/Sub may drop messages while the node's connection to Redis is down, so when a gap shows
 * (an offset past the next expected) or the connection comes back, the missing ones are read from the
 * stream, live ones arriving meanwhile wait in a queue, and both are merged by offset.
 *
 * <p>Pub/Sub is input like any other: only the next offset of the epoch this feed follows is taken as it comes.
 * A first message, a new epoch, or an offset further ahead is checked against the stream (the record every
 * publish writes first): what the stream does not hold after a few reads (an offset past its top, an epoch it
 * does not have) is dropped and counted as {@code impossible}, so a forged message cannot move the feed ahead
 * and make real publications look like duplicates.
 */
final class ChannelFeed {

    private static final Logger log = LoggerFactory.getLogger(ChannelFeed.class);
    /** Reads of missed publications tried before giving up on them (about a minute with the backoff). */
    private static final int MAX_FILL_ATTEMPTS = 30;
    /** Reads that must show a message ahead of the stream's top before it is dropped (it may be in flight). */
    private static final int AHEAD_CHECKS = 4;

    private final String channel;
    private final LongFunction<CompletableFuture<HistoryPage<Publication>>> readSince;
    private final Consumer<Publication> downstream;
    private final Consumer<String> dropped;
    private final ArrayDeque<Publication> waiting = new ArrayDeque<>();
    private String epoch;
    private long last = -1; // newest offset handed downstream; -1 before the first one
    private boolean filling;

    /**
     * @param readSince reads the stream after an offset ({@code -1}: its position only, no publications)
     * @param dropped   told the reason of each message dropped as impossible
     */
    ChannelFeed(String channel, LongFunction<CompletableFuture<HistoryPage<Publication>>> readSince,
                Consumer<Publication> downstream, Consumer<String> dropped) {
        this.channel = channel;
        this.readSince = readSince;
        this.downstream = downstream;
        this.dropped = dropped;
    }

    /** A publication from Pub/Sub. */
    synchronized void offer(Publication p) {
        if (filling) {
            waiting.add(p);
        } else if (last >= 0 && p.epoch().equals(epoch) && p.offset() == last + 1) {
            accept(p);
        } else if (last >= 0 && p.epoch().equals(epoch) && p.offset() <= last) {
            return; // a duplicate of one already handed on
        } else {
            waiting.add(p); // a first message, a new epoch, a gap: the stream says what is real
            fill(0, 0);
        }
    }

    /** After a reconnect: fetch whatever was published while this node could not hear it. */
    synchronized void resync() {
        if (last >= 0 && !filling) {
            fill(0, 0);
        }
    }

    /**
     * Reads the stream after {@code last} (its position alone before the first message). A failed read (Redis
     * restarting) is retried with backoff while the live ones wait: skipping ahead would lose publications
     * still in the stream.
     */
    private void fill(int attempt, int aheadChecks) {
        filling = true;
        long since = last;
        String expectedEpoch = epoch;
        readSince.apply(since).whenComplete((page, error) -> {
            synchronized (this) {
                if (error != null && attempt < MAX_FILL_ATTEMPTS) {
                    retryLater(Math.min(2_000, 100L << Math.min(attempt, 4)), () -> fill(attempt + 1, aheadChecks));
                    return; // still filling: live publications keep waiting in order
                }
                if (error != null) {
                    log.warn("channel {}: could not read missed publications after offset {}: {}", channel, since, error.toString());
                    filling = false;
                    waiting.clear();
                    return;
                }
                if (since < 0) {
                    start(page);
                    fill(0, aheadChecks); // now the publications from there, with the live ones in order
                    return;
                }
                takeFromStream(page, expectedEpoch, since);
                String streamEpoch = page.position().epoch();
                long top = page.position().offset();
                ArrayDeque<Publication> ahead = new ArrayDeque<>();
                while (!waiting.isEmpty()) {
                    Publication p = waiting.poll();
                    if (!p.epoch().equals(streamEpoch) || p.offset() > top) {
                        ahead.add(p); // not in the stream (yet): published after this read, or never
                    } else if (last < 0 || !p.epoch().equals(epoch) || p.offset() > last) {
                        accept(p); // in the stream's range; a gap before it was lost to retention
                    }
                }
                if (ahead.isEmpty()) {
                    filling = false;
                } else if (aheadChecks < AHEAD_CHECKS) {
                    waiting.addAll(ahead);
                    retryLater(25L << aheadChecks, () -> fill(0, aheadChecks + 1));
                } else {
                    ahead.forEach(p -> dropped.accept("impossible"));
                    log.debug("channel {}: dropped {} message(s) the stream never held (top {} of epoch {})",
                            channel, ahead.size(), top, streamEpoch);
                    filling = false;
                }
            }
        });
    }

    /**
     * The first message: the feed starts just before the earliest waiting message the stream holds (or at its
     * top when it holds none of them), in the stream's epoch.
     */
    private void start(HistoryPage<Publication> page) {
        epoch = page.position().epoch();
        long top = page.position().offset();
        last = waiting.stream().filter(p -> p.epoch().equals(epoch) && p.offset() >= 1 && p.offset() <= top)
                .mapToLong(p -> p.offset() - 1).min().orElse(top);
    }

    /** Hands on what the stream holds after {@code since}; a new epoch (Redis lost the channel) starts over. */
    private void takeFromStream(HistoryPage<Publication> page, String expectedEpoch, long since) {
        String streamEpoch = page.position().epoch();
        if (!streamEpoch.equals(expectedEpoch)) {
            page.publications().forEach(this::accept); // everything in the new epoch is new to us
            return;
        }
        if (!page.complete()) {
            log.warn("channel {}: publications after offset {} are no longer retained", channel, since);
        }
        for (Publication p : page.publications()) {
            if (p.offset() > last) {
                accept(p);
            }
        }
    }

    private void retryLater(long delayMillis, Runnable action) {
        CompletableFuture.delayedExecutor(delayMillis, TimeUnit.MILLISECONDS).execute(() -> {
            synchronized (this) {
                action.run();
            }
        });
    }

    private void accept(Publication p) {
        epoch = p.epoch();
        last = p.offset();
        downstream.accept(p);
    }
}
