package dev.switchboard.client;

import dev.switchboard.protocol.SerialExecutor;
import dev.switchboard.protocol.StreamPosition;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.Json;
import dev.switchboard.protocol.MessageTypes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The client's channel subscriptions, which outlive connections: subscribe (now or at the next welcome,
 * with the last position seen so the server recovers what was missed), answers, pushes and presence in
 * order on the callback thread, unsubscribe. Shares the {@link Lifecycle}'s lock.
 */
final class Subscriptions {

    private final Lifecycle life;
    private final Requests requests;
    private final SerialExecutor callbacks;
    private final Map<String, Subscription> byChannel = new LinkedHashMap<>(); // guarded by life.lock

    Subscriptions(Lifecycle life, Requests requests, SerialExecutor callbacks) {
        this.life = life;
        this.requests = requests;
        this.callbacks = callbacks;
    }

    Subscription subscribe(String channel, SubscriptionListener listener) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(listener, "listener");
        Subscription sub = new Subscription(this, channel, listener);
        Connection conn;
        String frame = null;
        synchronized (life.lock) {
            if (life.isClosedLocked()) {
                throw new IllegalStateException("the client is closed");
            }
            if (byChannel.containsKey(channel)) {
                throw new IllegalStateException("already subscribed to " + channel + "; unsubscribe first");
            }
            byChannel.put(channel, sub);
            conn = life.connectedLocked();
            if (conn != null) {
                frame = subscribeFrameLocked(sub, conn);
            }
        }
        if (frame != null) {
            conn.send(frame);
        }
        return sub;
    }

    /** Caller holds the lock. The subscribe frames of every subscription, for a freshly welcomed {@code conn}. */
    void resubscribeLocked(Connection conn, List<String> frames) {
        for (Subscription sub : byChannel.values()) {
            frames.add(subscribeFrameLocked(sub, conn));
        }
    }

    /** Caller holds the lock. Registers a subscribe request on {@code conn} and returns its frame. */
    private String subscribeFrameLocked(Subscription sub, Connection conn) {
        StreamPosition since = sub.tracker.position();
        ObjectNode data = Json.object();
        data.put("channel", sub.channel());
        if (since != null) {
            ObjectNode s = data.putObject("since");
            s.put("offset", since.offset());
            s.put("epoch", since.epoch());
        }
        String id = requests.nextId();
        Pending p = new Pending(id, Wire.envelope(id, MessageTypes.SUBSCRIBE, data), new Pending.Sink() {
            @Override
            public void onReply(JsonNode reply) {
                onSubscribed(sub, since, reply);
            }

            @Override
            public void onError(SwitchboardException error) {
                onSubscribeFailed(sub, error);
            }
        });
        requests.trackLocked(p, conn);
        sub.subscribingLocked();
        return p.frame;
    }

    private void onSubscribed(Subscription sub, StreamPosition since, JsonNode reply) {
        Subscription.Outcome outcome;
        synchronized (life.lock) {
            if (!sub.active) {
                return;
            }
            outcome = sub.onReplyLocked(since, reply);
            sub.retries = 0;
            callbacks.execute(() -> sub.tell(outcome)); // under the lock: keeps callback order with live pushes
        }
        sub.ready.complete(outcome.result());
    }

    private void onSubscribeFailed(Subscription sub, SwitchboardException error) {
        if (SwitchboardException.DISCONNECTED.equals(error.code())) {
            return; // it will be sent again on the next connection
        }
        if (TRANSIENT.contains(error.code())) {
            retryLater(sub); // the server could not do it now (its Redis restarting, a time-out): not a refusal
            return;
        }
        synchronized (life.lock) {
            sub.buffered = null;
            if (sub.active && !SwitchboardException.CLOSED.equals(error.code())) {
                sub.active = false;
                byChannel.remove(sub.channel(), sub);
                callbacks.execute(() -> sub.listener.onError(error));
            }
        }
        sub.ready.completeExceptionally(error);
    }

    /** Answers that mean "not now" rather than "no": the subscription is asked for again, with backoff. */
    private static final java.util.Set<String> TRANSIENT = java.util.Set.of("unavailable", "rate_limited",
            SwitchboardException.TIMEOUT);

    private void retryLater(Subscription sub) {
        int attempt;
        synchronized (life.lock) {
            sub.buffered = null;
            if (!sub.active) {
                return;
            }
            attempt = sub.retries++;
        }
        long ceiling = Math.min(5_000, 200L << Math.min(attempt, 5));
        long delay = java.util.concurrent.ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1); // jittered
        Timers.schedule(() -> {
            Connection conn;
            String frame;
            synchronized (life.lock) {
                conn = sub.active ? life.connectedLocked() : null;
                if (conn == null) {
                    return; // not connected: the next welcome subscribes it again anyway
                }
                frame = subscribeFrameLocked(sub, conn);
            }
            conn.send(frame);
        }, delay);
    }

    CompletableFuture<Void> unsubscribe(Subscription sub) {
        boolean tell;
        synchronized (life.lock) {
            if (!sub.active) {
                return CompletableFuture.completedFuture(null);
            }
            sub.active = false;
            sub.buffered = null;
            byChannel.remove(sub.channel(), sub);
            tell = life.connectedLocked() != null;
        }
        sub.ready.completeExceptionally(new SwitchboardException("unsubscribed",
                "unsubscribed before the server answered")); // no-op when it had answered
        if (!tell) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        String id = requests.nextId();
        requests.submit(new Pending(id, Wire.envelope(id, MessageTypes.UNSUBSCRIBE, Map.of("channel", sub.channel())),
                Pending.Sink.into(reply, MessageTypes.UNSUBSCRIBE)), life.requestTimeout());
        return reply.thenApply(r -> null);
    }

    StreamPosition positionOf(Subscription sub) {
        synchronized (life.lock) {
            return sub.tracker.position();
        }
    }

    boolean isActive(Subscription sub) {
        synchronized (life.lock) {
            return sub.active;
        }
    }

    /** Caller holds the lock. A channel publication from the current connection. */
    void onMessageLocked(Message message) {
        Subscription sub = byChannel.get(message.channel());
        if (sub != null && sub.offerLocked(message)) {
            callbacks.execute(() -> sub.listener.onMessage(message));
        }
    }

    /** Caller holds the lock. A presence event from the current connection. */
    void onPresenceLocked(PresenceEvent event) {
        Subscription sub = byChannel.get(event.channel());
        if (sub != null) {
            callbacks.execute(() -> sub.listener.onPresence(event));
        }
    }

    /** Caller holds the lock. The connection dropped: each subscription waits for the next one. */
    void disconnectedLocked() {
        for (Subscription sub : byChannel.values()) {
            sub.disconnectedLocked();
        }
    }

    /** Caller holds the lock. The client closed: every subscription ends; returns them to be failed. */
    List<Subscription> endAllLocked() {
        for (Subscription sub : byChannel.values()) {
            sub.active = false;
        }
        List<Subscription> ended = new ArrayList<>(byChannel.values());
        byChannel.clear();
        return ended;
    }
}
