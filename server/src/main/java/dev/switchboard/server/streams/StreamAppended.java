package dev.switchboard.server.streams;

/**
 * The outcome of an append or a close ({@code POST}). {@code tail} and {@code closed} are the stream's after it;
 * for producers, {@code epoch} and {@code seq} are the values to echo ({@code Producer-Epoch}: the current epoch
 * when fenced; {@code Producer-Seq}: the highest accepted, or the expected one on a gap, with {@code received}).
 */
public record StreamAppended(Outcome outcome, long tail, boolean closed, long epoch, long seq, long received) {

    public enum Outcome {
        /** Stored (or closed). */
        APPENDED,
        /** A producer's retry of something already stored: success, nothing written. */
        DUPLICATE,
        /** The stream is closed: nothing more may be appended. */
        CLOSED,
        /** The producer's epoch is older than the stream knows: fenced. */
        STALE_EPOCH,
        /** A new epoch must start at sequence 0. */
        INVALID_EPOCH_SEQ,
        /** The producer skipped sequence numbers. */
        SEQUENCE_GAP,
        /** The body's content type is not the stream's. */
        CONTENT_TYPE_MISMATCH,
        /** {@code Stream-Seq} did not increase. */
        SEQ_CONFLICT,
        NOT_FOUND,
        /** Soft-deleted. */
        GONE,
        /** A JSON stream was given something that is not JSON. */
        INVALID_JSON,
        /** A JSON stream was given an empty array. */
        EMPTY_ARRAY,
        /** The stream or the node would grow past its byte limit. */
        TOO_LARGE
    }

    public static StreamAppended of(Outcome outcome) {
        return new StreamAppended(outcome, 0, false, 0, 0, 0);
    }

    public static StreamAppended of(Outcome outcome, long tail, boolean closed) {
        return new StreamAppended(outcome, tail, closed, 0, 0, 0);
    }
}
