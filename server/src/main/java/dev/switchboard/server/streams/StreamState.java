package dev.switchboard.server.streams;

/**
 * What a stream is now: its configuration, its tail (the position after its last message), whether it is
 * closed, and for a fork where it came from. A soft-deleted stream (deleted while forks still read from it)
 * is gone for clients but still read through by its forks.
 */
public record StreamState(String path, StreamSpec spec, long tail, boolean closed, boolean softDeleted,
                          StreamFork fork, long forkPosition) {

    /** The tail as an offset. */
    public String tailOffset() {
        return StreamOffsets.format(tail);
    }
}
