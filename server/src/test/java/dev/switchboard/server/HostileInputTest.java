package dev.switchboard.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.Json;
import dev.switchboard.server.support.RawWebSocket;
import dev.switchboard.server.support.TestGateway;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Defects a hostile client found (issue 13), each with the behaviour that replaced it: UTF-8 and close-code
 * rules of RFC 6455, refusals that carry their request's id, refused or broken HTTP requests that close their
 * socket, a header deadline and an idle keep-alive limit, and control frames under the same limits.
 */
class HostileInputTest {

    static TestGateway gw;

    @BeforeAll
    static void start() {
        gw = TestGateway.start(c -> {
            c.allowedOrigins = List.of("https://app.example.com");
            c.httpHeaderTimeout = Duration.ofMillis(400);
            c.httpIdleTimeout = Duration.ofMillis(400);
            c.rateLimit = 20;
            c.rateBurst = 20;
        });
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    private static RawWebSocket open() throws IOException {
        RawWebSocket ws = RawWebSocket.connect(gw.port(), "/ws?token=" + gw.token("mallory"), Map.of());
        assertEquals(101, ws.status());
        assertEquals("welcome", Json.parse(ws.read().text()).get("type").asText());
        return ws;
    }

    @Test
    void textThatIsNotUtf8OrIsOverlongClosesWith1007() throws IOException {
        for (byte[] bad : List.of(new byte[] {(byte) 0xC3, 0x28}, new byte[] {(byte) 0xC0, (byte) 0xAF})) {
            try (RawWebSocket ws = open()) {
                ws.sendFrame(RawWebSocket.TEXT, true, bad);
                assertEquals(1007, ws.awaitClose(f -> assertTrue(!"/".equals(f.text()), "never echoed")));
            }
        }
    }

    @Test
    void aCharacterSplitAcrossFragmentsIsAcceptedAndAnEncodedSurrogateIsRefused() throws IOException {
        try (RawWebSocket ws = open()) {
            byte[] envelope = "{\"id\":\"u1\",\"type\":\"echo\",\"data\":{\"t\":\"\u00e9\"}}".getBytes(StandardCharsets.UTF_8);
            int split = new String(envelope, StandardCharsets.ISO_8859_1).indexOf('\u00c3') + 1; // inside the é
            ws.sendFrame(RawWebSocket.TEXT, false, java.util.Arrays.copyOfRange(envelope, 0, split));
            ws.sendFrame(0, true, java.util.Arrays.copyOfRange(envelope, split, envelope.length)); // continuation
            assertEquals("\u00e9", Json.parse(ws.read().text()).at("/data/t").asText());
        }
        try (RawWebSocket ws = open()) {
            ws.sendFrame(RawWebSocket.TEXT, true, new byte[] {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'});
            assertEquals(1007, ws.awaitClose());
        }
    }

    /** The aggregator joins the pipeline at the first fragment; whole messages before and after pass as before. */
    @Test
    void fragmentsAroundAPingAndWholeMessagesShareOneConnection() throws IOException {
        try (RawWebSocket ws = open()) {
            ws.sendText("{\"id\":\"w1\",\"type\":\"echo\",\"data\":{\"n\":1}}");
            assertEquals(1, Json.parse(ws.read().text()).at("/data/n").asInt());
            for (int round = 2; round <= 3; round++) {
                ws.sendFrame(RawWebSocket.TEXT, false, "{\"id\":\"f\",\"type\":\"echo\",".getBytes(StandardCharsets.UTF_8));
                ws.sendFrame(RawWebSocket.PING, true, "mid".getBytes(StandardCharsets.UTF_8));
                assertEquals("mid", ws.read().text(), "a control frame between fragments is answered at once");
                ws.sendFrame(0, false, "\"data\":{\"n\":".getBytes(StandardCharsets.UTF_8));
                ws.sendFrame(0, true, (round + "}}").getBytes(StandardCharsets.UTF_8));
                assertEquals(round, Json.parse(ws.read().text()).at("/data/n").asInt());
                ws.sendText("{\"id\":\"w\",\"type\":\"echo\",\"data\":{\"n\":" + (round * 10) + "}}");
                assertEquals(round * 10, Json.parse(ws.read().text()).at("/data/n").asInt());
            }
        }
        try (RawWebSocket ws = open()) { // a continuation that continues nothing is a protocol error
            ws.sendFrame(0, true, "{}".getBytes(StandardCharsets.UTF_8));
            assertEquals(1002, ws.awaitClose());
        }
    }

    @Test
    void invalidCloseCodesAreAnsweredWith1002AndABadReasonWith1007() throws IOException {
        for (int code : new int[] {1005, 999, 1004, 1006, 1015, 2999, 5000}) {
            try (RawWebSocket ws = open()) {
                ws.sendFrame(RawWebSocket.CLOSE, true, new byte[] {(byte) (code >> 8), (byte) code});
                assertEquals(1002, ws.awaitClose(), "close code " + code);
            }
        }
        try (RawWebSocket ws = open()) {
            ws.sendFrame(RawWebSocket.CLOSE, true, new byte[] {0x03, (byte) 0xE8, (byte) 0xC3, 0x28});
            assertEquals(1007, ws.awaitClose());
        }
        try (RawWebSocket ws = open()) {
            ws.sendFrame(RawWebSocket.CLOSE, true, new byte[] {0x0F, (byte) 0xA0}); // 4000: valid, echoed
            assertEquals(4000, ws.awaitClose());
        }
    }

    @Test
    void everyRateLimitedRequestIsAnsweredWithItsId() throws IOException {
        try (RawWebSocket ws = open()) {
            int sent = 30;
            for (int i = 0; i < sent; i++) {
                ws.sendText("{\"id\":\"e" + i + "\",\"type\":\"echo\",\"data\":{\"n\":" + i + "}}");
            }
            int answered = 0;
            int refused = 0;
            while (answered + refused < sent) {
                JsonNode f = Json.parse(ws.read().text());
                assertTrue(f.hasNonNull("re"), "every answer correlates: " + f);
                if ("error".equals(f.get("type").asText())) {
                    assertEquals("rate_limited", f.at("/error/code").asText(f.toString()));
                    refused++;
                } else {
                    answered++;
                }
            }
            assertTrue(refused > 0, "the limit was reached (" + answered + " answered)");
        }
    }

    @Test
    void aPingFloodFromAClientThatDoesNotReadIsCutOff() throws IOException {
        try (RawWebSocket ws = open()) {
            int sent = 0;
            try {
                for (; sent < 20_000; sent++) {
                    ws.sendText("ping");
                }
            } catch (IOException e) {
                // the server closed: that is the point
            }
            int[] pongs = {0};
            int code = ws.awaitClose(f -> pongs[0]++);
            assertEquals(4029, code, "closed for flooding after " + pongs[0] + " answers");
            assertTrue(pongs[0] < 100, "not every ping was answered: " + pongs[0]);
        }
    }

    /** Sends raw bytes on a fresh socket and returns everything the server wrote before closing it. */
    private static String exchange(String request, Duration wait) throws IOException {
        try (Socket s = new Socket("127.0.0.1", gw.port())) {
            s.setSoTimeout((int) wait.toMillis());
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            try {
                while ((n = in.read(buf)) >= 0) { // a read timeout fails the test: the socket must be closed
                    got.write(buf, 0, n);
                }
            } catch (java.net.SocketException reset) {
                // closed with our unread request bytes still in its buffer: the kernel resets; closed all the same
                return got.toString(StandardCharsets.ISO_8859_1) + "<reset>";
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void refusedUpgradesAndBrokenRequestsCloseTheirSocket() throws IOException {
        String upgrade = "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n";
        String forbidden = exchange("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: https://evil.example\r\n" + upgrade
                + "\r\n", Duration.ofSeconds(5));
        assertTrue(forbidden.startsWith("HTTP/1.1 403"), forbidden);
        assertTrue(forbidden.toLowerCase().contains("connection: close"), forbidden);
        String notUpgrade = exchange("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", Duration.ofSeconds(5));
        assertTrue(notUpgrade.startsWith("HTTP/1.1 426"), notUpgrade);
        String badVersion = exchange("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 99\r\n\r\n", Duration.ofSeconds(5));
        assertTrue(badVersion.startsWith("HTTP/1.1 426"), badVersion);
        String hugeHeader = exchange("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "a".repeat(100 * 1024) + "\r\n\r\n",
                Duration.ofSeconds(5));
        assertTrue(hugeHeader.startsWith("HTTP/1.1 4") || hugeHeader.equals("<reset>"),
                "refused and closed: " + hugeHeader.substring(0, Math.min(80, hugeHeader.length())));
        String smuggle = exchange("POST /api/publish HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 4\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n", Duration.ofSeconds(5));
        assertTrue(smuggle.startsWith("HTTP/1.1 400"), smuggle);
        String noHost = exchange("GET /healthz HTTP/1.1\r\n\r\n", Duration.ofSeconds(5));
        assertTrue(noHost.startsWith("HTTP/1.1 400"), noHost);
        String twoHosts = exchange("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\n\r\n",
                Duration.ofSeconds(5));
        assertTrue(twoHosts.startsWith("HTTP/1.1 400"), "RFC 9112: two Host headers are a 400: " + twoHosts);
        // an upgrade to a path no endpoint serves is refused and its socket closed, like the refusals above
        String unknownUpgrade = exchange("GET /no-such-endpoint HTTP/1.1\r\nHost: 127.0.0.1\r\n" + upgrade + "\r\n",
                Duration.ofSeconds(5));
        assertTrue(unknownUpgrade.startsWith("HTTP/1.1 404"), unknownUpgrade);
        assertTrue(unknownUpgrade.toLowerCase().contains("connection: close"), unknownUpgrade);
    }

    @Test
    void headersThatDoNotArriveInTimeAndIdleKeepAlivesAreCutOff() throws IOException {
        long t0 = System.nanoTime();
        String trickled = exchange("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n", Duration.ofSeconds(5));
        assertTrue(trickled.startsWith("HTTP/1.1 408"), trickled);
        String silent = exchange("", Duration.ofSeconds(5));
        assertTrue(silent.startsWith("HTTP/1.1 408"), silent);
        String kept = exchange("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", Duration.ofSeconds(5));
        assertTrue(kept.startsWith("HTTP/1.1 200"), kept);
        assertTrue(kept.endsWith("}"), "answered, then closed for idling with no second response: " + kept);
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(5).toNanos());
    }

    @Test
    void devModeBindsLoopbackUnlessTold() {
        try (TestGateway dev = TestGateway.start(c -> c.host = null)) {
            assertTrue(dev.gateway().address().getAddress().isLoopbackAddress(), dev.gateway().address().toString());
        }
    }
}
