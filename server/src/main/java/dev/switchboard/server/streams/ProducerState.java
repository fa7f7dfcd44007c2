package dev.switchboard.server.streams;

/** What a stream remembers of one idempotent producer: its epoch, the last sequence it accepted, and when. */
public record ProducerState(long epoch, long lastSeq, long updatedAt) {
}
