package dev.switchboard.spring;

import dev.switchboard.server.Gateway;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the gateway with the application context (after every other bean is ready: the last phase) and
 * drains it first when the context closes, the way its SIGTERM does: /readyz and the health contributor report
 * out of service, connections close with 1012 over {@code shutdown-spread}, then the engines stop. A gateway that
 * never started (a context that failed) is still closed, so its engine connections do not leak.
 */
final class GatewayLifecycle implements SmartLifecycle, DisposableBean {

    private final Gateway gateway;
    private volatile boolean running;
    private boolean closed;

    GatewayLifecycle(Gateway gateway) {
        this.gateway = gateway;
    }

    @Override
    public synchronized void start() {
        try {
            gateway.start();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the gateway started", e);
        }
        running = true;
    }

    @Override
    public void stop() {
        close(true);
    }

    @Override
    public void destroy() {
        close(false);
    }

    private synchronized void close(boolean drain) {
        running = false;
        if (closed) {
            return;
        }
        closed = true;
        if (drain) {
            gateway.shutdown();
        } else {
            gateway.close();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
