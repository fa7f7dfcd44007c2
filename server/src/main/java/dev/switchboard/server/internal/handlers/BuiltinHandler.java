package dev.switchboard.server.internal.handlers;

import dev.switchboard.protocol.Envelope;

/** A handler of the gateway's own types ({@code subscribe}, {@code publish}, …), given the internal context. */
@FunctionalInterface
public interface BuiltinHandler {
    void handle(BuiltinContext ctx, Envelope msg) throws Exception;
}
