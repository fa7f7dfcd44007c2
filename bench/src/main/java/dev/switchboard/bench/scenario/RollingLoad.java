package dev.switchboard.bench.scenario;

import dev.switchboard.client.ConnectionEvent;
import dev.switchboard.client.ConnectionListener;
import dev.switchboard.client.ConnectionState;
import dev.switchboard.client.Message;
import dev.switchboard.client.SubscribeResult;
import dev.switchboard.client.SubscriptionListener;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.SwitchboardClientBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;

/**
 * The load of a rolling restart: SDK clients each subscribed (with recovery) to one channel, a publisher on
 * the HTTP API with a unique number per publication, and per client what arrived, what arrived twice, and how
 * long each of its reconnects took (from the close to the next welcome).
 */
final class RollingLoad implements AutoCloseable {

    /** What the run found. */
    record Outcome(long published, long refused, long lost, long duplicates, long recoveryFailures,
                   Histogram reconnectMillis) {
    }

    /** One client's channel and what reached it. */
    private static final class Seen implements SubscriptionListener, ConnectionListener {
        final int channel;
        final Set<Long> ns = ConcurrentHashMap.newKeySet();
        final AtomicLong duplicates = new AtomicLong();
        final AtomicLong recoveryFailures = new AtomicLong();
        final Histogram reconnects = new Histogram(60_000, 3);
        volatile long firstN = Long.MAX_VALUE;
        volatile long downSince;

        Seen(int channel) {
            this.channel = channel;
        }

        @Override
        public void onMessage(Message m) {
            if (!ns.add(m.data().path("n").asLong())) {
                duplicates.incrementAndGet();
            }
        }

        @Override
        public void onRecoveryFailed(SubscribeResult result) {
            recoveryFailures.incrementAndGet();
        }

        @Override
        public void onStateChange(ConnectionEvent event) {
            if (event.state() == ConnectionState.DISCONNECTED) {
                downSince = System.nanoTime();
            } else if (event.state() == ConnectionState.CONNECTED && downSince != 0) {
                synchronized (reconnects) {
                    reconnects.recordValue(Math.min(60_000, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - downSince)));
                }
                downSince = 0;
            }
        }
    }

    private final int clients;
    private final int channels;
    private final int rate;
    private final List<SwitchboardClient> sdk = new ArrayList<>();
    private final List<Seen> seen = new ArrayList<>();
    private final List<Set<Long>> accepted = new ArrayList<>();
    private final AtomicLong nextN = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile boolean publishing;
    private Thread publisher;

    RollingLoad(int balancerPort, int clients, int channels, int rate) {
        this.clients = clients;
        this.channels = channels;
        this.rate = rate;
        for (int c = 0; c < channels; c++) {
            accepted.add(ConcurrentHashMap.newKeySet());
        }
    }

    /** Connects every client and subscribes it; from then on, every accepted publication of its channel is owed. */
    void connect(IntFunction<SwitchboardClientBuilder> builders) throws Exception {
        for (int i = 0; i < clients; i++) {
            Seen s = new Seen(i % channels);
            SwitchboardClient c = builders.apply(i).listener(s).build();
            c.connect().get(60, TimeUnit.SECONDS);
            c.subscribe("rolling:" + s.channel, s).ready().get(60, TimeUnit.SECONDS);
            s.firstN = nextN.get();
            sdk.add(c);
            seen.add(s);
        }
    }

    void startPublishing(String base) {
        publishing = true;
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        publisher = Thread.ofPlatform().name("rolling-publisher").start(() -> {
            long interval = TimeUnit.SECONDS.toNanos(1) / Math.max(1, rate);
            long due = System.nanoTime();
            while (publishing) {
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait); // pacing the publisher
                    continue;
                }
                due += interval;
                long n = nextN.getAndIncrement();
                int channel = (int) (n % channels);
                try {
                    HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/publish"))
                            .timeout(Duration.ofSeconds(5)).header("Authorization", "Bearer dev-api-key")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"channel\":\"rolling:" + channel
                                    + "\",\"data\":{\"n\":" + n + "}}")).build(), HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() == 200) {
                        accepted.get(channel).add(n);
                    } else {
                        refused.incrementAndGet();
                    }
                } catch (Exception e) {
                    refused.incrementAndGet(); // the node it reached was leaving: not acknowledged, not owed
                }
            }
        });
    }

    void stopPublishing() throws InterruptedException {
        publishing = false;
        publisher.join(10_000);
    }

    /** Waits until every client is connected again. */
    boolean awaitAllConnected(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (sdk.stream().allMatch(RollingScenario::connected)) {
                return true;
            }
            Thread.sleep(50); // polling client states: there is no event for "all of them"
        }
        return false;
    }

    Outcome outcome() {
        long lost = 0;
        long duplicates = 0;
        long recoveryFailures = 0;
        Histogram reconnects = new Histogram(60_000, 3);
        for (Seen s : seen) {
            for (long n : accepted.get(s.channel)) {
                if (n >= s.firstN && !s.ns.contains(n)) {
                    lost++;
                }
            }
            duplicates += s.duplicates.get();
            recoveryFailures += s.recoveryFailures.get();
            synchronized (s.reconnects) {
                reconnects.add(s.reconnects);
            }
        }
        return new Outcome(nextN.get(), refused.get(), lost, duplicates, recoveryFailures, reconnects);
    }

    @Override
    public void close() {
        publishing = false;
        sdk.forEach(SwitchboardClient::close);
    }
}
