package dev.switchboard.server.internal.outbound;

import java.io.IOException;

/** Reads a {@code text/event-stream} body event by event (the WHATWG format: {@code event:}, {@code data:}, blank line). */
public final class ServerSentEvents {

    /** One event; return false to stop reading. */
    @FunctionalInterface
    public interface Listener {
        boolean onEvent(String event, String data) throws IOException;
    }

    private ServerSentEvents() {
    }

    /** Calls {@code listener} for every event with data, until the body ends or the listener says stop. */
    public static void read(BoundedLines lines, Listener listener) throws IOException {
        String event = null;
        StringBuilder data = null;
        for (String line; (line = lines.next()) != null; ) {
            if (line.isEmpty()) {
                if (data != null && !listener.onEvent(event, data.toString())) {
                    return;
                }
                event = null;
                data = null;
            } else if (line.startsWith(":")) {
                continue; // comment / keep-alive
            } else {
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                if (field.equals("event")) {
                    event = value;
                } else if (field.equals("data")) {
                    data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                }
            }
        }
        if (data != null) {
            listener.onEvent(event, data.toString());
        }
    }
}
