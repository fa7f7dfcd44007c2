package dev.switchboard.server.internal.routing;

import dev.switchboard.server.internal.handlers.BuiltinHandler;

import dev.switchboard.server.app.AsyncMessageHandler;
import dev.switchboard.server.app.HandlerOptions;
import dev.switchboard.server.app.MessageHandler;
import dev.switchboard.protocol.GlobPattern;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Message type → handler, for one endpoint. Routing is a map lookup, not a {@code switch}. */
public final class HandlerRegistry {

    /**
     * A registered handler with its options; {@code async} is the same handler when it is an application's
     * {@link AsyncMessageHandler} (run held, without a thread), else null.
     */
    public record Registration(String type, BuiltinHandler handler, HandlerOptions options, AsyncMessageHandler async) {
    }

    private final Map<String, Registration> byType = new ConcurrentHashMap<>();
    /** Handlers for types no exact registration takes, by glob, first match wins (e.g. the RPC hook for {@code app.*}). */
    private final List<Map.Entry<GlobPattern, Registration>> unmatched = new CopyOnWriteArrayList<>();

    /** Registers (or replaces) the handler for {@code type}. */
    public void register(String type, BuiltinHandler handler, HandlerOptions options) {
        register(new Registration(type, handler, options, null));
    }

    /** Registers (or replaces) an application's handler for {@code type}. */
    public void register(String type, MessageHandler handler, HandlerOptions options) {
        register(new Registration(type, handler::handle, options, asAsync(handler)));
    }

    private void register(Registration r) {
        if (r.type() == null || r.type().isEmpty()) {
            throw new IllegalArgumentException("type is required");
        }
        byType.put(r.type(), r);
    }

    /** Handles every type matching {@code glob} that has no handler of its own. */
    public void registerUnmatched(String glob, MessageHandler handler, HandlerOptions options) {
        unmatched.add(Map.entry(new GlobPattern(glob), new Registration(glob, handler::handle, options, asAsync(handler))));
    }

    private static AsyncMessageHandler asAsync(MessageHandler handler) {
        return handler instanceof AsyncMessageHandler a ? a : null;
    }

    /** The registration for {@code type}, or {@code null}. */
    public Registration find(String type) {
        Registration r = byType.get(type);
        if (r != null || unmatched.isEmpty()) {
            return r;
        }
        for (Map.Entry<GlobPattern, Registration> e : unmatched) {
            if (e.getKey().matches(type)) {
                return e.getValue();
            }
        }
        return null;
    }

    public Set<String> types() {
        return Set.copyOf(byType.keySet());
    }
}
