package dev.switchboard.server.streams;

/**
 * A stream created as a fork: it reads as {@code source} up to {@code offset} (the source's tail when null),
 * then {@code subOffset} more (JSON values, or bytes, of the source's next message), then its own appends.
 */
public record StreamFork(String source, Long offset, long subOffset) {
}
