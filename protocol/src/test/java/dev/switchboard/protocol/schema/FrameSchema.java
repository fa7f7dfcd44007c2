package dev.switchboard.protocol.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.switchboard.protocol.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The protocol schema ({@code switchboard.schema.json}) as the tests use it: every frame a test client sends or
 * receives, every hook request a test backend gets, is checked here, so the server, both SDKs and the schema
 * cannot drift apart without a test failing. Counts what it checked and, when the JVM exits, appends the
 * counts to {@code target/schema-checks.txt} (the build prints the sum).
 */
public final class FrameSchema {

    private static final String RESOURCE = "/dev/switchboard/protocol/switchboard.schema.json";
    private static final JsonNode DOCUMENT = load();
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final Map<String, Schema> SCHEMAS = new ConcurrentHashMap<>();
    private static final Map<String, AtomicLong> COUNTS = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(FrameSchema::report, "frame-schema-report"));
    }

    private FrameSchema() {
    }

    /** A server -> client text frame (the bare {@code pong} of the compatibility shim is not JSON: skipped). */
    public static void serverFrame(String text) {
        if (!"pong".equals(text)) {
            check("ServerFrame", parse(text), "server frame");
        }
    }

    /** A client -> server frame as an SDK sends it (the bare {@code ping} of the shim skipped), data included. */
    public static void clientFrame(String text) {
        if (!"ping".equals(text)) {
            check("ClientFrame", parse(text), "client frame");
        }
    }

    /** A client -> server frame of a test that may send wrong data on purpose: the envelope only. */
    public static void clientEnvelope(JsonNode frame) {
        check("ClientEnvelope", frame, "client frame");
    }

    /** The data of the reply to a built-in {@code type} (nothing to check for other types). */
    public static void replyData(String type, JsonNode data) {
        if (type.isEmpty() || !type.chars().allMatch(Character::isLetter)) {
            return; // an application's type (app.add): its reply is the application's
        }
        String name = Character.toUpperCase(type.charAt(0)) + type.substring(1) + "Reply";
        if (DOCUMENT.path("$defs").has(name)) {
            check(name, data, "reply data");
        }
    }

    /** A backend hook's request body, by its definition name (e.g. {@code HookConnectRequest}). */
    public static void hook(String definition, JsonNode body) {
        check(definition, body, "hook body");
    }

    /**
     * Checks an SDK's frames as they pass (on its I/O thread), keeping the first mismatch for the test's end
     * instead of throwing into the network code. {@code checkReceived}: the peer is a real gateway (a scripted
     * server sends what its test wants); frames containing a {@link #tolerate} marker are off the schema on
     * purpose (a test of the server's refusal).
     */
    public static final class Tap {
        private final boolean checkReceived;
        private volatile String tolerated;
        private volatile AssertionError first;

        public Tap(boolean checkReceived) {
            this.checkReceived = checkReceived;
        }

        public Tap tolerate(String marker) {
            this.tolerated = marker;
            return this;
        }

        public void sent(String frame) {
            String marker = tolerated;
            if (marker == null || !frame.contains(marker)) {
                keep(() -> clientFrame(frame));
            }
        }

        public void received(String frame) {
            if (checkReceived) {
                keep(() -> serverFrame(frame));
            }
        }

        private void keep(Runnable check) {
            try {
                check.run();
            } catch (AssertionError e) {
                if (first == null) {
                    first = e;
                }
            }
        }

        /** Fails with the first frame that did not match. */
        public void assertClean() {
            if (first != null) {
                throw first;
            }
        }
    }

    /** The problems of {@code node} against the definition {@code name}; empty when it is valid. */
    public static List<String> problems(String name, JsonNode node) {
        return schema(name).validate(node).stream().map(FrameSchema::describe).toList();
    }

    private static void check(String name, JsonNode node, String kind) {
        List<String> problems = problems(name, node);
        COUNTS.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
        if (!problems.isEmpty()) {
            throw new AssertionError("the " + kind + " does not match the protocol schema's " + name + ": "
                    + problems + "\n  " + Json.text(node));
        }
    }

    private static Schema schema(String name) {
        return SCHEMAS.computeIfAbsent(name, n -> {
            if (!DOCUMENT.path("$defs").has(n)) {
                throw new IllegalArgumentException("the protocol schema defines no " + n);
            }
            ObjectNode root = DOCUMENT.deepCopy();
            root.put("$ref", "#/$defs/" + n);
            return REGISTRY.getSchema(root);
        });
    }

    private static String describe(Error e) {
        return e.getInstanceLocation() + ": " + e.getMessage();
    }

    private static JsonNode parse(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private static JsonNode load() {
        try (InputStream in = FrameSchema.class.getResourceAsStream(RESOURCE)) {
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void report() {
        if (COUNTS.isEmpty()) {
            return;
        }
        String line = COUNTS.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey().replace(' ', '_') + "=" + e.getValue().get())
                .collect(Collectors.joining(" ", "java ", System.lineSeparator()));
        try {
            Path target = Path.of("target");
            if (Files.isDirectory(target)) {
                Files.writeString(target.resolve("schema-checks.txt"), line.toLowerCase(Locale.ROOT),
                        StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
        } catch (IOException ignored) {
            // a report that cannot be written loses a count, never a test
        }
    }
}
