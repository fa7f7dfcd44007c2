package dev.switchboard.server.streams;

import dev.switchboard.server.streams.StreamAppended.Outcome;

/**
 * The protocol's rules for an append, decided before anything is written, in the order the protocol gives:
 * a closed stream first (unless the request is the very one that closed it), then the content type, then the
 * idempotent producer (Kafka-style: a stale epoch is fenced, a new epoch starts at 0, a repeated sequence is a
 * duplicate, a skipped one a gap), then {@code Stream-Seq}. The memory store applies them under the stream's
 * lock; the Redis store's append script implements the same rules.
 */
public final class AppendRules {

    /** The decision: an outcome, and for an accepted producer the state to commit after the write. */
    public record Decision(Outcome outcome, ProducerState commit, long epoch, long seq, long received) {

        static Decision of(Outcome outcome) {
            return new Decision(outcome, null, 0, 0, 0);
        }
    }

    /** What the rules need to know of the stream. */
    public record Facts(String contentType, boolean closed, Producer closedBy, String lastStreamSeq,
                        ProducerState producer) {
    }

    private AppendRules() {
    }

    public static Decision decide(Facts stream, StreamAppend append, long now) {
        Producer p = append.producer();
        if (stream.closed()) {
            if (p != null && p.equals(stream.closedBy())) {
                return new Decision(Outcome.DUPLICATE, null, p.epoch(), p.seq(), 0);
            }
            return Decision.of(Outcome.CLOSED);
        }
        boolean hasBody = append.data().length > 0;
        if (hasBody && append.contentType() != null
                && !StreamSpec.mediaType(append.contentType()).equals(StreamSpec.mediaType(stream.contentType()))) {
            return Decision.of(Outcome.CONTENT_TYPE_MISMATCH);
        }
        ProducerState commit = null;
        if (p != null) {
            ProducerState state = stream.producer();
            if (state == null) {
                if (p.seq() != 0) {
                    return new Decision(Outcome.SEQUENCE_GAP, null, p.epoch(), 0, p.seq());
                }
                commit = new ProducerState(p.epoch(), 0, now);
            } else if (p.epoch() < state.epoch()) {
                return new Decision(Outcome.STALE_EPOCH, null, state.epoch(), 0, 0);
            } else if (p.epoch() > state.epoch()) {
                if (p.seq() != 0) {
                    return Decision.of(Outcome.INVALID_EPOCH_SEQ);
                }
                commit = new ProducerState(p.epoch(), 0, now);
            } else if (p.seq() <= state.lastSeq()) {
                return new Decision(Outcome.DUPLICATE, null, p.epoch(), state.lastSeq(), 0);
            } else if (p.seq() == state.lastSeq() + 1) {
                commit = new ProducerState(p.epoch(), p.seq(), now);
            } else {
                return new Decision(Outcome.SEQUENCE_GAP, null, p.epoch(), state.lastSeq() + 1, p.seq());
            }
        }
        if (append.seq() != null && stream.lastStreamSeq() != null && append.seq().compareTo(stream.lastStreamSeq()) <= 0) {
            return Decision.of(Outcome.SEQ_CONFLICT);
        }
        return new Decision(Outcome.APPENDED, commit, p == null ? 0 : p.epoch(), p == null ? 0 : p.seq(), 0);
    }
}
