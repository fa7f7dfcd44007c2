package dev.switchboard.server.streams;

/** An idempotent producer's request: {@code Producer-Id}, {@code Producer-Epoch}, {@code Producer-Seq}. */
public record Producer(String id, long epoch, long seq) {

    /** The largest value the protocol allows (2^53-1, what JavaScript numbers hold exactly). */
    public static final long MAX = (1L << 53) - 1;
}
