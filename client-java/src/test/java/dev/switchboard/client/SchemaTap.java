package dev.switchboard.client;

import dev.switchboard.protocol.schema.FrameSchema;

/**
 * Checks every frame a test's client sends (and, against a real gateway, receives) against the protocol
 * schema. It runs on the I/O thread, so it keeps the first mismatch for the test's end ({@link #assertClean})
 * instead of throwing into Netty.
 */
final class SchemaTap implements FrameListener {

    private final boolean checkReceived;
    private volatile String tolerated;
    private volatile AssertionError first;

    /** {@code checkReceived}: the peer is a real gateway (a scripted server sends what its test wants). */
    SchemaTap(boolean checkReceived) {
        this.checkReceived = checkReceived;
    }

    /** Frames containing {@code marker} are off the schema on purpose (a test of the server's refusal). */
    SchemaTap tolerate(String marker) {
        this.tolerated = marker;
        return this;
    }

    @Override
    public void sent(String frame) {
        String marker = tolerated;
        if (marker == null || !frame.contains(marker)) {
            keep(() -> FrameSchema.clientFrame(frame));
        }
    }

    @Override
    public void received(String frame) {
        if (checkReceived) {
            keep(() -> FrameSchema.serverFrame(frame));
        }
    }

    private void keep(Runnable check) {
        try {
            check.run();
        } catch (AssertionError e) {
            if (first == null) {
                first = e;
            }
        }
    }

    void assertClean() {
        if (first != null) {
            throw first;
        }
    }
}
