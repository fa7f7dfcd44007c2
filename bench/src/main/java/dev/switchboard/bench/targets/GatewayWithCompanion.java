package dev.switchboard.bench.targets;

import java.util.OptionalLong;

/**
 * A gateway this tool started together with something it needs beside it (a hook backend, a Kafka broker):
 * the target is the gateway (its pid, its CPU), the companion is described and stopped with it.
 */
abstract class GatewayWithCompanion extends Target {

    protected final ServerProcess gateway;

    protected GatewayWithCompanion(String name, ServerProcess gateway) {
        super(name, gateway.http());
        this.gateway = gateway;
    }

    /** What runs beside the gateway, for {@link #describe()}. */
    protected abstract String companion();

    /** Stops the companion (after the gateway). */
    protected abstract void closeCompanion();

    @Override
    public final OptionalLong pid() {
        return gateway.pid();
    }

    @Override
    public final boolean isJvm() {
        return true;
    }

    @Override
    public final String describe() {
        return gateway.describe() + " + " + companion();
    }

    @Override
    public final void close() {
        gateway.close();
        closeCompanion();
    }
}
