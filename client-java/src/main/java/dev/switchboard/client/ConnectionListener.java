package dev.switchboard.client;

/** Told about every {@link ConnectionEvent}, in order, on the client's callback thread. */
@FunctionalInterface
public interface ConnectionListener {
    /** Called once per state change; must not block for long (it holds up other callbacks). */
    void onStateChange(ConnectionEvent event);
}
