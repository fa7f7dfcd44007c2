package dev.switchboard.server.internal.outbound.client;

/** A backend's complete answer: status, content type (lower case, "" when absent) and body. */
public record BackendAnswer(int status, String contentType, byte[] body) {
}
