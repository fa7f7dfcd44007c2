package dev.switchboard.server.internal.transport;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.Json;
import dev.switchboard.server.internal.delivery.Connection;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per WebSocket connection that closes (and, with {@code --access-log-opens}, per one that opens) and
 * per HTTP request, on the {@code switchboard.access} logger (stdout, message only; see logback.xml), as
 * {@code key=value} text or one JSON object. What is logged is chosen field by field: paths without their
 * query (a {@code ?token=} never reaches the log), ids, counts and codes; never tickets, keys or payloads.
 */
public final class AccessLog {

    /** Logs nothing. */
    public static final AccessLog OFF = new AccessLog(false, false, false, false, "", Clock.systemUTC());

    private static final Logger log = LoggerFactory.getLogger("switchboard.access");

    private final boolean enabled;
    private final boolean json;
    private final boolean opens;
    private final boolean http;
    private final String node;
    private final Clock clock;

    private AccessLog(boolean enabled, boolean json, boolean opens, boolean http, String node, Clock clock) {
        this.enabled = enabled;
        this.json = json;
        this.opens = opens;
        this.http = http;
        this.node = node;
        this.clock = clock;
    }

    /**
     * @param format off, text or json
     * @param opens  also log connections as they open
     * @param http   also log HTTP requests
     */
    public static AccessLog create(String format, boolean opens, boolean http, String node, Clock clock) {
        String f = format == null ? "off" : format.toLowerCase(Locale.ROOT);
        return switch (f) {
            case "off", "none", "" -> OFF;
            case "text", "json" -> new AccessLog(true, f.equals("json"), opens, http, node, clock);
            default -> throw new IllegalArgumentException("--access-log must be off, text or json, not " + format);
        };
    }

    /** A connection was accepted (upgraded or streaming), before it authenticated. */
    public void opened(Connection c) {
        if (!enabled || !opens) {
            return;
        }
        write(line("conn_open").put("conn", c.id()).put("endpoint", c.endpoint()).put("app", c.app())
                .put("transport", c.transportName()).put("remote", c.remoteAddress()));
    }

    /** A connection's socket closed; its counters are final now. */
    public void closed(Connection c) {
        if (!enabled) {
            return;
        }
        Connection.Traffic t = c.traffic();
        write(line("conn_close").put("conn", c.id()).put("user", c.user()).put("endpoint", c.endpoint())
                .put("app", c.app()).put("transport", c.transportName()).put("remote", c.remoteAddress())
                .put("duration_ms", clock.millis() - c.connectedAt())
                .put("frames_in", t.framesIn()).put("bytes_in", t.bytesIn())
                .put("frames_out", t.framesOut()).put("bytes_out", t.bytesOut())
                .put("closed_by", c.closeCode() != 0 ? "server" : c.peerCloseCode() != 0 ? "client" : "network")
                .put("code", c.closeCode() != 0 ? c.closeCode() : c.peerCloseCode() != 0 ? c.peerCloseCode() : 1006)
                .put("reason", c.closeCode() != 0 ? c.closeReason() : null));
    }

    /** An HTTP request was answered. {@code path} must be without its query. */
    public void http(String method, String path, int status, long bytesIn, long bytesOut, String remote,
                     long durationMicros) {
        if (!enabled || !http) {
            return;
        }
        write(line("http").put("method", method).put("path", path).put("status", status).put("remote", remote)
                .put("duration_ms", durationMicros / 1000.0).put("bytes_in", bytesIn).put("bytes_out", bytesOut));
    }

    /** Whether anything is logged at all (callers skip gathering fields when not). */
    public boolean enabled() {
        return enabled;
    }

    private ObjectNode line(String event) {
        return Json.object().put("time", Instant.ofEpochMilli(clock.millis()).toString()).put("node", node)
                .put("event", event);
    }

    private void write(ObjectNode fields) {
        log.info(json ? Json.text(fields) : logfmt(fields));
    }

    /** {@code key=value} pairs; values with spaces, quotes or '=' quoted, as logfmt readers expect. */
    static String logfmt(ObjectNode fields) {
        StringBuilder out = new StringBuilder(160);
        fields.properties().forEach(e -> {
            if (e.getValue().isNull()) {
                return;
            }
            if (!out.isEmpty()) {
                out.append(' ');
            }
            String v = e.getValue().asText();
            out.append(e.getKey()).append('=');
            if (v.isEmpty() || v.chars().anyMatch(ch -> ch <= ' ' || ch == '"' || ch == '=' || ch == '\\')) {
                out.append('"');
                v.chars().forEach(ch -> {
                    if (ch == '"' || ch == '\\') {
                        out.append('\\').append((char) ch);
                    } else if (ch < ' ') {
                        out.append(String.format("\\u%04x", ch));
                    } else {
                        out.append((char) ch);
                    }
                });
                out.append('"');
            } else {
                out.append(v);
            }
        });
        return out.toString();
    }
}
