package dev.switchboard.server.app;

/**
 * How a handler is run.
 *
 * @param requiresIdentity whether the connection must be welcomed (authenticated or anonymous-allowed) first
 * @param nonBlocking      the handler never blocks, so it may run directly on the I/O thread when the
 *                         connection has nothing queued (saves a thread hand-off; built-ins use it)
 */
public record HandlerOptions(boolean requiresIdentity, boolean nonBlocking) {
    /** Needs an identified connection; may block. */
    public static final HandlerOptions DEFAULT = new HandlerOptions(true, false);
    /** Allowed before authentication (e.g. {@code auth} itself). */
    public static final HandlerOptions PUBLIC = new HandlerOptions(false, true);
    /** Needs an identified connection; never blocks. */
    public static final HandlerOptions NON_BLOCKING = new HandlerOptions(true, true);
}
