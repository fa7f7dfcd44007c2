package dev.switchboard.server.streams.redis;

import dev.switchboard.server.engine.EngineUnavailableException;
import dev.switchboard.server.streams.JsonBatches;
import dev.switchboard.server.streams.StreamAppend;
import dev.switchboard.server.streams.StreamAppended;
import dev.switchboard.server.streams.StreamChunk;
import dev.switchboard.server.streams.StreamCreated;
import dev.switchboard.server.streams.StreamFork;
import dev.switchboard.server.streams.StreamLimits;
import dev.switchboard.server.streams.StreamMessage;
import dev.switchboard.server.streams.StreamSpec;
import dev.switchboard.server.streams.StreamState;
import dev.switchboard.server.streams.StreamStore;
import dev.switchboard.server.streams.StreamTails;
import dev.switchboard.server.streams.SubOffsets;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable Streams in Redis, shared by every node of a cluster: a stream's messages in a Redis Stream (entry
 * IDs are the positions, so an offset read is one {@code XRANGE}), its state in a hash, its producers in
 * another; every operation one Lua script, so producer fencing, sequence checks, closure and the write are
 * atomic across nodes. Changes are announced on one Pub/Sub channel that every node listens to, waking its
 * long-polls and SSE readers; expired streams are swept from a sorted set. Bytes are kept as bytes (binary
 * streams included). What survives is what Redis keeps: see docs/streams.md.
 */
public final class RedisStreamStore implements StreamStore {

    private static final Logger log = LoggerFactory.getLogger(RedisStreamStore.class);

    private final RedisClient client;
    private final StreamScripts scripts;
    private final StatefulRedisPubSubConnection<String, String> pubsub;
    private final StreamTails tails = new StreamTails();
    private final StreamLimits limits;
    private final String base;
    private final ScheduledExecutorService sweeper;

