package dev.switchboard.client;

import java.util.function.Consumer;

/**
 * Sees every text frame a client sends and receives, as it is on the wire: for protocol logs and debugging
 * (what centrifuge-js's debug mode prints). Called on the connection's I/O thread: keep it short, never block.
 */
public interface FrameListener {

    FrameListener NONE = of(frame -> { }, frame -> { });

    /** A listener of two functions: e.g. {@code FrameListener.of(log::debug, log::debug)}. */
    static FrameListener of(Consumer<String> sent, Consumer<String> received) {
        return new FrameListener() {
            @Override
            public void sent(String frame) {
                sent.accept(frame);
            }

            @Override
            public void received(String frame) {
                received.accept(frame);
            }
        };
    }

    void sent(String frame);

    void received(String frame);
}
