package dev.switchboard.server.engine.memory;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.engine.HistoryPage;
import dev.switchboard.server.engine.HistoryQuery;
import dev.switchboard.server.engine.Publication;
import dev.switchboard.server.engine.StreamPosition;
import java.util.ArrayList;
import java.util.List;

/**
 * One channel's offsets and bounded history: a fixed-size ring, so memory per channel never grows with the
 * publish rate. Not thread-safe: {@link MemoryEngine} serialises access per channel.
 */
final class ChannelLog {

    private final String channel;
    private final String epoch;
    private final Publication[] ring;
    private final long maxAgeMillis;
    private long top; // offset of the newest publication; 0 = none yet

    ChannelLog(String channel, String epoch, int capacity, long maxAgeMillis) {
        this.channel = channel;
        this.epoch = epoch;
        this.ring = new Publication[Math.max(0, capacity)];
        this.maxAgeMillis = maxAgeMillis;
    }

    Publication append(String from, JsonNode data, long now) {
        Publication p = new Publication(channel, ++top, epoch, now, from, data);
        if (ring.length > 0) {
            ring[(int) (p.offset() % ring.length)] = p;
        }
        return p;
    }

    StreamPosition position() {
        return new StreamPosition(top, epoch);
    }

    long lastPublishTime() {
        Publication newest = ring.length == 0 || top == 0 ? null : ring[(int) (top % ring.length)];
        return newest == null ? 0 : newest.ts();
    }

    HistoryPage read(HistoryQuery q, long now) {
        long oldestRetained = oldestRetained(now);
        long from = q.since() == null ? oldestRetained : Math.max(q.since() + 1, oldestRetained);
        boolean complete = q.since() == null || q.since() + 1 >= oldestRetained || q.since() >= top;
        List<Publication> out = new ArrayList<>();
        if (q.limit() != 0 && from <= top) {
            int limit = q.limit() < 0 ? Integer.MAX_VALUE : q.limit();
            if (q.reverse()) {
                for (long o = top; o >= from && out.size() < limit; o--) {
                    out.add(ring[(int) (o % ring.length)]);
                }
            } else {
                for (long o = from; o <= top && out.size() < limit; o++) {
                    out.add(ring[(int) (o % ring.length)]);
                }
            }
        }
        return new HistoryPage(out, position(), complete);
    }

    /** The smallest offset still retained (top + 1 when nothing is). */
    private long oldestRetained(long now) {
        long oldest = Math.max(1, top - ring.length + 1);
        if (ring.length == 0) {
            return top + 1;
        }
        while (oldest <= top && maxAgeMillis > 0 && now - ring[(int) (oldest % ring.length)].ts() > maxAgeMillis) {
            oldest++;
        }
        return oldest;
    }
}
