package dev.switchboard.client;

import dev.switchboard.protocol.schema.FrameSchema;

/** The SDK's frames, checked against the protocol schema as they pass ({@link FrameSchema.Tap}). */
final class SchemaTap implements FrameListener {

    private final FrameSchema.Tap tap;

    /** {@code checkReceived}: the peer is a real gateway (a scripted server sends what its test wants). */
    SchemaTap(boolean checkReceived) {
        this.tap = new FrameSchema.Tap(checkReceived);
    }

    /** Frames containing {@code marker} are off the schema on purpose (a test of the server's refusal). */
    SchemaTap tolerate(String marker) {
        tap.tolerate(marker);
        return this;
    }

    @Override
    public void sent(String frame) {
        tap.sent(frame);
    }

    @Override
    public void received(String frame) {
        tap.received(frame);
    }

    void assertClean() {
        tap.assertClean();
    }
}
