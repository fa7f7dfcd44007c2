package dev.switchboard.server.streams;

/** The outcome of a create ({@code PUT}); {@code state} is the stream's when it exists now. */
public record StreamCreated(Outcome outcome, StreamState state) {

    public enum Outcome {
        /** A new stream. */
        CREATED,
        /** It existed with the same configuration: an idempotent re-creation. */
        EXISTS,
        /** It exists with another configuration, or its path is held by a soft-deleted stream. */
        CONFLICT,
        /** The fork's source does not exist. */
        SOURCE_NOT_FOUND,
        /** The fork's source was deleted (soft-deleted, still read by other forks). */
        SOURCE_GONE,
        /** The fork offset is past the source's tail. */
        BAD_FORK_OFFSET,
        /** The fork's sub-offset reaches past the source's next message. */
        BAD_SUB_OFFSET,
        /** The fork names another content type than its source's. */
        CONTENT_TYPE_MISMATCH,
        /** A JSON stream's initial body is not JSON. */
        INVALID_JSON,
        /** The initial body or the stream count is over a limit. */
        TOO_LARGE,
        /** The node or the writer holds as many streams as it may. */
        TOO_MANY
    }

    public static StreamCreated of(Outcome outcome) {
        return new StreamCreated(outcome, null);
    }
}
