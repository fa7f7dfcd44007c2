package dev.switchboard.spring;

import dev.switchboard.server.Gateway;

/**
 * What the properties and annotations do not cover (an anonymous endpoint, an embedder's OpenTelemetry,
 * handlers registered in a loop): called with the built gateway before it starts, in {@code @Order}.
 */
@FunctionalInterface
public interface GatewayCustomizer {

    void customize(Gateway gateway);
}
