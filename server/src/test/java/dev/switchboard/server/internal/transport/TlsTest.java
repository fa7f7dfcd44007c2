package dev.switchboard.server.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.server.Gateway;
import dev.switchboard.server.config.GatewayConfig;
import dev.switchboard.server.support.Poll;
import dev.switchboard.server.support.TestCertificates;
import dev.switchboard.server.support.TestGateway;
import dev.switchboard.server.support.WsClient;
import io.netty.util.internal.PlatformDependent;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS on the gateway's port with real clients that verify against a test CA (the JDK's HTTP and WebSocket
 * clients here; the Java SDK, Node and Chromium in their modules): both key types, renewal without a restart,
 * refusals, and handshake abuse that must cost one socket and bounded memory.
 */
class TlsTest {

    @TempDir
    Path dir;

    private TestGateway tlsGateway(TestCertificates certs, Consumer<GatewayConfig> more) {
        return TestGateway.start(c -> {
            c.tlsCert = certs.cert("server");
            c.tlsKey = certs.key("server");
            more.accept(c);
        });
    }

    private static String https(TestGateway g, String path) {
        return "https://127.0.0.1:" + g.port() + path;
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static WsClient wss(HttpClient http, TestGateway g, String user) throws Exception {
        String token = get(http, https(g, "/auth/token?user=" + user)).body().replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
        WsClient c = WsClient.open(http, URI.create("wss://127.0.0.1:" + g.port() + "/ws?token=" + token), Map.of());
        c.awaitType("welcome");
        return c;
    }

    @Test
    void httpsAndWssWithRsaAndEcCertificatesVerifiedAgainstTheCa() throws Exception {
        for (String kind : List.of("rsa", "ec")) {
            Path d = Files.createDirectories(dir.resolve(kind));
            TestCertificates certs = TestCertificates.create(d, kind);
            try (TestGateway g = tlsGateway(certs, c -> { })) {
                HttpClient http = certs.client();
                HttpResponse<String> health = get(http, https(g, "/healthz"));
                assertEquals(200, health.statusCode());
                assertTrue(health.sslSession().isPresent());
                String protocol = health.sslSession().get().getProtocol();
                assertTrue(protocol.equals("TLSv1.3") || protocol.equals("TLSv1.2"), protocol);
                try (WsClient c = wss(http, g, "alice")) {
                    assertEquals("alice", c.call("echo", Map.of("who", "alice")).path("who").asText(), kind);
                }
                assertTrue(g.gateway().tls() != null);
            }
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCaIsRefusedAndOldProtocolsAreNotSpoken() throws Exception {
        TestCertificates certs = TestCertificates.create(dir, "rsa");
        try (TestGateway g = tlsGateway(certs, c -> { })) {
            HttpClient untrusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            Exception refused = assertThrows(Exception.class, () -> get(untrusting, https(g, "/healthz")));
            assertTrue(refused instanceof SSLHandshakeException || refused.getCause() instanceof SSLHandshakeException,
                    refused.toString());
            javax.net.ssl.SSLContext ctx = certs.trustingCa();
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", g.port())) {
                s.setEnabledProtocols(new String[] {"TLSv1.1"});
                assertThrows(Exception.class, s::startHandshake, "TLS 1.1 is refused");
            }
            assertEquals(200, get(certs.client(), https(g, "/healthz")).statusCode(), "the node is unaffected");
        }
    }

    @Test
    void aRenewedCertificateIsServedToNewConnectionsWhileOpenOnesKeepTheirs() throws Exception {
        TestCertificates certs = TestCertificates.create(dir, "rsa");
        Path cert = dir.resolve("live.pem");
        Path key = dir.resolve("live.key");
        Files.copy(certs.cert("server"), cert);
        Files.copy(certs.key("server"), key);
        try (TestGateway g = TestGateway.start(c -> {
            c.tlsCert = cert;
            c.tlsKey = key;
            c.tlsReloadInterval = Duration.ofMillis(100);
        })) {
            HttpClient http = certs.client();
            WsClient open = wss(http, g, "bob");
            BigInteger first = servedSerial(certs, g);
            assertEquals(((X509Certificate) certs.leaf("server")).getSerialNumber(), first);

            certs.issue("ec", "renewed"); // same CA, new key of another type
            Files.copy(certs.key("renewed"), key, StandardCopyOption.REPLACE_EXISTING);
            Files.copy(certs.cert("renewed"), cert, StandardCopyOption.REPLACE_EXISTING);
            BigInteger renewed = ((X509Certificate) certs.leaf("renewed")).getSerialNumber();
            Poll.until("the renewed certificate is served", Duration.ofSeconds(10), () -> serialOrNull(certs, g),
                    renewed::equals);
            assertEquals("still here", open.call("echo", Map.of("s", "still here")).path("s").asText(),
                    "the connection opened before the renewal keeps working");
            assertEquals(1.0, g.gateway().metrics().counter("switchboard.tls.reloads", "result", "loaded").count());

            Files.writeString(cert, "-----BEGIN CERTIFICATE-----\ngarbage\n-----END CERTIFICATE-----\n");
            Poll.until("the broken renewal is refused", Duration.ofSeconds(10),
                    () -> g.gateway().metrics().counter("switchboard.tls.reloads", "result", "refused").count(), n -> n >= 1);
            assertEquals(renewed, servedSerial(certs, g), "the certificate in service stays");
            assertNotEquals(first, renewed);
            open.close();
        }
    }

    private static BigInteger serialOrNull(TestCertificates certs, TestGateway g) {
        try {
            return servedSerial(certs, g);
        } catch (Exception e) {
            return null;
        }
    }

    private static BigInteger servedSerial(TestCertificates certs, TestGateway g) throws Exception {
        try (SSLSocket s = (SSLSocket) certs.trustingCa().getSocketFactory().createSocket("127.0.0.1", g.port())) {
            s.startHandshake();
            return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    @Test
    void aKeyThatIsNotTheCertificatesFailsTheStartWithTheReason() throws Exception {
        TestCertificates certs = TestCertificates.create(dir, "rsa");
        certs.issue("rsa", "other");
        GatewayConfig config = new GatewayConfig();
        config.host = "127.0.0.1";
        config.port = 0;
        config.dev = true;
        config.tlsCert = certs.cert("server");
        config.tlsKey = certs.key("other");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Gateway(config).start());
        assertTrue(e.getMessage().contains("does not belong to the certificate"), e.getMessage());
        config.tlsKey = dir.resolve("missing.key");
        assertThrows(IllegalArgumentException.class, () -> new Gateway(config).start());
    }

    @Test
    void handshakeAbuseClosesOnlyThatSocketAndCostsBoundedMemory() throws Exception {
        TestCertificates certs = TestCertificates.create(dir, "ec");
        try (TestGateway g = tlsGateway(certs, c -> c.httpHeaderTimeout = Duration.ofSeconds(1))) {
            HttpClient http = certs.client();
            WsClient bystander = wss(http, g, "carol");
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", g.port());

            assertClosedAfter(address, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(), "a plaintext request");
            // A record header announcing a 512-byte ClientHello, and 100 bytes of it: the rest never comes.
            byte[] truncated = new byte[105];
            truncated[0] = 0x16;
            truncated[1] = 0x03;
            truncated[2] = 0x01;
            truncated[3] = 0x02; // length 512
            truncated[5] = 0x01; // handshake type client_hello
            assertClosedAfter(address, truncated, "a truncated ClientHello");
            assertClosedAfter(address, new byte[] {0x16, 0x03, 0x01, 0x00, 0x04, 0x01, 0x00, 0x00, 0x00},
                    "a 9-byte ClientHello");

            long before = PlatformDependent.usedDirectMemory();
            List<Socket> stalled = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                Socket s = new Socket();
                s.connect(address, 5000);
                s.getOutputStream().write(truncated);
                stalled.add(s);
            }
            long during = PlatformDependent.usedDirectMemory();
            assertTrue(during - before < 200L * 64 * 1024, "200 half-finished handshakes cost "
                    + (during - before) + " bytes of direct memory");
            for (Socket s : stalled) {
                s.setSoTimeout(10_000);
                assertEquals(-1, s.getInputStream().read(), "closed by the handshake deadline");
                s.close();
            }
            assertEquals("still here", bystander.call("echo", Map.of("s", "still here")).path("s").asText());
            bystander.close();
        }
    }

    private static void assertClosedAfter(InetSocketAddress address, byte[] bytes, String what) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(address, 5000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(bytes);
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buffer = new byte[4096];
            long start = System.nanoTime();
            while (in.read(buffer) >= 0) {
                if (System.nanoTime() - start > 10_000_000_000L) {
                    throw new AssertionError(what + ": the socket stayed open");
                }
            }
        }
    }
}
