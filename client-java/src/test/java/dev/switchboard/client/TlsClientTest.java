package dev.switchboard.client;

import dev.switchboard.protocol.schema.FrameSchema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.server.Gateway;
import dev.switchboard.server.config.GatewayConfig;
import dev.switchboard.server.internal.auth.TicketIssuer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java SDK over wss:// to a gateway serving TLS itself, verifying its certificate against a test CA. */
class TlsClientTest {

    private static final String SECRET = "tls-client-test-secret-tls-client!!";

    @TempDir
    Path dir;

    private void certificates() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.exists(root.resolve("scripts/test-certs.sh"))) {
            root = root.getParent();
        }
        Process p = new ProcessBuilder("bash", root.resolve("scripts/test-certs.sh").toString(), dir.toString(), "ec")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
    }

    private Gateway gateway() throws Exception {
        certificates();
        GatewayConfig config = new GatewayConfig();
        config.host = "127.0.0.1";
        config.port = 0;
        config.tokenSecret = SECRET;
        config.tlsCert = dir.resolve("server.pem");
        config.tlsKey = dir.resolve("server.key");
        config.drainTimeout = Duration.ofSeconds(2);
        return new Gateway(config).start();
    }

    private static String ticket(String user) {
        return new TicketIssuer(SECRET.getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(5), Clock.systemUTC())
                .issue(user, null, null, null);
    }

    @Test
    void subscribesAndPublishesOverWssTrustingTheGivenCa() throws Exception {
        try (Gateway gw = gateway()) {
            for (String host : new String[] {"127.0.0.1", "localhost"}) { // both names are in the certificate
                FrameSchema.Tap schema = new FrameSchema.Tap(true);
                SwitchboardClient client = SwitchboardClient.builder().url("wss://" + host + ":" + gw.port() + "/ws")
                        .token(ticket("alice")).trustedCertificates(dir.resolve("ca.pem")).frameListener(FrameListener.of(schema::sent, schema::received)).build();
                try {
                    client.connect().get(10, TimeUnit.SECONDS);
                    Recorders.Channel channel = new Recorders.Channel();
                    client.subscribe("news:tls", channel).ready().get(5, TimeUnit.SECONDS);
                    client.publish("news:tls", Map.of("over", host)).get(5, TimeUnit.SECONDS);
                    assertEquals(host, channel.messages.poll(5, TimeUnit.SECONDS).data().path("over").asText());
                    schema.assertClean();
                } finally {
                    client.close();
                }
            }
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCaNeverConnects() throws Exception {
        try (Gateway gw = gateway()) {
            Recorders.Events events = new Recorders.Events();
            SwitchboardClient client = SwitchboardClient.builder().url("wss://127.0.0.1:" + gw.port() + "/ws")
                    .token(ticket("mallory")).listener(events).reconnect(Duration.ofSeconds(5), Duration.ofSeconds(5), 1)
                    .build();
            try {
                var connecting = client.connect();
                ConnectionEvent refused = events.await(ConnectionState.DISCONNECTED);
                assertTrue(refused.reason().contains("SSLHandshake") || refused.reason().contains("PKIX"),
                        refused.reason());
                assertThrows(TimeoutException.class, () -> connecting.get(500, TimeUnit.MILLISECONDS));
            } finally {
                client.close();
            }
        }
    }
}
