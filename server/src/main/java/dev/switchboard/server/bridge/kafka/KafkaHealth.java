package dev.switchboard.server.bridge.kafka;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the cluster answers, asked every two seconds with a metadata request (the consumer and producer
 * ride out outages silently, so something has to look): drives {@code /readyz} and one log line per change.
 */
final class KafkaHealth implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaHealth.class);

    private final Admin admin;
    private final String bootstrap;
    private final AtomicBoolean reachable = new AtomicBoolean();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kafka-health");
        t.setDaemon(true);
        return t;
    });

    KafkaHealth(Admin admin, String bootstrap) {
        this.admin = admin;
        this.bootstrap = bootstrap;
    }

    void start() {
        timer.scheduleWithFixedDelay(this::probe, 0, 2, TimeUnit.SECONDS);
    }

    private void probe() {
        boolean ok;
        try {
            admin.describeCluster().clusterId().get(2, TimeUnit.SECONDS);
            ok = true;
        } catch (Exception e) {
            ok = false;
        }
        boolean was = reachable.getAndSet(ok);
        if (ok != was) {
            if (ok) {
                log.info("kafka at {} reachable", bootstrap);
            } else {
                log.warn("kafka at {} unreachable: consuming and producing resume when it is back", bootstrap);
            }
        }
    }

    boolean reachable() {
        return reachable.get();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
