package dev.switchboard.server.internal.transport;

import dev.switchboard.server.internal.observe.TrustedProxies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.CloseCodes;
import dev.switchboard.protocol.Json;
import dev.switchboard.server.support.Poll;
import dev.switchboard.server.support.TestGateway;
import dev.switchboard.server.support.WsClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The access log: real connections and requests, the lines captured from the {@code switchboard.access} logger. */
class AccessLogTest {

    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger("switchboard.access");

    @BeforeEach
    void capture() {
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void release() {
        logger.detachAppender(lines);
    }

    private JsonNode awaitLine(Predicate<JsonNode> match) {
        JsonNode[] found = new JsonNode[1];
        Poll.until("an access log line", Duration.ofSeconds(5), () -> {
            for (ILoggingEvent e : List.copyOf(lines.list)) {
                JsonNode line = Json.parse(e.getFormattedMessage());
                if (match.test(line)) {
                    found[0] = line;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    @Test
    void aClosedConnectionIsOneJsonLineWithItsTrafficAndNeverItsTicket() {
        try (TestGateway gw = TestGateway.start(c -> {
            c.accessLog = "json";
            c.accessLogOpens = true;
            c.nodeId = "n1";
        })) {
            String token = gw.token("lena");
            WsClient ws = gw.connect("lena");
            ws.call("echo", Map.of("x", "twice"));
            ws.close();
            JsonNode close = awaitLine(l -> "conn_close".equals(l.path("event").asText()) && "lena".equals(l.path("user").asText()));
            assertEquals("n1", close.get("node").asText());
            assertEquals("/ws", close.get("endpoint").asText());
            assertEquals("websocket", close.get("transport").asText());
            assertEquals("127.0.0.1", close.get("remote").asText());
            assertEquals(1, close.get("frames_in").asInt());
            assertTrue(close.get("frames_out").asInt() >= 2, "welcome and a reply: " + close);
            assertTrue(close.get("bytes_in").asLong() > 20 && close.get("bytes_out").asLong() > 60, close.toString());
            assertEquals(CloseCodes.NORMAL, close.get("code").asInt());
            assertEquals("client", close.get("closed_by").asText());
            assertTrue(close.get("duration_ms").asLong() >= 0);
            assertTrue(close.get("time").asText().endsWith("Z"));
            JsonNode open = awaitLine(l -> "conn_open".equals(l.path("event").asText())
                    && close.get("conn").asText().equals(l.path("conn").asText()));
            assertEquals("/ws", open.get("endpoint").asText());
            JsonNode tokenRequest = awaitLine(l -> "http".equals(l.path("event").asText())
                    && "/auth/token".equals(l.path("path").asText()));
            assertEquals(200, tokenRequest.get("status").asInt());
            assertEquals("GET", tokenRequest.get("method").asText());
            for (ILoggingEvent e : lines.list) {
                assertFalse(e.getFormattedMessage().contains(token), "a ticket was logged: " + e.getFormattedMessage());
                assertFalse(e.getFormattedMessage().contains("token="), e.getFormattedMessage());
            }
        }
    }

    @Test
    void aServerCloseCarriesItsCodeAndReasonAndApiCallsTheirStatus() {
        try (TestGateway gw = TestGateway.start(c -> c.accessLog = "json")) {
            WsClient ws = gw.connect("kim");
            assertEquals(200, gw.api("POST", "/api/disconnect", "{\"user\":\"kim\",\"reason\":\"maintenance\"}").status());
            ws.awaitClose();
            JsonNode close = awaitLine(l -> "conn_close".equals(l.path("event").asText()));
            assertEquals(CloseCodes.KICKED, close.get("code").asInt());
            assertEquals("maintenance", close.get("reason").asText());
            assertEquals(401, gw.apiWithKey("POST", "/api/publish", "{}", "wrong").status());
            JsonNode refused = awaitLine(l -> "/api/publish".equals(l.path("path").asText()));
            assertEquals(401, refused.get("status").asInt());
            assertFalse(refused.toString().contains("wrong"), "the key is not logged");
        }
    }

    @Test
    void forwardedForIsBelievedOnlyFromATrustedProxy() {
        try (TestGateway trusting = TestGateway.start(c -> {
            c.accessLog = "json";
            c.trustedProxies = List.of("127.0.0.0/8");
        }); TestGateway wary = TestGateway.start(c -> c.accessLog = "json")) {
            for (TestGateway gw : List.of(trusting, wary)) {
                WsClient ws = WsClient.open(gw.ws("/ws?token=" + gw.token(gw == trusting ? "via-proxy" : "direct")),
                        Map.of("X-Forwarded-For", "198.51.100.9, 203.0.113.7"));
                ws.awaitType("welcome");
                ws.close();
            }
            assertEquals("203.0.113.7", awaitLine(l -> "via-proxy".equals(l.path("user").asText())).get("remote").asText(),
                    "the rightmost untrusted hop is the client");
            assertEquals("127.0.0.1", awaitLine(l -> "direct".equals(l.path("user").asText())).get("remote").asText());
        }
    }

    @Test
    void textLinesAreKeyValuePairsWithQuotedValues() {
        var fields = Json.object().put("event", "conn_close").put("user", "a b").put("reason", "say \"hi\"").put("code", 1000);
        fields.putNull("skipped");
        assertEquals("event=conn_close user=\"a b\" reason=\"say \\\"hi\\\"\" code=1000", AccessLog.logfmt(fields));
    }

    @Test
    void trustedProxiesParseAddressesAndRangesAndRefuseGarbage() {
        TrustedProxies p = TrustedProxies.parse(List.of("10.0.0.0/8", "::1"));
        assertTrue(p.any());
        var peer = new java.net.InetSocketAddress("10.1.2.3", 5000);
        assertEquals("192.0.2.1", p.clientAddress(peer, "192.0.2.1, 10.9.9.9"));
        assertEquals("10.1.2.3", p.clientAddress(peer, "not-an-ip"), "garbage is never believed");
        assertEquals("192.0.2.50", p.clientAddress(new java.net.InetSocketAddress("192.0.2.50", 1), "1.2.3.4"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TrustedProxies.parse(List.of("10.0.0.0/abc")));
    }

    @Test
    void theLoggingConfigurationParsesAndSendsAccessLinesToStdoutAlone() throws Exception {
        // A malformed logback.xml does not fail anything: logback prints a status and logs nothing at all.
        try (var in = AccessLog.class.getResourceAsStream("/logback.xml")) {
            var doc = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
            var loggers = doc.getElementsByTagName("logger");
            boolean found = false;
            for (int i = 0; i < loggers.getLength(); i++) {
                var e = (org.w3c.dom.Element) loggers.item(i);
                if ("switchboard.access".equals(e.getAttribute("name"))) {
                    found = true;
                    assertEquals("false", e.getAttribute("additivity"));
                }
            }
            assertTrue(found, "logback.xml configures the switchboard.access logger");
        }
    }
}
