package dev.switchboard.bench.targets;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A loopback TCP load balancer in front of gateway nodes, as a Kubernetes Service or a cloud balancer behaves
 * in a rolling restart: new connections go round-robin to the nodes whose {@code /readyz} answered 200 at the
 * last check (every 100 ms); connections already made stay where they are. It counts, per node and per
 * second, the connections it handed over: the reconnect load the surviving nodes take.
 */
public final class LoadBalancer implements AutoCloseable {

    private static final long CHECK_MILLIS = 100;

    private final ServerSocket listener;
    private final List<Integer> ports;
    private final boolean[] ready;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(300)).build();
    private final AtomicInteger next = new AtomicInteger();
    private final Map<Long, AtomicLongArray> perSecond = new ConcurrentHashMap<>();
    private final long started = System.nanoTime();
    private volatile boolean closed;

    /** @param ports the nodes' HTTP ports, one slot each */
    public LoadBalancer(List<Integer> ports) throws IOException {
        this.ports = new ArrayList<>(ports);
        this.ready = new boolean[ports.size()];
        this.listener = new ServerSocket(0, 4096, InetAddress.getLoopbackAddress());
        check();
        Thread.ofVirtual().name("lb-accept").start(this::accept);
        Thread.ofVirtual().name("lb-readiness").start(() -> {
            while (!closed) {
                check();
                try {
                    Thread.sleep(CHECK_MILLIS); // the readiness probe's period, as a balancer has one
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** The node in {@code slot} now listens on {@code port} (it was restarted). */
    public synchronized void replace(int slot, int port) {
        ports.set(slot, port);
        ready[slot] = false; // until its probe says so
    }

    /** Whether the node in {@code slot} passed its last readiness check. */
    public synchronized boolean isReady(int slot) {
        return ready[slot];
    }

    private void check() {
        for (int slot = 0; slot < ready.length; slot++) {
            int port;
            synchronized (this) {
                port = ports.get(slot);
            }
            boolean ok;
            try {
                ok = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
                        .timeout(Duration.ofMillis(500)).GET().build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200;
            } catch (IOException e) {
                ok = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            synchronized (this) {
                if (ports.get(slot) == port) {
                    ready[slot] = ok;
                }
            }
        }
    }

    /** The next ready node's slot, round robin; -1 when none is ready. */
    private synchronized int pick() {
        for (int i = 0; i < ready.length; i++) {
            int slot = Math.floorMod(next.getAndIncrement(), ready.length);
            if (ready[slot]) {
                return slot;
            }
        }
        return -1;
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            Thread.ofVirtual().start(() -> route(client));
        }
    }

    private void route(Socket client) {
        int slot = pick();
        if (slot < 0) {
            SocketPipe.close(client); // no node ready: refused, the client retries
            return;
        }
        int port;
        synchronized (this) {
            port = ports.get(slot);
        }
        Socket server = new Socket();
        try {
            server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
        } catch (IOException e) {
            SocketPipe.close(client);
            return;
        }
        long second = (System.nanoTime() - started) / 1_000_000_000L;
        perSecond.computeIfAbsent(second, s -> new AtomicLongArray(ready.length)).incrementAndGet(slot);
        SocketPipe.join(client, server, () -> { });
    }

    /**
     * The most connections handed per second to the nodes other than {@code excluded}, over the seconds in
     * [{@code fromSecond}, {@code toSecond}) since this balancer started: the reconnect peak the others took.
     */
    public long peakPerSecond(int excluded, long fromSecond, long toSecond) {
        long peak = 0;
        for (Map.Entry<Long, AtomicLongArray> e : perSecond.entrySet()) {
            if (e.getKey() < fromSecond || e.getKey() >= toSecond) {
                continue;
            }
            long sum = 0;
            for (int slot = 0; slot < e.getValue().length(); slot++) {
                if (slot != excluded) {
                    sum += e.getValue().get(slot);
                }
            }
            peak = Math.max(peak, sum);
        }
        return peak;
    }

    /** Seconds since this balancer started. */
    public long second() {
        return (System.nanoTime() - started) / 1_000_000_000L;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
    }
}
