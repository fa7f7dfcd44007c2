package dev.switchboard.client;

/**
 * Sees every text frame a client sends and receives, as it is on the wire: for protocol logs and debugging
 * (what centrifuge-js's debug mode prints). Called on the connection's I/O thread: keep it short, never block.
 */
public interface FrameListener {

    FrameListener NONE = new FrameListener() {
        @Override
        public void sent(String frame) {
        }

        @Override
        public void received(String frame) {
        }
    };

    void sent(String frame);

    void received(String frame);
}
