package dev.switchboard.server.internal.handlers;

import dev.switchboard.server.app.HandlerOptions;

/** Where built-in handlers are registered: an endpoint's handler registry. */
public interface Builtins {

    /** Handles one of the gateway's own types, with access to the internals. */
    Builtins builtin(String type, BuiltinHandler handler, HandlerOptions options);
}
