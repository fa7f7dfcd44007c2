package dev.switchboard.bench.client;

/**
 * The frames the load client sends. Each measured payload carries {@code "t"}: the {@link System#nanoTime()} of
 * its intended send, read back on delivery in the same process (same clock), padded to a chosen size.
 */
public final class Payloads {

    private final String pad;
    private final Dialect dialect;

    /** Payloads of about {@code size} bytes of application data (at least the stamp), framed in {@code dialect}. */
    public Payloads(int size, Dialect dialect) {
        int padLength = Math.max(0, size - "{\"t\":1234567890123456,\"p\":\"\"}".length());
        this.pad = "x".repeat(padLength);
        this.dialect = dialect;
    }

    /** A subscription to {@code channel}, confirmed with {@link Dialect#SUBSCRIBE_ID}. */
    public String subscribe(String channel) {
        return dialect.subscribe(channel);
    }

    /** A publication without a reply on success (errors still come back where the dialect has them). */
    public String publish(String channel, long stampNanos) {
        return dialect.publish(channel, data(stampNanos));
    }

    /** The stamped application data alone, e.g. a Kafka record's value that the gateway bridges into a channel. */
    public String data(long stampNanos) {
        return "{\"t\":" + stampNanos + ",\"p\":\"" + pad + "\"}";
    }

    /** A request of {@code type} with the given id whose data is the stamped payload (answered like echo). */
    public String request(String type, long id, long stampNanos) {
        return dialect.request(type, id, data(stampNanos));
    }
}
