package dev.switchboard.server.support;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.Json;
import dev.switchboard.server.Gateway;
import dev.switchboard.server.config.GatewayConfig;
import dev.switchboard.server.engine.Engines;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Consumer;

/** An in-process gateway on a random loopback port, in dev mode, with helpers to talk to it. */
public final class TestGateway implements AutoCloseable {

    public static final String SECRET = "test-secret-test-secret-test-secret!";
    private final Gateway gateway;
    /**
     * Its own client, closed with it: a client shared by every test kept pooled connections to gateways already
     * closed, and when a new gateway got the same port, a request could take such a connection just as its EOF
     * arrived ("HTTP/1.1 header parser received no bytes").
     */
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestGateway(Gateway gateway) {
        this.gateway = gateway;
    }

    /** Starts a gateway; {@code tweak} may change the config. */
    public static TestGateway start(Consumer<GatewayConfig> tweak) {
        return start(tweak, gw -> { });
    }

    public static TestGateway start() {
        return start(c -> { });
    }

    /** Starts with a hook that can register handlers before the port opens. */
    public static TestGateway start(Consumer<GatewayConfig> tweak, Consumer<Gateway> before) {
        return start(tweak, before, null);
    }

    /** Starts on engines of the test's choosing ({@code null}: those the configuration names). */
    public static TestGateway start(Consumer<GatewayConfig> tweak, Consumer<Gateway> before, Engines.Provider engines) {
        GatewayConfig config = new GatewayConfig();
        config.host = "127.0.0.1";
        config.port = 0;
        config.dev = true;
        config.tokenSecret = SECRET;
        config.ioThreads = 2;
        config.drainTimeout = Duration.ofSeconds(2);
        config.maxHandshakesPerAddress = 0; // tests connect fast from one address; LimitsTest turns it on
        tweak.accept(config);
        Gateway gw = engines == null ? new Gateway(config) : new Gateway(config, java.time.Clock.systemUTC(), engines);
        before.accept(gw);
        try {
            return new TestGateway(gw.start());
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    public Gateway gateway() {
        return gateway;
    }

    public int port() {
        return gateway.port();
    }

    public String http(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    public URI ws(String pathAndQuery) {
        return URI.create("ws://127.0.0.1:" + port() + pathAndQuery);
    }

    /** A dev ticket for {@code user} from {@code GET /auth/token}. */
    public String token(String user) {
        return get("/auth/token?user=" + user).body().get("token").asText();
    }

    /** Connects to {@code /ws} with a ticket and waits for the welcome. */
    public WsClient connect(String user) {
        return connect("/ws", user);
    }

    public WsClient connect(String endpoint, String user) {
        WsClient c = WsClient.open(ws(endpoint + "?token=" + token(user)));
        c.awaitType("welcome");
        return c;
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(http(path))).GET().build());
    }

    public Response api(String method, String path, String body) {
        return apiWithKey(method, path, body, Gateway.DEV_API_KEY);
    }

    public Response apiWithKey(String method, String path, String body, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(http(path)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return send(b.build());
    }

    private Response send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode body = r.body().isEmpty() || !r.headers().firstValue("content-type").orElse("").contains("json")
                    ? null : Json.parse(r.body());
            return new Response(r.statusCode(), body, r.body(), r);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** An HTTP answer. */
    public record Response(int status, JsonNode body, String text, HttpResponse<String> raw) {
    }

    @Override
    public void close() {
        gateway.close();
        http.shutdownNow();
    }
}
