package dev.switchboard.server.internal.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.Frames;
import dev.switchboard.protocol.Json;
import dev.switchboard.protocol.Publication;
import dev.switchboard.server.engine.BatchEntry;
import dev.switchboard.server.engine.Broker;
import dev.switchboard.server.engine.BrokerListener;
import dev.switchboard.server.engine.Engines;
import dev.switchboard.server.engine.NodeInfo;
import dev.switchboard.server.engine.PresenceListener;
import dev.switchboard.server.engine.Target;
import dev.switchboard.server.internal.observe.Tracing;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's delivery centre: the one front through which publications and targeted frames leave for the
 * {@link Broker}, and the {@link BrokerListener} through which every node's come back to this node's sockets.
 * Every delivery goes out through the broker and comes back, so one node and many nodes take the same path.
 * Who is connected lives in {@link LocalRegistry}, who is in which channel in {@link ChannelMembership}.
 */
public final class Hub implements BrokerListener, PresenceListener {

    private static final Logger log = LoggerFactory.getLogger(Hub.class);

    private final Engines engines;
    private final Broker broker;
    private final LocalRegistry registry;
    private final ChannelMembership membership;
    private final Recovery recovery;
    private final ChannelFormats formats;
    private final Clock clock;
    private final Counter delivered;
    private final Counter publications;
    private final Publisher publisher;
    private volatile Tracing tracing = Tracing.OFF;

    public Hub(Engines engines, LocalRegistry registry, ChannelMembership membership, Clock clock, MeterRegistry metrics) {
        this.engines = engines;
        this.broker = engines.broker();
        this.registry = registry;
        this.membership = membership;
        this.recovery = membership.recovery();
        this.formats = membership.formats();
        this.clock = clock;
        this.publisher = new Publisher(broker);
        this.delivered = Counter.builder("switchboard.messages.delivered")
                .description("frames written to sockets by fan-out").register(metrics);
        this.publications = Counter.builder("switchboard.publications")
                .description("channel publications received from the engine").register(metrics);
    }

    /** Starts the engines, wired to this hub; {@code nodeId} names this node in their reports. */
    public void start(String nodeId) {
        engines.start(this, this, () -> new NodeInfo(nodeId, registry.connectionCount(), registry.userCount(),
                System.currentTimeMillis()));
    }

    /** Spans for publishes and deliveries ({@link Tracing#OFF} unless tracing is on). */
    public void tracing(Tracing tracing) {
        this.tracing = tracing;
        publisher.tracing(tracing);
    }

    /** The publish front: publications into the engine, their spans and their listeners. */
    public Publisher publisher() {
        return publisher;
    }

    /**
     * Sends a message to every connection of a user (the frame names the user in {@code to}), or to one
     * connection or browser session (the frame is addressed to the socket, no {@code to}), wherever they are.
     */
    public CompletableFuture<Void> send(Target target, String from, JsonNode data) {
        if (target.kind() == Target.Kind.USER) {
            return deliver(target, Frames.directMessage(target.id(), clock.millis(), from, data));
        }
        ObjectNode frame = Frames.directMessage(null, clock.millis(), from, data);
        frame.remove("broadcast");
        return deliver(target, frame);
    }

    /** Sends a message to every connection on {@code endpoint} (every endpoint when null), except {@code exclude}. */
    public CompletableFuture<Void> broadcast(String endpoint, String exclude, String from, JsonNode data) {
        return deliver(Target.all(endpoint, exclude), Frames.directMessage(null, clock.millis(), from, data));
    }

    /** Encodes {@code frame} once and hands it to the engine for every node. */
    private CompletableFuture<Void> deliver(Target target, ObjectNode frame) {
        return broker.deliver(target, Json.bytes(frame));
    }

    /** Closes matching connections on every node. */
    public CompletableFuture<Void> disconnect(Target target, int code, String reason) {
        return broker.disconnect(target, code, reason);
    }

    // ---- engine callbacks ------------------------------------------------------------------------------

    @Override
    public void onPublication(Publication p) {
        publications.increment();
        Collection<Connection> targets = registry.subscribers(p.channel());
        if (targets.isEmpty()) {
            return;
        }
        ChannelFormats.Outgoing out = formats.publication(p, targets);
        byte[] frame = out.frame();
        targets = out.recipients();
        if (recovery.active()) {
            targets = recovery.pass(p, targets);
        }
        Span span = !tracing.enabled() ? null : tracing.start("deliver " + p.channel(), SpanKind.CONSUMER,
                Context.current()).setAttribute(Tracing.CHANNEL, p.channel()).setAttribute(Tracing.OFFSET, p.offset())
                .setAttribute(Tracing.RECIPIENTS, (long) targets.size());
        FanOut.write(targets, frame); // handed to the connections' event loops: the span ends at the hand-off
        delivered.increment(targets.size());
        if (span != null) {
            span.end();
        }
    }

    @Override
    public void onDelivery(Target target, byte[] frame) {
        Collection<Connection> targets = registry.resolve(target);
        FanOut.write(targets, frame);
        delivered.increment(targets.size());
    }

    @Override
    public void onDisconnect(Target target, int code, String reason) {
        for (Connection c : registry.resolve(target)) {
            c.close(code, reason);
        }
    }

    @Override
    public void onPresenceExpired(String channel, String user) {
        membership.presenceExpired(channel, user);
    }

    @Override
    public void onPresenceRestored(String channel, String user) {
        membership.presenceRestored(channel, user);
    }
}
