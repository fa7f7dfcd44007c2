package dev.switchboard.server.internal.delivery;

import dev.switchboard.protocol.Publication;
import java.util.ArrayList;
import java.util.List;

/**
 * One connection's way into a channel it subscribed to with {@code since}: while missed publications are read
 * from history, live ones for this connection are held back here; once the history reply went out, the held
 * ones newer than the last recovered offset follow it, and live ones the history already covered are dropped.
 * The cursor retires itself at the first live publication past that point: from then on the engine's
 * in-order delivery is enough.
 */
final class RecoveryCursor {

    /** What to do with a live publication for this connection. */
    enum Verdict { HELD, DROP, DELIVER_AND_RETIRE }

    private List<Publication> held = new ArrayList<>(); // null once the recovery reply went out
    private String epoch;
    private long last;

    synchronized Verdict offer(Publication p) {
        if (held != null) {
            held.add(p);
            return Verdict.HELD;
        }
        if (p.epoch().equals(epoch) && p.offset() <= last) {
            return Verdict.DROP;
        }
        return Verdict.DELIVER_AND_RETIRE;
    }

    /**
     * Ends the recovery: {@code afterRecovered} is the last offset the client now has in {@code recoveredEpoch};
     * returns the held publications it still needs, in order. Runs on the connection's event loop, after the
     * reply was written, so those follow the reply on the wire.
     */
    synchronized List<Publication> release(String recoveredEpoch, long afterRecovered) {
        epoch = recoveredEpoch;
        last = afterRecovered;
        List<Publication> out = new ArrayList<>();
        for (Publication p : held) {
            if (!p.epoch().equals(epoch) || p.offset() > last) {
                out.add(p);
                epoch = p.epoch();
                last = p.offset();
            }
        }
        held = null;
        return out;
    }
}
