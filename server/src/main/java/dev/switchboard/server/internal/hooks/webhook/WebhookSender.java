package dev.switchboard.server.internal.hooks.webhook;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.Json;
import dev.switchboard.server.app.GatewayEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Webhooks: events go into a bounded queue (a full queue drops the new event and counts it, so a slow or
 * dead target never blocks a socket or grows memory), and one sender thread POSTs them in batches of up to
 * {@link #BATCH} as {@code {"node", "events": [...]}}, signed ({@link WebhookSignature}). A failed call
 * (no answer, time-out, non-2xx) is retried with exponential backoff and full jitter; after the last retry
 * its events are dropped, counted and logged. One sender keeps events in the order they happened.
 */
public final class WebhookSender implements GatewayEvents, AutoCloseable {

    /** Most events per call. */
    static final int BATCH = 100;
    private static final long BACKOFF_BASE_MILLIS = 200;
    private static final long BACKOFF_CAP_MILLIS = 10_000;
    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);

    private final URI url;
    private final WebhookSignature signature;
    private final Set<String> wanted;
    private final int retries;
    private final Duration timeout;
    private final String nodeId;
    private final Clock clock;
    private final HttpClient http;
    private final BlockingQueue<ObjectNode> queue;
    private final Counter sent;
    private final Counter droppedFull;
    private final Counter droppedFailed;
    private final Counter retried;
    private final Timer calls;
    private final Thread worker;
    private volatile boolean closed;

    /**
     * @param wanted event names to send; empty = all
     */
    public WebhookSender(URI url, String secret, Set<String> wanted, int queueSize, int retries, Duration timeout,
                         String nodeId, Clock clock, HttpClient http, MeterRegistry metrics) {
        this.url = url;
        this.signature = secret == null ? null : new WebhookSignature(secret);
        this.wanted = wanted;
        this.retries = retries;
        this.timeout = timeout;
        this.nodeId = nodeId;
        this.clock = clock;
        this.http = http;
        this.queue = new ArrayBlockingQueue<>(queueSize);
        this.sent = outcome(metrics, "sent");
        this.droppedFull = outcome(metrics, "dropped_queue_full");
        this.droppedFailed = outcome(metrics, "dropped_failed");
        this.retried = Counter.builder("switchboard.webhook.retries").description("webhook calls retried").register(metrics);
        this.calls = Timer.builder("switchboard.webhook.calls").description("webhook call latency")
                .publishPercentileHistogram().register(metrics);
        metrics.gauge("switchboard.webhook.queued", queue, BlockingQueue::size);
        this.worker = Thread.ofVirtual().name("webhooks").start(this::run);
    }

    private static Counter outcome(MeterRegistry metrics, String outcome) {
        return Counter.builder("switchboard.webhook.events").description("webhook events by outcome")
                .tag("outcome", outcome).register(metrics);
    }

    // ---- events -------------------------------------------------------------------------------------------

    @Override
    public void connected(ConnectionInfo c) {
        ObjectNode e = event("connect");
        if (e != null) {
            connection(e, c);
            offer(e);
        }
    }

    @Override
    public void disconnected(ConnectionInfo c, int code, String reason) {
        ObjectNode e = event("disconnect");
        if (e != null) {
            connection(e, c);
            e.put("code", code);
            e.put("reason", reason);
            e.put("duration", Math.max(0, clock.millis() - c.connectedAt()));
            offer(e);
        }
    }

    @Override
    public void channelOccupied(String channel) {
        channelEvent("channel_occupied", channel, null);
    }

    @Override
    public void channelVacated(String channel) {
        channelEvent("channel_vacated", channel, null);
    }

    @Override
    public void presenceJoined(String channel, String user) {
        channelEvent("presence_join", channel, user);
    }

    @Override
    public void presenceLeft(String channel, String user) {
        channelEvent("presence_leave", channel, user);
    }

    @Override
    public boolean wantsOccupancy() {
        return wanted.isEmpty() || wanted.contains("channel_occupied") || wanted.contains("channel_vacated");
    }

    private void channelEvent(String name, String channel, String user) {
        ObjectNode e = event(name);
        if (e != null) {
            e.put("channel", channel);
            if (user != null) {
                e.put("user", user);
            }
            offer(e);
        }
    }

    private ObjectNode event(String name) {
        if (!wanted.isEmpty() && !wanted.contains(name)) {
            return null;
        }
        ObjectNode e = Json.object();
        e.put("event", name);
        e.put("ts", clock.millis());
        return e;
    }

    private static void connection(ObjectNode e, ConnectionInfo c) {
        e.put("connection", c.connection());
        e.put("user", c.user());
        e.put("endpoint", c.endpoint());
        e.put("remoteAddr", c.remoteAddr());
    }

    private void offer(ObjectNode e) {
        if (closed || !queue.offer(e)) {
            droppedFull.increment();
        }
    }

    // ---- sending ------------------------------------------------------------------------------------------

    private void run() {
        List<ObjectNode> batch = new ArrayList<>(BATCH);
        while (!closed) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch, BATCH - 1);
            deliver(batch);
            batch.clear();
        }
    }

    private void deliver(List<ObjectNode> events) {
        ObjectNode body = Json.object();
        body.put("node", nodeId);
        body.put("ts", clock.millis());
        ArrayNode list = body.putArray("events");
        events.forEach(list::add);
        byte[] bytes = Json.bytes(body);
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (signature != null) {
            request.header(WebhookSignature.HEADER, signature.sign(bytes));
        }
        HttpRequest built = request.build();
        String lastFailure = null;
        for (int attempt = 0; attempt <= retries && !closed; attempt++) {
            if (attempt > 0) {
                retried.increment();
                if (!sleep(fullJitter(attempt))) {
                    break;
                }
            }
            long start = System.nanoTime();
            try {
                HttpResponse<Void> r = http.send(built, HttpResponse.BodyHandlers.discarding());
                calls.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                if (r.statusCode() / 100 == 2) {
                    sent.increment(events.size());
                    return;
                }
                lastFailure = "HTTP " + r.statusCode();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Exception e) {
                lastFailure = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
        }
        droppedFailed.increment(events.size());
        log.warn("webhook POST {} failed after {} retries ({}): {} events dropped", url, retries, lastFailure, events.size());
    }

    /** Exponential backoff with full jitter: uniformly random in [0, min(cap, base·2^attempt)). */
    static long fullJitter(int attempt) {
        long ceiling = Math.min(BACKOFF_CAP_MILLIS, BACKOFF_BASE_MILLIS << Math.min(attempt, 20));
        return ThreadLocalRandom.current().nextLong(ceiling);
    }

    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Stops the sender after giving the queue up to {@code flush} to empty (a draining node's disconnect events
     * are worth sending); what is left then is not sent.
     */
    public void close(Duration flush) {
        long deadline = System.nanoTime() + flush.toNanos();
        while (!queue.isEmpty() && System.nanoTime() < deadline && worker.isAlive()) {
            sleep(10);
        }
        closed = true;
        worker.interrupt();
    }

    @Override
    public void close() {
        close(Duration.ZERO);
    }
}
