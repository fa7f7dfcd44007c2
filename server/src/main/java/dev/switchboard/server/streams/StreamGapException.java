package dev.switchboard.server.streams;

/**
 * A reader's position is past the stream's tail: positions only grow, so the stream lost data it had given
 * out (its storage restarted without it) or the offset was never this stream's. Readers are told, never left
 * waiting at a position the stream will reach again with other data.
 */
public final class StreamGapException extends RuntimeException {

    public StreamGapException(String path, long position, long tail) {
        super("offset " + StreamOffsets.format(position) + " is past the tail " + StreamOffsets.format(tail) + " of "
                + path + ": data was lost, or the offset is not this stream's", null, false, false);
    }
}
