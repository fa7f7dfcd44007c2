package dev.switchboard.bench.scenario;

import dev.switchboard.bench.client.Dialect;
import dev.switchboard.bench.client.Payloads;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Publishes the way a backend does, one HTTP request per publication in the target's dialect (the gateway's
 * {@code /api/publish}, a Pusher trigger), sent asynchronously so the pacing tick never waits on a response.
 * Requests in flight are bounded: past the bound the publisher reports itself unwritable, as a socket does past
 * its high-water mark. A refused request is reported, never retried (it would be counted as delivered twice).
 */
final class HttpPublisher implements PubSubLoad.Sender {

    /** Enough for 100,000 publications/s at 1 ms; the JDK client opens a connection per request in flight. */
    static final int MAX_IN_FLIGHT = 100;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Dialect dialect;
    private final URI base;
    private final String channel;
    private final Payloads payloads;
    private final Consumer<String> failed;

    HttpPublisher(Dialect dialect, URI base, String channel, Payloads payloads, Consumer<String> failed) {
        this.dialect = dialect;
        this.base = base;
        this.channel = channel;
        this.payloads = payloads;
        this.failed = failed;
    }

    @Override
    public void publish(long stampNanos) {
        inFlight.incrementAndGet();
        http.sendAsync(dialect.httpPublish(base, channel, payloads.data(stampNanos)), HttpResponse.BodyHandlers.ofString())
                .whenComplete((r, e) -> {
                    inFlight.decrementAndGet();
                    if (e != null) {
                        failed.accept("publish request failed: " + e);
                    } else if (r.statusCode() / 100 != 2) {
                        failed.accept("publish answered " + r.statusCode() + ": " + r.body());
                    }
                });
    }

    @Override
    public void flush() {
        // each request is sent as it is made
    }

    @Override
    public boolean writable() {
        return inFlight.get() < MAX_IN_FLIGHT;
    }

    /** Stops the client's selector thread and its pooled connections. */
    void close() {
        http.close();
    }
}
