package dev.switchboard.server.bridge.kafka;

/** A record that cannot become a publication (skipped, counted, optionally dead-lettered); {@code reason} is a metric tag. */
final class Unbridgeable extends Exception {

    private final String reason;

    Unbridgeable(String reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    String reason() {
        return reason;
    }
}
