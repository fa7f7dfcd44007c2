package dev.switchboard.server.streams.redis;

import dev.switchboard.server.streams.StreamFork;
import dev.switchboard.server.streams.StreamSpec;
import dev.switchboard.server.streams.StreamState;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The store's Lua scripts (each the shared {@code common.lua} followed by its own text), called by SHA and
 * re-sent whole when Redis does not know them (after a restart or a {@code SCRIPT FLUSH}); and the decoding of
 * their answers. Every script's first key is the stream's state hash, so Redis routes it; the others it
 * derives carry the same hash tag.
 */
final class StreamScripts {

    /** A stream state's values in a script's answer: ct ttl exp closed soft tail fsrc fpos fsub owner. */
    static final int STATE_FIELDS = 10;

    private record Script(byte[] text, String sha) {
    }

    private final RedisAsyncCommands<byte[], byte[]> redis;
    private final String base;
    private final Script create = load("create.lua");
    private final Script append = load("append.lua");
    private final Script read = load("read.lua");
    private final Script state = load("state.lua");
    private final Script delete = load("delete.lua");
    private final Script sweep = load("sweep.lua");

    StreamScripts(RedisAsyncCommands<byte[], byte[]> redis, String base) {
        this.redis = redis;
        this.base = base;
    }

    CompletableFuture<List<Object>> create(String path, List<String> args, List<byte[]> messages) {
        List<byte[]> all = new ArrayList<>();
        args.forEach(a -> all.add(bytes(a)));
        all.addAll(messages);
        return run(create, ScriptOutputType.MULTI, path, all);
    }

    CompletableFuture<List<Object>> append(String path, List<byte[]> args) {
        return run(append, ScriptOutputType.MULTI, path, args);
    }

    CompletableFuture<List<Object>> read(String path, long after, int budget) {
        return run(read, ScriptOutputType.MULTI, path, List.of(bytes(path), bytes(Long.toString(after)),
                bytes(Integer.toString(budget))));
    }

    CompletableFuture<List<Object>> state(String path, boolean touch) {
        return run(state, ScriptOutputType.MULTI, path, List.of(bytes(path), bytes(touch ? "1" : "0")));
    }

    CompletableFuture<String> delete(String path) {
        return this.<byte[]>run(delete, ScriptOutputType.VALUE, path, List.of(bytes(path))).thenApply(StreamScripts::string);
    }

    CompletableFuture<Long> sweep(int max) {
        return run(sweep, ScriptOutputType.INTEGER, "", List.of(bytes(Integer.toString(max))));
    }

    /** EVALSHA, falling back to EVAL once when the script is not cached; failures become "unavailable". */
    private <T> CompletableFuture<T> run(Script script, ScriptOutputType type, String path, List<byte[]> args) {
        byte[][] keys = {bytes(base + "m:" + path)};
        byte[][] values = new byte[args.size() + 1][];
        values[0] = bytes(base);
        for (int i = 0; i < args.size(); i++) {
            values[i + 1] = args.get(i);
        }
        CompletableFuture<T> bySha = redis.<T>evalsha(script.sha, type, keys, values).toCompletableFuture();
        return bySha.handle((result, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(result);
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof RedisNoScriptException) {
                return redis.<T>eval(script.text, type, keys, values).toCompletableFuture();
            }
            return CompletableFuture.<T>failedFuture(cause);
        }).thenCompose(f -> f).exceptionally(e -> {
            throw new CompletionException(RedisStreamStore.unavailable(
                    e instanceof CompletionException && e.getCause() != null ? e.getCause() : e));
        });
    }

    /** A state from a script's answer, its values starting at {@code from}. */
    static StreamState state(String path, List<Object> r, int from) {
        String ct = string(r.get(from));
        String ttl = string(r.get(from + 1));
        String exp = string(r.get(from + 2));
        String fsrc = string(r.get(from + 6));
        String owner = string(r.get(from + 9));
        long fpos = Long.parseLong(string(r.get(from + 7)));
        StreamFork fork = fsrc.isEmpty() ? null : new StreamFork(fsrc, fpos, Long.parseLong(string(r.get(from + 8))));
        StreamSpec spec = new StreamSpec(ct, ttl.isEmpty() ? null : Long.valueOf(ttl), exp.isEmpty() ? null : exp,
                "1".equals(string(r.get(from + 3))), owner.isEmpty() ? null : owner);
        return new StreamState(path, spec, Long.parseLong(string(r.get(from + 5))), spec.closed(),
                "1".equals(string(r.get(from + 4))), fork, fork == null ? 0 : fpos);
    }

    static String string(Object o) {
        return o instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(o);
    }

    static long number(Object o) {
        return o instanceof Long l ? l : Long.parseLong(string(o));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Script load(String name) {
        String text = resource("common.lua") + "\n" + resource(name);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
            return new Script(text.getBytes(StandardCharsets.UTF_8), HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = StreamScripts.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing script resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
