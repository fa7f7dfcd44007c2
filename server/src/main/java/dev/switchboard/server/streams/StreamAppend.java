package dev.switchboard.server.streams;

/**
 * One append: {@code data} (empty only when closing), the request's content type (checked against the
 * stream's), an optional {@code Stream-Seq} (strictly increasing per stream), an optional idempotent producer,
 * and whether the stream closes with it.
 */
public record StreamAppend(byte[] data, String contentType, String seq, Producer producer, boolean close) {
}
