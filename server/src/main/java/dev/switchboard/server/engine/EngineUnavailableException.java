package dev.switchboard.server.engine;

/** The engine's backing store cannot be reached; the operation may be retried later. */
public class EngineUnavailableException extends RuntimeException {
    public EngineUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
