package dev.switchboard.server.engine.redis;

import dev.switchboard.protocol.HistoryPage;
import dev.switchboard.protocol.Publication;
import dev.switchboard.protocol.StreamPosition;
import java.util.ArrayDeque;
import java.util.TreeMap;
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
 * A first message, a new epoch, or an offset further ahead is checked against the stream. A publication is in
 * its stream before it is on Pub/Sub (one script writes both), so a read issued after a message arrived must
 * hold it: if it does not (an offset past the stream's top, an epoch it does not have), the message is dropped
 * and counted as {@code impossible}, and a forged message cannot move the feed ahead and make real
 * publications look like duplicates. Messages that arrive after a read was issued wait for the next read.
 */
final class ChannelFeed {

    private static final Logger log = LoggerFactory.getLogger(ChannelFeed.class);
    /** Reads of missed publications tried before giving up on them (about a minute with the backoff). */
    private static final int MAX_FILL_ATTEMPTS = 30;

    /** A message waiting for the stream, with the order it arrived in. */
    private record Waiting(Publication p, long arrival) {
    }

    private final String channel;
    private final LongFunction<CompletableFuture<HistoryPage<Publication>>> readSince;
    private final Consumer<Publication> downstream;
    private final Consumer<String> dropped;
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private long arrivals;
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
        arrivals++;
        if (filling) {
            waiting.add(new Waiting(p, arrivals));
        } else if (last >= 0 && p.epoch().equals(epoch) && p.offset() == last + 1) {
            accept(p);
        } else if (last >= 0 && p.epoch().equals(epoch) && p.offset() <= last) {
            return; // a duplicate of one already handed on
        } else {
            waiting.add(new Waiting(p, arrivals)); // a first message, a new epoch, a gap: the stream says what is real
            fill(0);
        }
    }

    /** After a reconnect: fetch whatever was published while this node could not hear it. */
    synchronized void resync() {
        if (last >= 0 && !filling) {
            fill(0);
        }
    }

    /**
     * Reads the stream after {@code last} (its position alone before the first message). A failed read (Redis
     * restarting) is retried with backoff while the live ones wait: skipping ahead would lose publications
     * still in the stream.
     */
    private void fill(int attempt) {
        filling = true;
        long since = last;
        String expectedEpoch = epoch;
        long issuedAfter = arrivals; // every message up to this one must be in what the read returns
        readSince.apply(since).whenComplete((page, error) -> {
            synchronized (this) {

                if (error != null && attempt < MAX_FILL_ATTEMPTS) {
                    retryLater(Math.min(2_000, 100L << Math.min(attempt, 4)), () -> fill(attempt + 1));
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
                } else if (!page.position().epoch().equals(expectedEpoch)) {
                    epoch = page.position().epoch(); // Redis lost the channel: the new epoch from its start
                    last = 0;
                    fill(0);
                    return;
                }
                merge(page, issuedAfter, since < 0);
            }
        });
    }

    /**
     * Hands on, in offset order, what the stream returned and the waiting messages it vouches for (in its epoch,
     * at or below its top): a waiting message fills in what retention trimmed from the page. A hole below the
     * newest message heard was lost (Pub/Sub missed it, retention removed it); a hole above it may still be on its
     * way over Pub/Sub, so nothing past it is taken yet. Messages that arrived after the read was issued are
     * taken if they are the next offsets, else wait for another read; the rest are dropped. Right after the first
     * read (the position alone), a hole among the waiting ones is filled by reading the stream first.
     */
    private void merge(HistoryPage<Publication> page, long issuedAfter, boolean firstRead) {
        StreamPosition position = page.position();
        TreeMap<Long, Publication> held = new TreeMap<>();
        page.publications().forEach(p -> held.put(p.offset(), p));
        long heard = -1;
        ArrayDeque<Waiting> later = new ArrayDeque<>();
        for (Waiting w : waiting) {
            Publication p = w.p();
            if (p.epoch().equals(position.epoch()) && p.offset() >= 1 && p.offset() <= position.offset()) {
                held.put(p.offset(), p);
                heard = Math.max(heard, p.offset());
            } else if (w.arrival() > issuedAfter) {
                later.add(w); // published after the read was issued
            } else {
                dropped.accept("impossible"); // the stream never held it: forged, or not of this channel
                log.debug("channel {}: dropped offset {} of epoch {}: the stream is at {} of epoch {}",
                        channel, p.offset(), p.epoch(), position.offset(), position.epoch());
            }
        }
        held.headMap(last, true).clear();
        if (firstRead && !held.isEmpty() && held.lastKey() - last != held.size()) {
            fill(0); // Pub/Sub skipped some before this node's first message: the stream has them
            return;
        }
        waiting.clear();
        for (Publication p : held.values()) {
            if (p.offset() > last + 1) {
                if (last + 1 > heard) {
                    break; // the ones between are still on their way; the stream's later ones come after them
                }
                log.warn("channel {}: publications {} to {} are no longer retained", channel, last + 1, p.offset() - 1);
            }
            accept(p);
        }
        while (!later.isEmpty() && later.peek().p().epoch().equals(epoch) && later.peek().p().offset() <= last + 1) {
            Publication p = later.poll().p();
            if (p.offset() == last + 1) {
                accept(p);
            }
        }
        if (later.isEmpty()) {
            filling = false;
        } else {
            waiting.addAll(later);
            fill(0);
        }
    }

    /**
     * The first message: the feed starts just before the earliest waiting message the stream holds (or at its
     * top when it holds none of them), in the stream's epoch.
     */
    private void start(HistoryPage<Publication> page) {
        epoch = page.position().epoch();
        long top = page.position().offset();
        last = waiting.stream().map(Waiting::p).filter(p -> p.epoch().equals(epoch) && p.offset() >= 1 && p.offset() <= top)
                .mapToLong(p -> p.offset() - 1).min().orElse(top);
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
