package dev.switchboard.server.engine.redis;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this node dropped from the Redis backplane instead of trusting it, by reason: {@code oversized} (bigger
 * than any node sends), {@code malformed} (not what a node writes: garbage, a broken frame, a body that is not
 * JSON), {@code impossible} (well formed, but an offset or epoch the channel's stream never held). Logged at most
 * once a minute per reason, so a flood cannot flood the log too.
 */
final class BackplaneDrops {

    private static final Logger log = LoggerFactory.getLogger(BackplaneDrops.class);
    private static final long LOG_EVERY_NANOS = 60_000_000_000L;

    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> lastLogged = new ConcurrentHashMap<>();

    void drop(String reason, String where, String detail) {
        long n = counts.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
        AtomicLong logged = lastLogged.computeIfAbsent(reason, r -> new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS));
        long then = logged.get();
        long now = System.nanoTime();
        if (now - then >= LOG_EVERY_NANOS && logged.compareAndSet(then, now)) {
            log.warn("dropped a message on {} from the Redis backplane ({}: {}); {} so far", where, reason, detail, n);
        }
    }

    Map<String, Long> counts() {
        Map<String, Long> out = new java.util.TreeMap<>();
        counts.forEach((reason, n) -> out.put(reason, n.get()));
        return out;
    }
}
