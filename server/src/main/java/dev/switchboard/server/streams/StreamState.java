package dev.switchboard.server.streams;

/**
 * What a stream is now: its configuration, its tail (the position after its last message), whether it is
 * closed, and for a fork where it came from. A soft-deleted stream (deleted while forks still read from it)
 * is gone for clients but still read through by its forks.
 */
public record StreamState(String path, StreamSpec spec, long tail, boolean closed, boolean softDeleted,
                          StreamFork fork, long forkPosition) {

    /** The channel name whose subscribe permission lets a connection read this stream. */
    public String channel() {
        return "stream:" + path;
    }

    /**
     * Whether {@code user} may read it (API-key holders always may): an owned stream (a resumable reply) only
     * its owner; an unowned reply anyone who knows its id (128 random bits); any other stream whoever may
     * subscribe to {@link #channel()}.
     */
    public boolean readableBy(String user, java.util.function.Predicate<String> maySubscribe) {
        if (spec.owner() != null) {
            return spec.owner().equals(user);
        }
        return path.startsWith("replies/") || maySubscribe.test(channel());
    }

    /** The tail as an offset. */
    public String tailOffset() {
        return StreamOffsets.format(tail);
    }
}
