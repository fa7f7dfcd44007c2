package dev.switchboard.server.internal.durable;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code Stream-Cursor} values for live reads (protocol section 10.1): the number of 20-second intervals since
 * 2024-10-09T00:00Z, so that readers of the same stream at the same time share a CDN cache key; a client that
 * echoes a cursor at or past the current interval gets one strictly later (a random 1 s to 1 h further), so a
 * cached empty answer can never be served to it again.
 */
final class StreamCursors {

    private static final long EPOCH_MS = Instant.parse("2024-10-09T00:00:00Z").toEpochMilli();
    private static final long INTERVAL_S = 20;

    private final Clock clock;

    StreamCursors(Clock clock) {
        this.clock = clock;
    }

    String next(String clientCursor) {
        long current = (clock.millis() - EPOCH_MS) / (INTERVAL_S * 1000);
        if (clientCursor == null) {
            return Long.toString(current);
        }
        long client;
        try {
            client = Long.parseLong(clientCursor);
        } catch (NumberFormatException e) {
            return Long.toString(current);
        }
        if (client < current) {
            return Long.toString(current);
        }
        long jitterSeconds = 1 + ThreadLocalRandom.current().nextLong(3600);
        return Long.toString(client + Math.max(1, (jitterSeconds + INTERVAL_S - 1) / INTERVAL_S));
    }
}
