package dev.switchboard.client;

import dev.switchboard.protocol.StreamPosition;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A channel subscription that outlives connections: after every reconnect the client subscribes again with the
 * last position delivered ({@code since}), delivers what the server recovered, and drops duplicates by offset.
 * Obtained from {@link SwitchboardClient#subscribe}; thread-safe.
 */
public final class Subscription {

    private final Subscriptions client;
    private final String channel;
    final SubscriptionListener listener;
    final CompletableFuture<SubscribeResult> ready = new CompletableFuture<>();

    // guarded by the client's lock
    final OffsetTracker tracker = new OffsetTracker();
    boolean active = true;
    /** Consecutive transient refusals of the subscribe (the backoff exponent). */
    int retries;
    /** A subscribe is in flight: live pushes wait here so recovered publications can go first. */
    List<Message> buffered;

    Subscription(Subscriptions client, String channel, SubscriptionListener listener) {
        this.client = client;
        this.channel = channel;
        this.listener = listener;
    }

    /** The channel name. */
    public String channel() {
        return channel;
    }

    /**
     * Completes with the server's first answer to this subscription, or fails with its error (e.g.
     * {@code forbidden}), {@code unsubscribed} or {@code closed}. A subscription made while disconnected
     * completes once the client connects.
     */
    public CompletableFuture<SubscribeResult> ready() {
        return ready.copy();
    }

    /** The position of the last message delivered (or of the channel's top at subscribe), or {@code null}. */
    public StreamPosition position() {
        return client.positionOf(this);
    }

    /** Whether the subscription is still wanted (not unsubscribed, not refused by the server). */
    public boolean isActive() {
        return client.isActive(this);
    }

    /** Stops the subscription; the future completes when the server confirmed (at once when disconnected). */
    public CompletableFuture<Void> unsubscribe() {
        return client.unsubscribe(this);
    }

    /** Caller holds the client's lock. Whether a live push is to be delivered now. */
    boolean offerLocked(Message message) {
        if (buffered != null) {
            buffered.add(message);
            return false;
        }
        return tracker.accept(message.offset(), message.epoch());
    }

    /** Caller holds the client's lock. A subscribe request is about to go out. */
    void subscribingLocked() {
        buffered = new ArrayList<>();
    }

    /** What a subscribe reply changed: the result and the messages to deliver, in order. */
    record Outcome(SubscribeResult result, List<Message> messages) {
    }

    /**
     * Caller holds the client's lock. Applies the server's answer to a (re)subscription sent with {@code since}
     * ({@code null} the first time): recovered publications first, then the live pushes that overtook the reply,
     * each offset once. Recovery counts as failed when the server says {@code recovered: false} or when the
     * offsets show a gap: a server without history support would say nothing and silently skip what we missed.
     */
    Outcome onReplyLocked(StreamPosition since, JsonNode reply) {
        List<Message> overtaken = buffered;
        buffered = null;
        StreamPosition top = Wire.position(reply);
        List<Message> deliver = new ArrayList<>();
        for (Message m : Wire.publications(reply.get("publications"), channel)) {
            if (tracker.accept(m.offset(), m.epoch())) {
                deliver.add(m);
            }
        }
        boolean recovered = true;
        if (since != null) {
            StreamPosition reached = tracker.position();
            boolean covered = top.offset() < 0 || (reached != null && reached.offset() >= top.offset()
                    && (top.epoch() == null || top.epoch().equals(reached.epoch())));
            recovered = reply.path("recovered").asBoolean(true) && covered;
        }
        if (top.offset() >= 0) {
            tracker.advanceTo(top.offset(), top.epoch());
        }
        if (overtaken != null) {
            for (Message m : overtaken) {
                if (tracker.accept(m.offset(), m.epoch())) {
                    deliver.add(m);
                }
            }
        }
        return new Outcome(new SubscribeResult(channel, top, since != null, recovered), deliver);
    }

    /** On the callback thread: tells the listener about a (re)subscription, then delivers its messages. */
    void tell(Outcome outcome) {
        listener.onSubscribed(outcome.result());
        if (!outcome.result().recovered()) {
            listener.onRecoveryFailed(outcome.result());
        }
        for (Message m : outcome.messages()) {
            listener.onMessage(m);
        }
    }

    /** Caller holds the client's lock. The connection went away; buffered pushes will be recovered by offset. */
    void disconnectedLocked() {
        buffered = null;
    }
}
