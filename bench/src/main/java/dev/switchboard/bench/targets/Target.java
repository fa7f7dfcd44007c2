package dev.switchboard.bench.targets;

import dev.switchboard.bench.client.Dialect;
import dev.switchboard.bench.client.SwitchboardDialect;
import dev.switchboard.bench.client.WsEndpoint;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A server under test: where it listens, how to get a ticket, and (when we started it) its process. */
public abstract class Target implements AutoCloseable {

    private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private final String name;
    private final URI http;

    protected Target(String name, URI http) {
        this.name = name;
        this.http = http;
    }

    /** "switchboard" or the baseline's name. */
    public String name() {
        return name;
    }

    /** The base HTTP address, e.g. {@code http://127.0.0.1:54321}. */
    public URI http() {
        return http;
    }

    /** The server's process id, when this tool started the server (for RSS and forced GC). */
    public abstract OptionalLong pid();

    /** Every server process behind this target (for CPU readings): its own pid when known. */
    public List<Long> pids() {
        return pid().stream().boxed().toList();
    }

    /** The gateway nodes clients may connect to: this target itself unless it is a cluster. */
    public List<? extends Target> nodes() {
        return List.of(this);
    }

    /** Whether the server is a JVM (so {@code jcmd} and {@code /metrics} JVM gauges apply). */
    public abstract boolean isJvm();

    /** How the load client speaks to this server: the Switchboard envelope unless the target says otherwise. */
    public Dialect dialect() {
        return SwitchboardDialect.INSTANCE;
    }

    /** The WebSocket endpoint ({@code /ws} in the Switchboard dialect), carrying {@code token} as the ticket. */
    public WsEndpoint ws(String token) {
        Dialect d = dialect();
        String scheme = "https".equals(http.getScheme()) ? "wss://" : "ws://";
        return new WsEndpoint(URI.create(scheme + http.getHost() + ":" + http.getPort() + d.path() + "?"
                + d.queryPrefix() + "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)), d);
    }

    /**
     * A ticket for {@code user} from the dev issuer ({@code GET /auth/token?user=}); empty where the dialect's
     * connections carry none.
     */
    public String token(String user) throws IOException, InterruptedException {
        if (!dialect().usesTickets()) {
            return "";
        }
        String body = get("/auth/token?user=" + URLEncoder.encode(user, StandardCharsets.UTF_8));
        Matcher m = TOKEN.matcher(body);
        if (!m.find()) {
            throw new IOException("no token in the answer of " + http + "/auth/token: " + body);
        }
        return m.group(1);
    }

    /** GETs a path and returns the body; fails on a non-2xx status. */
    public String get(String path) throws IOException, InterruptedException {
        HttpClient client = "https".equals(http.getScheme()) ? BenchTls.httpClient() : HTTP;
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(http.resolve(path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IOException("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /** One line saying what this target is. */
    public abstract String describe();

    @Override
    public abstract void close();
}
