package dev.switchboard.server.internal.handlers;


/**
 * Installs the protocol's built-in types on an endpoint. They use the same public handler API as
 * application handlers, so an application can replace any of them with {@code endpoint.builtin(type, ...)}.
 */
public final class BuiltinHandlers {

    private BuiltinHandlers() {
    }

    public static void install(Builtins endpoint) {
        ConnectionHandlers.install(endpoint);
        ChannelHandlers.install(endpoint);
        MessagingHandlers.install(endpoint);
    }
}
