package dev.switchboard.bench.client;

/**
 * The frames the load client sends. Each measured payload carries {@code "t"}: the {@link System#nanoTime()} of
 * its intended send, read back on delivery in the same process (same clock), padded to a chosen size.
 */
public final class Payloads {

    private final String pad;

    /** Payloads of about {@code size} bytes of application data (at least the stamp). */
    public Payloads(int size) {
        int padLength = Math.max(0, size - "{\"t\":1234567890123456,\"p\":\"\"}".length());
        this.pad = "x".repeat(padLength);
    }

    /** {@code subscribe} with id "s". */
    public static String subscribe(String channel) {
        return "{\"id\":\"s\",\"type\":\"subscribe\",\"data\":{\"channel\":\"" + channel + "\"}}";
    }

    /** A {@code publish} without id (no reply on success; errors still come back). */
    public String publish(String channel, long stampNanos) {
        return "{\"type\":\"publish\",\"data\":{\"channel\":\"" + channel + "\",\"data\":{\"t\":" + stampNanos
                + ",\"p\":\"" + pad + "\"}}}";
    }

    /** The stamped application data alone, e.g. a Kafka record's value that the gateway bridges into a channel. */
    public String data(long stampNanos) {
        return "{\"t\":" + stampNanos + ",\"p\":\"" + pad + "\"}";
    }

    /** An {@code echo} request with the given id. */
    public String echo(String id, long stampNanos) {
        return request("echo", id, stampNanos);
    }

    /** A request of {@code type} with the given id whose data is the stamped payload (answered like echo). */
    public String request(String type, String id, long stampNanos) {
        return "{\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"data\":{\"t\":" + stampNanos + ",\"p\":\"" + pad + "\"}}";
    }
}
