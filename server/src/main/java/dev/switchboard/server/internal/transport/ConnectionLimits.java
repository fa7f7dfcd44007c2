package dev.switchboard.server.internal.transport;

import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import dev.switchboard.server.internal.routing.RateLimiter;

/**
 * How many WebSocket connections the node holds, in all and per remote address, so one host (or a flood)
 * cannot take every file descriptor: an upgrade past either limit is answered 503 and its socket closed.
 * A connection's slot is given back when its channel closes.
 */
final class ConnectionLimits {

    private final int maxTotal;
    private final int maxPerAddress;
    private final AtomicInteger total = new AtomicInteger();
    private final Map<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final double handshakesPerSecond;
    private final int handshakeBurst;
    /** Upgrade attempts per address (token buckets), so one host cannot make the node verify tickets at any rate. */
    private final Map<InetAddress, RateLimiter> handshakes = new ConcurrentHashMap<>();
    private final AtomicInteger sinceSweep = new AtomicInteger();

    ConnectionLimits(int maxTotal, int maxPerAddress, double handshakesPerSecond) {
        this.maxTotal = maxTotal;
        this.maxPerAddress = maxPerAddress;
        this.handshakesPerSecond = handshakesPerSecond;
        this.handshakeBurst = (int) Math.max(1, Math.ceil(handshakesPerSecond * 2));
    }

    /** Takes a slot for {@code channel}, to be given back with {@link #release}; null when admitted, else why not. */
    String tryAdmit(Channel channel) {
        InetAddress from = addressOf(channel.remoteAddress());
        if (from != null && handshakesPerSecond > 0 && !handshakeAllowed(from)) {
            return "at most " + handshakesPerSecond + " connection attempts per second per address";
        }
        if (total.incrementAndGet() > maxTotal) {
            total.decrementAndGet();
            return "this node holds its maximum of " + maxTotal + " connections";
        }
        InetAddress address = addressOf(channel.remoteAddress());
        AtomicInteger count = address == null ? null : perAddress.computeIfAbsent(address, a -> new AtomicInteger());
        if (count != null && count.incrementAndGet() > maxPerAddress) {
            release(address, count);
            return "at most " + maxPerAddress + " connections per address";
        }
        return null;
    }

    /**
     * Gives back the slot of an admitted channel, once, when its connection ends. Called by the connection's
     * end rather than from a close-future listener: a listener would be one more object on every idle
     * connection (and turn the close future's listener field into a list).
     */
    void release(Channel channel) {
        InetAddress address = addressOf(channel.remoteAddress());
        release(address, address == null ? null : perAddress.get(address));
    }

    private boolean handshakeAllowed(InetAddress from) {
        long now = System.nanoTime();
        if (sinceSweep.incrementAndGet() >= 4096) { // forget addresses that stopped coming, so the map stays small
            sinceSweep.set(0);
            handshakes.entrySet().removeIf(e -> {
                synchronized (e.getValue()) {
                    return e.getValue().isFull(now);
                }
            });
        }
        RateLimiter bucket = handshakes.computeIfAbsent(from, a -> new RateLimiter(handshakesPerSecond, handshakeBurst, now));
        synchronized (bucket) {
            return bucket.tryAcquire(now);
        }
    }

    private void release(InetAddress address, AtomicInteger count) {
        total.decrementAndGet();
        if (count != null && count.decrementAndGet() <= 0) {
            perAddress.remove(address, count);
        }
    }

    private static InetAddress addressOf(SocketAddress remote) {
        return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
}
