package dev.switchboard.server.internal.sse;

import dev.switchboard.protocol.StreamPosition;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last position an event stream delivered in each of its channels, written as the SSE {@code id} so that a
 * browser's {@code EventSource}, reconnecting on its own, sends it back as {@code Last-Event-ID} and the stream
 * resumes where it stopped. One channel: {@code offset:epoch}; several: {@code chan=offset:epoch&chan2=…},
 * URL-encoded. Event loop only.
 */
final class StreamPositions {

    private final Map<String, StreamPosition> last = new LinkedHashMap<>();
    private String encoded;

    /** Records a delivered position; true when it moved (the next event carries a new id). */
    boolean advance(String channel, long offset, String epoch) {
        StreamPosition now = last.get(channel);
        if (now != null && now.offset() >= offset && now.epoch().equals(epoch)) {
            return false;
        }
        last.put(channel, new StreamPosition(offset, epoch));
        encoded = null;
        return true;
    }

    /** The SSE id for what was delivered so far. */
    String id() {
        if (encoded == null) {
            if (last.size() == 1) {
                StreamPosition p = last.values().iterator().next();
                encoded = p.offset() + ":" + p.epoch();
            } else {
                StringBuilder out = new StringBuilder();
                last.forEach((channel, p) -> {
                    if (!out.isEmpty()) {
                        out.append('&');
                    }
                    out.append(URLEncoder.encode(channel, StandardCharsets.UTF_8)).append('=')
                            .append(p.offset()).append(':').append(URLEncoder.encode(p.epoch(), StandardCharsets.UTF_8));
                });
                encoded = out.toString();
            }
        }
        return encoded;
    }

    /**
     * Reads a {@code Last-Event-ID} (or {@code since} parameter) back: per channel of {@code channels}, its
     * position, or none. A malformed id is ignored (the stream then starts live, as a first connect would).
     */
    static Map<String, StreamPosition> parse(String id, List<String> channels) {
        Map<String, StreamPosition> out = new LinkedHashMap<>();
        if (id == null || id.isBlank()) {
            return out;
        }
        if (!id.contains("=")) {
            StreamPosition p = position(id);
            if (p != null && channels.size() == 1) {
                out.put(channels.get(0), p);
            }
            return out;
        }
        for (String pair : id.split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String channel = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
            StreamPosition p = position(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            if (p != null && channels.contains(channel)) {
                out.put(channel, p);
            }
        }
        return out;
    }

    private static StreamPosition position(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            return null;
        }
        try {
            long offset = Long.parseLong(text.substring(0, colon));
            return offset < 0 ? null : new StreamPosition(offset, text.substring(colon + 1));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
