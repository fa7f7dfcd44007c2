package dev.switchboard.server.internal.hooks.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import dev.switchboard.server.internal.outbound.client.BackendAnswer;
import dev.switchboard.server.internal.outbound.client.BackendClient;
import dev.switchboard.server.internal.outbound.client.BackendOrigin;
import dev.switchboard.server.internal.outbound.client.BackendRequest;
import io.netty.buffer.Unpooled;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sending webhook events: a bounded queue (a full queue drops the new event and counts it, so a slow or dead
 * target never blocks a socket or grows memory), one sender thread that POSTs them in batches of up to
 * {@link #BATCH} wrapped by an {@link Envelope} (the body and its signature headers, which differ between the
 * native webhooks and Pusher's), retries with exponential backoff and full jitter, and after the last retry
 * drops, counts and logs. One sender keeps events in the order they happened.
 */
public final class WebhookQueue implements AutoCloseable {

    /** Most events per call. */
    static final int BATCH = 100;
    private static final long BACKOFF_BASE_MILLIS = 200;
    private static final long BACKOFF_CAP_MILLIS = 10_000;
    private static final Logger log = LoggerFactory.getLogger(WebhookQueue.class);

    /** Turns a batch of events into one POST. */
    @FunctionalInterface
    public interface Envelope {
        Post wrap(List<ObjectNode> events);
    }

    /** A POST's body and the headers that go with it (Content-Type, signatures). */
    public record Post(byte[] body, Map<String, String> headers) {
    }

    /** The largest answer a webhook target may give (its body is not used). */
    private static final int MAX_ANSWER = 64 * 1024;

    private final URI url;
    private final Envelope envelope;
    private final int retries;
    private final Duration timeout;
    private final BackendOrigin target;
    private final BlockingQueue<ObjectNode> queue;
    private final Counter sent;
    private final Counter droppedFull;
    private final Counter droppedFailed;
    private final Counter retried;
    private final Timer calls;
    private final Thread worker;
    private volatile boolean closed;

    /** @param target names this queue in the metrics' {@code target} tag (native, or pusher:APP) */
    public WebhookQueue(String target, URI url, Envelope envelope, int queueSize, int retries, Duration timeout,
                        BackendClient http, MeterRegistry metrics) {
        this.url = url;
        this.envelope = envelope;
        this.retries = retries;
        this.timeout = timeout;
        this.target = http.origin(url, timeout, 4);
        this.queue = new ArrayBlockingQueue<>(queueSize);
        this.sent = outcome(metrics, target, "sent");
        this.droppedFull = outcome(metrics, target, "dropped_queue_full");
        this.droppedFailed = outcome(metrics, target, "dropped_failed");
        this.retried = Counter.builder("switchboard.webhook.retries").tag("target", target)
                .description("webhook calls retried").register(metrics);
        this.calls = Timer.builder("switchboard.webhook.calls").tag("target", target).description("webhook call latency")
                .publishPercentileHistogram().register(metrics);
        metrics.gauge("switchboard.webhook.queued", List.of(io.micrometer.core.instrument.Tag.of("target", target)),
                queue, BlockingQueue::size);
        this.worker = Thread.ofVirtual().name("webhooks-" + target).start(this::run);
    }

    private static Counter outcome(MeterRegistry metrics, String target, String outcome) {
        return Counter.builder("switchboard.webhook.events").description("webhook events by outcome")
                .tag("target", target).tag("outcome", outcome).register(metrics);
    }

    /** Queues an event (dropped and counted when the queue is full). */
    public void offer(ObjectNode e) {
        if (closed || !queue.offer(e)) {
            droppedFull.increment();
        }
    }

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
        Post post = envelope.wrap(events);
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
                BackendAnswer r = target.post(new BackendRequest("application/json",
                        Unpooled.wrappedBuffer(post.body()), post.headers(), timeout, MAX_ANSWER)).get();
                calls.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                if (r.status() / 100 == 2) {
                    sent.increment(events.size());
                    return;
                }
                lastFailure = "HTTP " + r.status();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable cause = e.getCause();
                lastFailure = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
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
