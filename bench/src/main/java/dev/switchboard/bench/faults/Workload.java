package dev.switchboard.bench.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.bench.faults.History.Outcome;
import dev.switchboard.bench.faults.History.Publish;
import dev.switchboard.bench.faults.History.Seen;
import dev.switchboard.bench.faults.History.Subscriber;
import dev.switchboard.client.DevTickets;
import dev.switchboard.client.Message;
import dev.switchboard.protocol.StreamPosition;
import dev.switchboard.client.SubscribeResult;
import dev.switchboard.client.SubscriptionListener;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.SwitchboardException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load a fault run puts on the cluster and records: on every channel one SDK subscriber per gateway
 * (reconnecting with recovery, as an application's client would), and a publisher sending unique values at a
 * steady rate, two in three over the HTTP API and one in three over a WebSocket, spread over the gateways.
 */
final class Workload implements AutoCloseable {

    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final History history;
    private final int gateways;
    private final int channels;
    private final int rate;
    private final List<SwitchboardClient> clients = new ArrayList<>();
    private final SwitchboardClient[] wsPublishers;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicLong next = new AtomicLong();
    private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();
    private volatile boolean publishing;
    private Thread publisher;

    Workload(History history, int gateways, int channels, int rate) {
        this.history = history;
        this.gateways = gateways;
        this.channels = channels;
        this.rate = rate;
        this.wsPublishers = new SwitchboardClient[gateways + 1];
    }

    static String channel(int c) {
        return "faults:" + c;
    }

    /** Connects and subscribes everyone; returns when every subscription is confirmed. */
    void subscribe() throws Exception {
        int id = 0;
        for (int c = 0; c < channels; c++) {
            for (int g = 1; g <= gateways; g++) {
                Subscriber s = new Subscriber(id, c, g);
                SwitchboardClient client = client(g, "sub-" + id);
                client.subscribe(channel(c), listener(s)).ready().get(30, TimeUnit.SECONDS);
                s.readyNanos = System.nanoTime();
                history.subscribers.add(s);
                id++;
            }
        }
        for (int g = 1; g <= gateways; g++) {
            wsPublishers[g] = client(g, "pub-" + g);
        }
    }

    private SwitchboardClient client(int gateway, String user) throws Exception {
        String base = Lab.gatewayUri(gateway).toString();
        SwitchboardClient c = SwitchboardClient.builder().url(base.replace("http://", "ws://") + "/ws")
                .tokenSupplier(DevTickets.forUser(base, user))
                .reconnect(Duration.ofMillis(100), Duration.ofSeconds(2), 2)
                .requestTimeout(PUBLISH_TIMEOUT).build();
        c.connect().get(30, TimeUnit.SECONDS);
        clients.add(c);
        return c;
    }

    private static SubscriptionListener listener(Subscriber s) {
        return new SubscriptionListener() {
            @Override
            public void onMessage(Message m) {
                s.seen.add(Seen.delivery(m.data().path("n").asLong(), m.offset(), m.epoch()));
            }

            @Override
            public void onRecoveryFailed(SubscribeResult result) {
                s.seen.add(Seen.recoveryFailed());
            }
        };
    }

    /** Starts publishing at the configured rate until {@link #stopPublishing()}. */
    void startPublishing() {
        publishing = true;
        publisher = Thread.ofPlatform().name("faults-publisher").start(() -> {
            long interval = TimeUnit.SECONDS.toNanos(1) / Math.max(1, rate);
            long due = System.nanoTime();
            while (publishing) {
                long now = System.nanoTime();
                if (now < due) {
                    java.util.concurrent.locks.LockSupport.parkNanos(due - now); // pacing, nothing waits on it
                    continue;
                }
                due += interval;
                publishOne(next.getAndIncrement());
            }
        });
    }

    private void publishOne(long n) {
        int c = (int) (n % channels);
        int g = (int) ((n / channels) % gateways) + 1;
        long start = System.nanoTime();
        CompletableFuture<Publish> done;
        if (n % 3 == 2) {
            done = wsPublishers[g].publish(channel(c), Map.of("n", n))
                    .handle((pos, error) -> wsOutcome(n, c, g, start, pos, error));
        } else {
            String body = "{\"channel\":\"" + channel(c) + "\",\"data\":{\"n\":" + n + "}}";
            HttpRequest req = HttpRequest.newBuilder(Lab.gatewayUri(g).resolve("/api/publish")).timeout(PUBLISH_TIMEOUT)
                    .header("Authorization", "Bearer dev-api-key").POST(HttpRequest.BodyPublishers.ofString(body)).build();
            done = http.sendAsync(req, HttpResponse.BodyHandlers.ofString())
                    .handle((r, error) -> httpOutcome(n, c, g, start, r, error));
        }
        inFlight.add(done);
        done.whenComplete((p, e) -> {
            history.publishes.add(p);
            inFlight.remove(done);
        });
    }

    private static Publish httpOutcome(long n, int c, int g, long start, HttpResponse<String> r, Throwable error) {
        String via = "http/gw" + g;
        if (error != null) {
            return Publish.failed(n, c, via, start, Outcome.UNKNOWN, rootCause(error).getClass().getSimpleName());
        }
        if (r.statusCode() != 200) {
            return Publish.failed(n, c, via, start, Outcome.REFUSED, "http " + r.statusCode());
        }
        try {
            JsonNode body = JSON.readTree(r.body());
            return Publish.acked(n, c, via, start, body.path("offset").asLong(), body.path("epoch").asText());
        } catch (Exception e) {
            return Publish.failed(n, c, via, start, Outcome.UNKNOWN, "unreadable answer");
        }
    }

    private static Publish wsOutcome(long n, int c, int g, long start, StreamPosition pos, Throwable error) {
        String via = "ws/gw" + g;
        if (error == null) {
            return Publish.acked(n, c, via, start, pos.offset(), pos.epoch());
        }
        Throwable cause = rootCause(error);
        if (cause instanceof SwitchboardException se) {
            // no answer (time-out, connection gone) leaves it unknown; an error frame is a refusal
            boolean answered = !SwitchboardException.TIMEOUT.equals(se.code())
                    && !SwitchboardException.DISCONNECTED.equals(se.code()) && !SwitchboardException.CLOSED.equals(se.code());
            return Publish.failed(n, c, via, start, answered ? Outcome.REFUSED : Outcome.UNKNOWN, se.code());
        }
        return Publish.failed(n, c, via, start, Outcome.UNKNOWN, cause.getClass().getSimpleName());
    }

    private static Throwable rootCause(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && (t instanceof java.util.concurrent.CompletionException
                || t instanceof java.util.concurrent.ExecutionException)) {
            t = t.getCause();
        }
        return t;
    }

    /** Stops publishing and waits for the answers still outstanding. */
    void stopPublishing() throws InterruptedException {
        publishing = false;
        publisher.join();
        long deadline = System.nanoTime() + PUBLISH_TIMEOUT.toNanos() * 2;
        while (!inFlight.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50); // the outstanding answers time out on their own
        }
    }

    long published() {
        return next.get();
    }

    @Override
    public void close() {
        clients.forEach(SwitchboardClient::close);
    }
}
