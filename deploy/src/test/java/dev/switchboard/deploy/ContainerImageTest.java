package dev.switchboard.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.deploy.Processes.Duration;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image, built by podman from deploy/Containerfile (on local stand-ins for its public bases: this machine
 * reaches no registry) and run as a user would: a config file mounted, the published port, health and
 * readiness, a WebSocket round trip and an HTTP publish, then {@code podman stop} and a clean drain.
 */
@Tag("multi-process")
class ContainerImageTest {

    private static final String IMAGE = "localhost/switchboard:it";
    private static final String SECRET = "image-test-secret-image-test-secret!";
    private static final String API_KEY = "image-test-api-key";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path config;

    private static String podman(long seconds, String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "podman";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Processes.Result r = Processes.run(Duration.seconds(seconds),
                Map.of("CONTAINERS_CONF", Processes.root().resolve("deploy/containers.conf").toString()), List.of(cmd));
        if (r.code() != 0) {
            throw new AssertionError("podman " + String.join(" ", args) + " exited " + r.code() + ":\n" + r.out());
        }
        return r.out();
    }

    @Test
    void theImageServesPublishesAndDrainsUnderPodman() throws Exception {
        boolean podman = Processes.run(Duration.seconds(30), "podman", "--version").code() == 0;
        assumeTrue(podman || System.getenv("CI") == null, "podman is missing (scripts/install-deps.sh installs it)");
        long buildStart = System.nanoTime();
        Processes.ok(Duration.seconds(900), "bash", "deploy/image.sh", "build-local", IMAGE);
        long buildMillis = (System.nanoTime() - buildStart) / 1_000_000;
        long size = Long.parseLong(podman(60, "image", "inspect", "--format", "{{.Size}}", IMAGE).trim());
        String user = podman(60, "image", "inspect", "--format", "{{.Config.User}}", IMAGE).trim();
        assertEquals("65532:65532", user, "the image runs as a non-root user");
        String labels = podman(60, "image", "inspect", "--format", "{{json .Labels}}", IMAGE);
        assertTrue(labels.contains("org.opencontainers.image.revision") && labels.contains("org.opencontainers.image.version"),
                labels);

        Files.writeString(config.resolve("switchboard.yaml"), """
                server: {host: 0.0.0.0, port: 8080}
                auth: {tokenSecret: "%s"}
                api: {keys: [%s]}
                timeouts: {shutdownDelay: 1s, shutdownSpread: 1s}
                namespaces: {chat: {history: {size: 10, ttl: 1m}}}
                """.formatted(SECRET, API_KEY));
        // The gateway runs as uid 65532 in the container: it must be able to read the mounted file.
        Files.setPosixFilePermissions(config, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(config.resolve("switchboard.yaml"),
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String name = "switchboard-it-" + ProcessHandle.current().pid();
        long runStart = System.nanoTime();
        podman(120, "run", "-d", "--name", name, "-p", "127.0.0.1:" + port + ":8080",
                "-v", config + ":/etc/switchboard:ro", IMAGE);
        try {
            String base = "http://127.0.0.1:" + port;
            long readyMillis = -1;
            for (int i = 0; i < 600 && readyMillis < 0; i++) {
                try {
                    if (get(base + "/readyz").statusCode() == 200) {
                        readyMillis = (System.nanoTime() - runStart) / 1_000_000;
                    }
                } catch (java.io.IOException notYet) {
                    // the port is published before the gateway listens
                }
                if (readyMillis < 0) {
                    Thread.sleep(50); // polling a container that starts: nothing to latch on across the process
                }
            }
            assertTrue(readyMillis >= 0, "ready within 30 s:\n" + podman(30, "logs", name));
            assertEquals(200, get(base + "/healthz").statusCode());

            BlockingQueue<String> frames = new LinkedBlockingQueue<>();
            CompletableFuture<Integer> closed = new CompletableFuture<>();
            WebSocket ws = HTTP.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws?token="
                    + ticket("alice")), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                            frames.add(data.toString());
                            w.request(1);
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
                            closed.complete(code);
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);
            assertTrue(next(frames).contains("\"type\":\"welcome\""));
            ws.sendText("{\"id\":\"1\",\"type\":\"subscribe\",\"data\":{\"channel\":\"news:image\"}}", true);
            assertTrue(next(frames).contains("\"re\":\"1\""));
            HttpResponse<String> published = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/publish"))
                    .header("Authorization", "Bearer " + API_KEY)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"channel\":\"news:image\",\"data\":{\"from\":\"api\"}}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, published.statusCode(), published.body());
            String message = next(frames);
            assertTrue(message.contains("\"channel\":\"news:image\"") && message.contains("\"from\":\"api\""), message);

            long stopStart = System.nanoTime();
            podman(60, "stop", "-t", "30", name);
            long stopMillis = (System.nanoTime() - stopStart) / 1_000_000;
            assertEquals(1012, closed.get(10, TimeUnit.SECONDS), "closed as restarting, to reconnect elsewhere");
            String logs = podman(30, "logs", name);
            assertTrue(logs.contains("shutting down: not ready") && logs.contains("stopped: 1 connection(s) closed"), logs);

            String figures = "image " + IMAGE + ": " + size + " bytes (" + size / (1 << 20) + " MiB); built in "
                    + buildMillis + " ms; podman run to /readyz 200: " + readyMillis + " ms; podman stop (1 s delay,"
                    + " 1 s spread): " + stopMillis + " ms\n";
            Files.writeString(Path.of("target", "image-figures.txt"), figures);
            System.out.print(figures);
        } finally {
            Processes.run(Duration.seconds(60), Map.of("CONTAINERS_CONF",
                    Processes.root().resolve("deploy/containers.conf").toString()), List.of("podman", "rm", "-f", name));
        }
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(java.time.Duration.ofSeconds(2)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String next(BlockingQueue<String> frames) throws InterruptedException {
        String f = frames.poll(10, TimeUnit.SECONDS);
        if (f == null) {
            throw new AssertionError("no frame within 10 s");
        }
        return f;
    }

    private static String ticket(String user) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject(user)
                .expirationTime(new Date(System.currentTimeMillis() + 60_000)).build());
        jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }
}