    /**
     * @param uri    the Redis server
     * @param prefix the key prefix ({@code --redis-prefix}); keys are {@code PREFIX:{ds}:...}
     */
    public RedisStreamStore(String uri, String prefix, Duration timeout, StreamLimits limits) {
        this.limits = limits;
        this.base = prefix + ":{ds}:";
        this.client = RedisClient.create(RedisURI.create(uri));
        client.setOptions(ClientOptions.builder().autoReconnect(true)
                .timeoutOptions(TimeoutOptions.enabled(timeout)).build());
        this.scripts = new StreamScripts(client.connect(ByteArrayCodec.INSTANCE).async(), base);
        this.pubsub = client.connectPubSub(StringCodec.UTF8);
        pubsub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String path) {
                tails.changed(path);
            }
        });
        pubsub.sync().subscribe(base + "tail");
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "streams-redis-expiry");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public StreamTails tails() {
        return tails;
    }

    @Override
    public boolean isReady() {
        return pubsub.isOpen();
    }

    // ---- create ---------------------------------------------------------------------------------------------

    @Override
    public CompletableFuture<StreamCreated> create(String path, StreamSpec spec, byte[] initial, StreamFork fork,
                                                   String writer) {
        if (fork != null && (fork.subOffset() > 0 || (spec.contentType() == null && initial.length > 0))) {
            // what the fork inherits past its offset, and the content type its body is read in, are the source's
            return read(fork.source(), fork.offset() == null ? Long.MAX_VALUE : fork.offset()).thenCompose(source -> {
                if (source == null) {
                    return CompletableFuture.completedFuture(StreamCreated.of(StreamCreated.Outcome.SOURCE_NOT_FOUND));
                }
                byte[] prefix = null;
                if (fork.subOffset() > 0) {
                    prefix = SubOffsets.prefix(source, fork.subOffset());
                    if (prefix == null) {
                        return CompletableFuture.completedFuture(StreamCreated.of(StreamCreated.Outcome.BAD_SUB_OFFSET));
                    }
                }
                return createNow(path, spec, initial, fork, writer, prefix, source.state().spec().contentType());
            });
        }
        return createNow(path, spec, initial, fork, writer, null, spec.contentType());
    }

    private CompletableFuture<StreamCreated> createNow(String path, StreamSpec spec, byte[] initial, StreamFork fork,
                                                       String writer, byte[] prefix, String bodyType) {
        List<byte[]> messages = new ArrayList<>(2);
        if (prefix != null) {
            messages.add(prefix);
        }
        if (initial.length > 0) {
            byte[] stored = initial;
            if (StreamSpec.isJson(bodyType)) {
                try {
                    stored = JsonBatches.encode(initial, true);
                } catch (JsonBatches.Refused e) {
                    return CompletableFuture.completedFuture(StreamCreated.of(StreamCreated.Outcome.INVALID_JSON));
                }
            }
            messages.add(stored);
        }
        List<String> args = new ArrayList<>(List.of(path, text(spec.contentType()),
                spec.ttlSeconds() == null ? "" : spec.ttlSeconds().toString(), text(spec.expiresAt()),
                spec.expiresAt() == null ? "" : Long.toString(OffsetDateTime.parse(spec.expiresAt()).toInstant().toEpochMilli()),
                spec.closed() ? "1" : "0", text(spec.owner()), text(writer),
                fork == null ? "" : fork.source(), fork == null || fork.offset() == null ? "-1" : fork.offset().toString(),
                fork == null ? "0" : Long.toString(fork.subOffset()), Integer.toString(limits.streams()),
                Integer.toString(limits.streamsPerWriter()), Long.toString(limits.streamBytes())));
        return scripts.create(path, args, messages).thenApply(r -> {
            StreamCreated.Outcome outcome = StreamCreated.Outcome.valueOf(StreamScripts.string(r.get(0)));
            return r.size() == 1 ? StreamCreated.of(outcome) : new StreamCreated(outcome, StreamScripts.state(path, r, 1));
        });
    }

    // ---- append, delete -------------------------------------------------------------------------------------

    @Override
    public CompletableFuture<StreamAppended> append(String path, StreamAppend append) {
        byte[] data = append.data();
        if (data.length > 0 && StreamSpec.isJson(append.contentType())) {
            try {
                data = JsonBatches.encode(data, false);
            } catch (JsonBatches.Refused e) {
                return CompletableFuture.completedFuture(StreamAppended.of(
                        e.emptyArray() ? StreamAppended.Outcome.EMPTY_ARRAY : StreamAppended.Outcome.INVALID_JSON));
            }
        }
        var p = append.producer();
        List<byte[]> args = List.of(bytes(path), data, bytes(text(append.contentType())), bytes(text(append.seq())),
                bytes(p == null ? "" : p.id()), bytes(p == null ? "0" : Long.toString(p.epoch())),
                bytes(p == null ? "0" : Long.toString(p.seq())), bytes(append.close() ? "1" : "0"),
                bytes(Long.toString(limits.streamBytes())));
        return scripts.append(path, args).thenApply(r -> {
            StreamAppended result = new StreamAppended(StreamAppended.Outcome.valueOf(StreamScripts.string(r.get(0))),
                    StreamScripts.number(r.get(1)), StreamScripts.number(r.get(2)) == 1, StreamScripts.number(r.get(3)),
                    StreamScripts.number(r.get(4)), StreamScripts.number(r.get(5)));
            if (result.outcome() == StreamAppended.Outcome.APPENDED) {
                tails.changed(path); // this node's readers at once; the others hear it on the channel
            }
            return result;
        });
    }

    @Override
    public CompletableFuture<StreamAppended.Outcome> delete(String path) {
        return scripts.delete(path).thenApply(outcome -> switch (outcome) {
            case "NOT_FOUND" -> StreamAppended.Outcome.NOT_FOUND;
            case "GONE" -> StreamAppended.Outcome.GONE;
            default -> StreamAppended.Outcome.APPENDED;
        });
    }

    // ---- state and reads ------------------------------------------------------------------------------------

    @Override
    public CompletableFuture<StreamState> state(String path, boolean touch) {
        return scripts.state(path, touch).thenApply(r -> StreamScripts.number(r.get(0)) == 0 ? null
                : StreamScripts.state(path, r, 1));
    }

    @Override
    public CompletableFuture<StreamChunk> read(String path, long position) {
        return scripts.read(path, position, limits.readBytes()).thenApply(r -> {
            if (StreamScripts.number(r.get(0)) == 0) {
                return null;
            }
            StreamState state = StreamScripts.state(path, r, 1);
            List<StreamMessage> messages = new ArrayList<>();
            for (int i = 1 + StreamScripts.STATE_FIELDS; i + 1 < r.size(); i += 2) {
                messages.add(new StreamMessage(Long.parseLong(StreamScripts.string(r.get(i))), (byte[]) r.get(i + 1)));
            }
            long next = messages.isEmpty() ? state.tail() : messages.get(messages.size() - 1).end();
            return new StreamChunk(messages, state, next >= state.tail());
        });
    }

    private void sweep() {
        try {
            scripts.sweep(100).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.debug("stream expiry sweep failed: {}", e.toString());
        }
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        pubsub.close();
        client.shutdown();
    }

    /** Redis errors as the storage being unavailable (503 to clients), never as a silent success. */
    static Throwable unavailable(Throwable e) {
        return e instanceof EngineUnavailableException ? e : new EngineUnavailableException("stream storage: " + e.getMessage(), e);
    }
}
