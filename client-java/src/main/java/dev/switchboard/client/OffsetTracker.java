package dev.switchboard.client;

import dev.switchboard.protocol.StreamPosition;
/**
 * The last position a subscription has delivered, and the rule that drops duplicates: within one epoch a
 * publication is delivered only if its offset is above the last one delivered. Duplicates happen by design:
 * a recovery reply and live pushes can overlap around a resubscription. Not thread-safe; the client guards it.
 */
final class OffsetTracker {

    private long offset = -1;
    private String epoch;

    /** Whether anything (a message or a subscribe reply) has set a position yet. */
    boolean known() {
        return offset >= 0;
    }

    /** The current position, or {@code null} when unknown. */
    StreamPosition position() {
        return known() ? new StreamPosition(offset, epoch) : null;
    }

    /**
     * Whether a publication at {@code (offset, epoch)} is new and must be delivered; advances the position if so.
     * A different epoch means the channel's history was reset, so its offsets start over: accept and re-base.
     */
    boolean accept(long messageOffset, String messageEpoch) {
        if (!sameEpoch(messageEpoch)) {
            epoch = messageEpoch;
            offset = messageOffset;
            return true;
        }
        if (messageOffset <= offset) {
            return false;
        }
        offset = messageOffset;
        if (epoch == null) {
            epoch = messageEpoch;
        }
        return true;
    }

    /** Moves to at least {@code (offset, epoch)} without delivering anything: the server's top after subscribe. */
    void advanceTo(long topOffset, String topEpoch) {
        if (!sameEpoch(topEpoch)) {
            epoch = topEpoch;
            offset = topOffset;
        } else {
            offset = Math.max(offset, topOffset);
            if (epoch == null) {
                epoch = topEpoch;
            }
        }
    }

    private boolean sameEpoch(String other) {
        // an unknown epoch on either side compares offsets only: better a duplicate check than a lost message
        return epoch == null || other == null || epoch.equals(other);
    }
}
