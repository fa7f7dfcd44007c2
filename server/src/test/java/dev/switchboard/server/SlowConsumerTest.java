package dev.switchboard.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.server.support.Poll;
import dev.switchboard.server.support.RawWebSocket;
import dev.switchboard.server.support.TestGateway;
import dev.switchboard.server.support.WsClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A subscriber that stops reading is cut off; the publisher and other subscribers are not held back. */
class SlowConsumerTest {

    @Test
    void consumerThatStopsReadingIsDisconnected() throws Exception {
        try (TestGateway gw = TestGateway.start(c -> {
            c.maxOutboundBytes = 256 * 1024;
            c.rateLimit = 100_000;
            c.rateBurst = 100_000;
        })) {
            try (RawWebSocket stuck = RawWebSocket.connect(gw.port(), "/ws?token=" + gw.token("slow"), Map.of());
                 WsClient healthy = gw.connect("fast")) {
                stuck.sendText("{\"id\":\"s\",\"type\":\"subscribe\",\"data\":{\"channel\":\"firehose\"}}");
                Poll.until("slow subscribed", Duration.ofSeconds(5),
                        () -> gw.gateway().registry().connectionsOfUser("slow").stream().anyMatch(c -> c.isSubscribed("firehose")));
                healthy.call("subscribe", Map.of("channel", "firehose"));
                String payload = "x".repeat(16 * 1024);
                // The raw client now reads nothing; its socket buffers fill, then the server's outbound buffer.
                int sent = 0;
                while (!gw.gateway().registry().connectionsOfUser("slow").isEmpty() && sent < 5000) {
                    gw.api("POST", "/api/publish", "{\"channel\":\"firehose\",\"data\":\"" + payload + "\"}");
                    sent++;
                }
                Poll.until("slow consumer dropped", Duration.ofSeconds(10),
                        () -> gw.gateway().registry().connectionsOfUser("slow").isEmpty());
                assertTrue(sent < 5000, "dropped after " + sent + " publications");
                // the healthy subscriber got everything, in order
                for (int i = 1; i <= sent; i++) {
                    int expected = i;
                    assertEquals(expected, healthy.await(f -> "message".equals(f.path("type").asText())).get("offset").asInt());
                }
            }
        }
    }

    @Test
    void permessageDeflateIsOffByDefaultAndNegotiableWhenEnabled() throws Exception {
        Map<String, String> offer = Map.of("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits");
        try (TestGateway off = TestGateway.start();
             RawWebSocket raw = RawWebSocket.connect(off.port(), "/ws", offer)) {
            assertEquals(101, raw.status());
            assertTrue(!raw.handshakeResponse().toLowerCase().contains("permessage-deflate"));
        }
        try (TestGateway on = TestGateway.start(c -> c.permessageDeflate = true);
             RawWebSocket raw = RawWebSocket.connect(on.port(), "/ws", offer)) {
            assertEquals(101, raw.status());
            assertTrue(raw.handshakeResponse().toLowerCase().contains("sec-websocket-extensions: permessage-deflate"),
                    raw.handshakeResponse());
        }
    }

}
