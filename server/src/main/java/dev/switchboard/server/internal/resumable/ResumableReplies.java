package dev.switchboard.server.internal.resumable;

import dev.switchboard.protocol.Envelope;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Json;
import dev.switchboard.protocol.MessageTypes;
import dev.switchboard.protocol.ProtocolException;
import dev.switchboard.server.app.HandlerOptions;
import dev.switchboard.server.engine.NodeDirectory;
import dev.switchboard.server.engine.NodeInfo;
import dev.switchboard.server.internal.handlers.BuiltinContext;
import dev.switchboard.server.internal.routing.Client;
import dev.switchboard.server.internal.routing.EndpointRoutes;
import dev.switchboard.server.internal.routing.ReplyOutput;
import dev.switchboard.server.internal.routing.ReplyOutputs;
import dev.switchboard.server.streams.StreamOffsets;
import dev.switchboard.server.streams.StreamSpec;
import dev.switchboard.server.streams.StreamState;
import dev.switchboard.server.streams.StreamStore;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Resumable replies: a request that asks for one ({@code "resumable": true}, or every request of an endpoint
 * configured so) has its answer written to a Durable Stream ({@code replies/ID}) as it is produced, and
 * {@code resume} reads any stream (a reply, or any Durable Stream the connection may read) from an offset, on
 * any node. The handlers do not know: in-process ones, the RPC hook and {@code llm.chat} answer as always.
 */
public final class ResumableReplies implements ReplyOutputs, AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final StreamStore store;
    private final String nodeId;
    private final NodeDirectory nodes;
    private final Duration ttl;
    private final Duration maxDuration;
    private final Duration livenessInterval;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "resumable-replies");
        t.setDaemon(true);
        return t;
    });
    /** The replies this node is producing now, by stream. */
    private final ConcurrentHashMap<String, ReplyProducer> producing = new ConcurrentHashMap<>();

    /**
     * @param ttl              a reply stream's idle time-to-live
     * @param maxDuration      how long a reply may keep producing
     * @param livenessInterval how often a quiet reader checks that a reply's producing node is still there
     */
    public ResumableReplies(StreamStore store, String nodeId, NodeDirectory nodes, Duration ttl, Duration maxDuration,
                            Duration livenessInterval) {
        this.store = store;
        this.nodeId = nodeId;
        this.nodes = nodes;
        this.ttl = ttl;
        this.maxDuration = maxDuration;
        this.livenessInterval = livenessInterval;
    }

    /** Serves {@code resume} on an endpoint and opens its resumable replies. */
    public void install(EndpointRoutes endpoint) {
        endpoint.replies(this);
        endpoint.builtin(MessageTypes.RESUME, this::resume, HandlerOptions.DEFAULT);
    }

    @Override
    public ReplyOutput open(Client client, Envelope msg, Stoppable request, boolean byDefault) {
        if (!msg.resumable() && !byDefault) {
            return null;
        }
        return new ReplyProducer(this, client, msg.id(), msg.type(), request);
    }

    /** {@code {type:"resume", data:{stream, offset?}}}: follow the stream from the offset (its start when absent). */
    private void resume(BuiltinContext ctx, Envelope msg) {
        String path = msg.requireText("stream");
        String offset = msg.optionalText("offset");
        long position = offset == null || offset.equals("-1") ? StreamOffsets.START : StreamOffsets.parse(offset);
        if (position < 0) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "data.offset must be -1 or an offset the gateway gave");
        }
        ctx.defer();
        store.state(path, false).whenComplete((state, e) -> {
            if (e != null) {
                ctx.fail(e);
            } else if (state == null || state.softDeleted()) {
                ctx.error(ErrorCode.NOT_FOUND.code(), "no stream " + path + " (finished long ago, or never)");
            } else if (!mayRead(ctx, state)) {
                ctx.error(ErrorCode.FORBIDDEN.code(), "this connection may not read " + path);
            } else {
                new StreamFollower(this, ctx, msg.id(), path, position).start();
            }
        });
    }

    private static boolean mayRead(BuiltinContext ctx, StreamState state) {
        return state.readableBy(ctx.user(), ctx.connection().permissions()::maySubscribe);
    }

    /** Whether the node producing {@code path} is still there to finish it. */
    CompletableFuture<Boolean> producerAlive(String node, String path) {
        if (node.equals(nodeId)) {
            return CompletableFuture.completedFuture(producing.containsKey(path));
        }
        return nodes.nodes().thenApply(all -> all.stream().map(NodeInfo::node).anyMatch(node::equals))
                .exceptionally(e -> true); // the directory is out of reach: no verdict, ask again later
    }

    /** The node named by a reply's first message. */
    CompletableFuture<String> producerOf(String path) {
        return store.read(path, StreamOffsets.START).thenApply(chunk -> {
            if (chunk == null || chunk.messages().isEmpty()) {
                return null;
            }
            String first = new String(chunk.messages().get(0).data(), StandardCharsets.UTF_8);
            return Json.parse(first.getBytes(StandardCharsets.UTF_8)).path("node").asText(null);
        });
    }

    StreamStore store() {
        return store;
    }

    String nodeId() {
        return nodeId;
    }

    ScheduledExecutorService timers() {
        return timers;
    }

    Duration maxDuration() {
        return maxDuration;
    }

    Duration livenessInterval() {
        return livenessInterval;
    }

    StreamSpec spec(String owner) {
        return new StreamSpec(ReplyLog.CONTENT_TYPE, Math.max(1, ttl.toSeconds()), null, false, owner);
    }

    String newId() {
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(id);
    }

    void producing(String path, ReplyProducer producer) {
        producing.put(path, producer);
    }

    void done(String path) {
        producing.remove(path);
    }

    /** Replies being produced on this node (for metrics and tests). */
    public int producing() {
        return producing.size();
    }

    @Override
    public void close() {
        timers.shutdownNow();
    }
}
