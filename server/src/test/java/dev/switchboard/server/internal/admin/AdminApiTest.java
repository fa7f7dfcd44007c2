package dev.switchboard.server.internal.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.CloseCodes;
import dev.switchboard.server.Gateway;
import dev.switchboard.server.config.GatewayConfig;
import dev.switchboard.server.support.SseClient;
import dev.switchboard.server.support.TestGateway;
import dev.switchboard.server.support.WsClient;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The admin API over real HTTP: off by default, the key for scripts, the reads and the actions. */
class AdminApiTest {

    static final String KEY = "admin-key-for-tests";

    @Test
    void withoutPasswordOrKeyTheAdminIsOff() {
        try (TestGateway gw = TestGateway.start()) {
            assertEquals(404, gw.get("/admin").status());
            assertEquals(404, gw.get("/admin/").status());
            assertEquals(404, gw.get("/admin/api/overview").status());
        }
    }

    @Test
    void aShortPasswordFailsTheStart() {
        GatewayConfig config = new GatewayConfig();
        config.dev = true;
        config.port = 0;
        config.adminPassword = "short";
        assertThrows(IllegalArgumentException.class, () -> new Gateway(config).start().close());
    }

    @Test
    void theKeyReadsTotalsChannelsAndUsersAndActsOnEveryTransport() {
        try (TestGateway gw = TestGateway.start(c -> c.adminKey = KEY);
             WsClient ws = gw.connect("ops-user");
             SseClient sse = SseClient.open(gw.http(""), "/sse?token=" + gw.token("ops-user"), null)) {
            sse.handshake();
            sse.awaitType("welcome");
            ws.call("subscribe", Map.of("channel", "chat:ops"));
            assertEquals(401, gw.apiWithKey("GET", "/admin/api/overview", null, "wrong").status());

            JsonNode overview = gw.apiWithKey("GET", "/admin/api/overview", null, KEY).body();
            assertEquals(2, overview.get("connections").asInt());
            assertEquals(1, overview.get("users").asInt());
            assertEquals(gw.gateway().nodeId(), overview.at("/nodes/0/node").asText());
            assertTrue(overview.get("messagesIn").asLong() >= 1);

            JsonNode channels = gw.apiWithKey("GET", "/admin/api/channels", null, KEY).body();
            assertEquals("chat:ops", channels.at("/channels/0/channel").asText());
            assertEquals(1, channels.at("/channels/0/subscribers").asInt());

            var published = gw.apiWithKey("POST", "/admin/api/publish", "{\"channel\":\"chat:ops\",\"data\":{\"t\":1}}", KEY);
            assertEquals(200, published.status());
            assertEquals("admin", ws.await(WsClient::isMessage).get("from").asText());
            JsonNode channel = gw.apiWithKey("GET", "/admin/api/channels/chat:ops", null, KEY).body();
            assertEquals("ops-user", channel.at("/presence/0/user").asText());
            assertEquals(1, channel.at("/history/publications/0/data/t").asInt());

            JsonNode user = gw.apiWithKey("GET", "/admin/api/users/ops-user", null, KEY).body();
            assertEquals(2, user.get("connections").size());
            assertEquals("websocket", user.at("/connections/0/transport").asText());
            assertEquals("sse", user.at("/connections/1/transport").asText());
            assertEquals("chat:ops", user.at("/connections/0/channels/0").asText());

            assertEquals(400, gw.apiWithKey("POST", "/admin/api/disconnect", "{}", KEY).status());
            assertEquals(200, gw.apiWithKey("POST", "/admin/api/disconnect", "{\"user\":\"ops-user\"}", KEY).status());
            assertEquals(CloseCodes.KICKED, ws.awaitClose());
            assertEquals(CloseCodes.KICKED, sse.awaitType("close").data().get("code").asInt());
        }
    }
}
