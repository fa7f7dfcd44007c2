package dev.switchboard.server.routing;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Message type → handler, for one endpoint. Routing is a map lookup, not a {@code switch}. */
public final class HandlerRegistry {

    /** A registered handler with its options. */
    public record Registration(String type, MessageHandler handler, HandlerOptions options) {
    }

    private final Map<String, Registration> byType = new ConcurrentHashMap<>();

    /** Registers (or replaces) the handler for {@code type}. */
    public void register(String type, MessageHandler handler, HandlerOptions options) {
        if (type == null || type.isEmpty()) {
            throw new IllegalArgumentException("type is required");
        }
        byType.put(type, new Registration(type, handler, options));
    }

    /** The registration for {@code type}, or {@code null}. */
    public Registration find(String type) {
        return byType.get(type);
    }

    public Set<String> types() {
        return Set.copyOf(byType.keySet());
    }
}
