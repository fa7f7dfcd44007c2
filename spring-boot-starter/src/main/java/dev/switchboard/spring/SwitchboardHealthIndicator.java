package dev.switchboard.spring;

import dev.switchboard.server.Gateway;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The gateway in the application's health: UP while it accepts connections and its engine answers (what its
 * /readyz says), OUT_OF_SERVICE while it drains or before it starts, DOWN when the engine (Redis) does not answer.
 */
public final class SwitchboardHealthIndicator implements HealthIndicator {

    private final Gateway gateway;

    public SwitchboardHealthIndicator(Gateway gateway) {
        this.gateway = gateway;
    }

    @Override
    public Health health() {
        Health.Builder health = !gateway.enginesReady() ? Health.down()
                : gateway.isAccepting() ? Health.up() : Health.outOfService();
        health.withDetail("node", gateway.nodeId()).withDetail("engine", gateway.engineName())
                .withDetail("transport", gateway.transport());
        if (gateway.address() != null) {
            health.withDetail("port", gateway.port());
        }
        return health.build();
    }
}
