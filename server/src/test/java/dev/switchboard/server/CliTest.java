package dev.switchboard.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.server.internal.auth.Permissions;
import dev.switchboard.server.internal.auth.Ticket;
import dev.switchboard.server.internal.auth.TicketVerifier;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator's command line: checkconfig, genconfig, gentoken, version, run --print-config and its refusals. */
class CliTest {

    private static final String SECRET = "cli-test-secret-cli-test-secret-32b";

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private static Run run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, env, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void checkconfigListsEveryProblemWithFileLineAndKeyAndExitsOne() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, """
                server:
                  port: abc
                  endpoints: [/ws, nopath]
                auth:
                  tokenSecret: short
                engine: {type: mongo}
                """);
        Run r = run(Map.of(), "checkconfig", file.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains(file + ":2: server.port: 'abc' is not an int"), r.err());
        assertTrue(r.err().contains("server.endpoints (--endpoint): endpoint path must start with /: nopath"), r.err());
        assertTrue(r.err().contains("auth.tokenSecret (--token-secret): --token-secret must be at least 32 bytes"), r.err());
        assertTrue(r.err().contains("engine.type (--engine): 'mongo' is not one of memory, redis"), r.err());
        assertTrue(r.err().contains("4 problems in " + file), r.err());

        Path good = dir.resolve("good.yaml");
        Files.writeString(good, "auth: {tokenSecret: \"" + SECRET + "\"}\nnamespaces: {chat: {presence: true}}\n");
        Run ok = run(Map.of(), "checkconfig", good.toString());
        assertEquals(0, ok.code(), ok.err());
        assertEquals(good + ": ok\n", ok.out());
    }

    @Test
    void genconfigIsAFileCheckconfigAcceptsOnceASecretIsSet() throws Exception {
        Run gen = run(Map.of(), "genconfig");
        assertEquals(0, gen.code());
        assertTrue(gen.out().contains("  # Server ping period (default: 25s). [--ping-interval]\n  pingInterval: 25s\n"), gen.out());
        Path file = dir.resolve("gen.yaml");
        Files.writeString(file, gen.out().replace("  # tokenSecret:\n", "  tokenSecret: \"" + SECRET + "\"\n"));
        Run check = run(Map.of(), "checkconfig", file.toString());
        assertEquals(0, check.code(), check.err());
    }

    @Test
    void gentokenSignsWithTheConfiguredSecret() throws Exception {
        Path file = dir.resolve("sb.yaml");
        Files.writeString(file, "auth: {tokenSecret: \"" + SECRET + "\"}\n");
        Run r = run(Map.of(), "gentoken", "--user", "alice", "--ttl", "10m", "--channels", "chat:*,user:alice",
                "--config", file.toString());
        assertEquals(0, r.code(), r.err());
        Ticket t = TicketVerifier.hmac(SECRET.getBytes(StandardCharsets.UTF_8), Permissions.NONE, Clock.systemUTC())
                .verify(r.out().trim());
        assertEquals("alice", t.user());
        assertTrue(t.permissions().maySubscribe("chat:lobby") && !t.permissions().maySubscribe("user:bob"));
        assertTrue(t.expiresAt() - System.currentTimeMillis() > 9 * 60_000);

        Run fromEnv = run(Map.of("SWITCHBOARD_TOKEN_SECRET", SECRET), "gentoken", "--user", "bob");
        assertEquals("bob", TicketVerifier.hmac(SECRET.getBytes(StandardCharsets.UTF_8), Permissions.NONE,
                Clock.systemUTC()).verify(fromEnv.out().trim()).user());
        Run none = run(Map.of(), "gentoken", "--user", "bob");
        assertEquals(2, none.code());
        assertTrue(none.err().contains("no HS256 secret"), none.err());
    }

    @Test
    void versionSaysWhatThisBuildAndMachineUse() {
        Run r = run(Map.of(), "version");
        assertEquals(0, r.code());
        String[] lines = r.out().split("\n");
        assertTrue(lines[0].matches("switchboard \\S+ \\(revision \\S+\\)"), lines[0]);
        assertTrue(lines[1].startsWith("JDK " + Runtime.version()), lines[1]);
        assertTrue(lines[2].startsWith("transport: ") && lines[2].contains("TLS: "), lines[2]);
    }

    @Test
    void runPrintsTheEffectiveConfigurationWithSecretsMaskedAndWarnsOfUnknownVariables() throws Exception {
        Path file = dir.resolve("sb.yaml");
        Files.writeString(file, "server: {port: 9123}\nauth: {tokenSecret: \"" + SECRET + "\"}\napi: {keys: [key-one]}\n");
        Run r = run(Map.of("SWITCHBOARD_PROT", "1", "SWITCHBOARD_PING_INTERVAL", "11s"),
                "run", "--config", file.toString(), "--print-config", "--rate-limit", "7");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("  port: 9123\n") && r.out().contains("  pingInterval: 11s\n")
                && r.out().contains("  rateLimit: 7.0\n"), r.out());
        assertFalse(r.out().contains(SECRET) || r.out().contains("key-one"), r.out());
        assertTrue(r.err().contains("SWITCHBOARD_PROT names no option; it is ignored"), r.err());
    }

    @Test
    void runStartsNothingWhileTheConfigurationHasAProblem() throws Exception {
        Path file = dir.resolve("sb.yaml");
        Files.writeString(file, "server: {port: 0, prot: 1}\n");
        Run r = run(Map.of(), "run", "--dev", "--config", file.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains(file + ":1: server.prot: unknown key"), r.err());
        assertTrue(r.err().contains("not started (1 problem)"), r.err());
        Run noKey = run(Map.of(), "run", "--port", "0");
        assertEquals(2, noKey.code());
        assertTrue(noKey.err().contains("no ticket key"), noKey.err());
    }

    /** The start-up line names dev mode's API key only when it is the one in force. */
    @Test
    void theStartUpLineNamesTheDevApiKeyOnlyWhenItIsTheKeyInForce() throws InterruptedException {
        for (boolean ownKey : new boolean[] {false, true}) {
            dev.switchboard.server.config.GatewayConfig config = new dev.switchboard.server.config.GatewayConfig();
            config.dev = true;
            config.host = "127.0.0.1";
            config.port = 0;
            if (ownKey) {
                config.apiKeys = new java.util.ArrayList<>(java.util.List.of("my-own-key"));
            }
            try (Gateway gateway = new Gateway(config).start()) {
                String line = RunCommand.banner(gateway, config);
                org.junit.jupiter.api.Assertions.assertEquals(!ownKey, line.contains(Gateway.DEV_API_KEY), line);
                org.junit.jupiter.api.Assertions.assertFalse(line.contains("my-own-key"), "a key is never printed: " + line);
            }
        }
    }
}
