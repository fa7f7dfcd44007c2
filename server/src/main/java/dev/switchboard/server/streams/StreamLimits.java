package dev.switchboard.server.streams;

/**
 * What a store holds at most: bytes per stream, bytes per node (the memory store; Redis has its own
 * {@code maxmemory}), streams in all, and streams per writer (an API key, or a requesting user), so that one
 * writer cannot take every stream. A read returns at most {@code readBytes} (at least one message).
 */
public record StreamLimits(long streamBytes, long totalBytes, int streams, int streamsPerWriter, int readBytes) {

    public static final StreamLimits DEFAULTS = new StreamLimits(64L << 20, 512L << 20, 100_000, 10_000, 1 << 20);
}
