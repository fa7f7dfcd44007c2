package dev.switchboard.server.streams;

/**
 * One stored append: its bytes (in JSON mode, the values it held, comma-separated, without brackets) and the
 * position after it, which is the offset a reader resumes from.
 */
public record StreamMessage(long end, byte[] data) {
}
