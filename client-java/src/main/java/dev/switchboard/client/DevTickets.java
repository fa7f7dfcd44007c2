package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Ticket suppliers for a gateway in dev mode ({@code --dev}), whose {@code GET /auth/token?user=} issues tickets
 * to anyone. For tools, tests and demos; production backends mint tickets themselves.
 */
public final class DevTickets {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private DevTickets() {
    }

    /** A supplier fetching a fresh ticket for {@code user} from {@code httpBase} (e.g. {@code http://localhost:8080}). */
    public static Supplier<CompletionStage<String>> forUser(String httpBase, String user) {
        URI uri = URI.create(httpBase.replaceAll("/+$", "") + "/auth/token?user="
                + URLEncoder.encode(user, StandardCharsets.UTF_8));
        return () -> fetch(uri);
    }

    private static CompletableFuture<String> fetch(URI uri) {
        // short: a ticket fetch that hangs (e.g. on a pooled keep-alive connection to a gateway that just stopped)
        // fails the attempt, and the client's backoff tries again with a new connection
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).GET().build();
        return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
            if (response.statusCode() != 200) {
                throw new SwitchboardException("token_unavailable",
                        "GET " + uri + " answered " + response.statusCode() + ": " + response.body());
            }
            JsonNode body = Json.parse(response.body());
            return body.path("token").asText();
        });
    }
}
