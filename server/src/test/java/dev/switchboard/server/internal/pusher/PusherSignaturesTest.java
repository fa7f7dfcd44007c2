package dev.switchboard.server.internal.pusher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.server.internal.transport.HttpRequestData;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pusher's signatures against the worked examples of its own documentation. */
class PusherSignaturesTest {

    private static final PusherApps.App APP = new PusherApps.App("3", "278d425bdf160c739803", "7ad3773142a6692b25b8",
            false, null);

    @Test
    void aPrivateChannelAuthorizationIsTheDocumentedOne() {
        String auth = "278d425bdf160c739803:58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4";
        assertTrue(PusherSignatures.channelAuthorized(APP, "1234.1234", "private-foobar", null, auth));
        assertFalse(PusherSignatures.channelAuthorized(APP, "1234.1235", "private-foobar", null, auth), "another socket");
        assertFalse(PusherSignatures.channelAuthorized(APP, "1234.1234", "private-foobaz", null, auth), "another channel");
        assertFalse(PusherSignatures.channelAuthorized(APP, "1234.1234", "private-foobar", null, null));
    }

    @Test
    void anApiRequestSignedAsTheDocumentationShowsIsAcceptedAndOnlyThen() {
        byte[] body = "{\"name\":\"foo\",\"channels\":[\"project-3\"],\"data\":\"{\\\"some\\\":\\\"data\\\"}\"}"
                .getBytes(StandardCharsets.UTF_8);
        assertEquals("ec365a775a4cd0599faeb73354201b6f", PusherSignatures.md5Hex(body));
        Map<String, List<String>> query = new LinkedHashMap<>();
        query.put("auth_key", List.of("278d425bdf160c739803"));
        query.put("auth_timestamp", List.of("1353088179"));
        query.put("auth_version", List.of("1.0"));
        query.put("body_md5", List.of("ec365a775a4cd0599faeb73354201b6f"));
        query.put("auth_signature", List.of("da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c"));
        HttpRequestData request = new HttpRequestData("POST", "/apps/3/events", query, Map.of("app", "3"),
                new DefaultHttpHeaders(), body);
        Clock then = Clock.fixed(Instant.ofEpochSecond(1353088179 + 30), ZoneOffset.UTC);
        assertNull(new PusherRequestAuth(then).refusal(APP, request));

        Clock later = Clock.fixed(Instant.ofEpochSecond(1353088179 + 601), ZoneOffset.UTC);
        assertTrue(new PusherRequestAuth(later).refusal(APP, request).startsWith("Timestamp expired"));
        HttpRequestData tampered = new HttpRequestData("POST", "/apps/3/events", query, Map.of("app", "3"),
                new DefaultHttpHeaders(), "{\"name\":\"bar\"}".getBytes(StandardCharsets.UTF_8));
        assertTrue(new PusherRequestAuth(then).refusal(APP, tampered).startsWith("Invalid body_md5"));
        HttpRequestData otherPath = new HttpRequestData("POST", "/apps/3/batch_events", query, Map.of("app", "3"),
                new DefaultHttpHeaders(), body);
        assertTrue(new PusherRequestAuth(then).refusal(APP, otherPath).startsWith("Invalid signature"));
    }

    @Test
    void socketIdsHaveTheFormTheServerLibrariesValidateAndLeadBackToTheirConnection() {
        SocketIds ids = new SocketIds("node-a");
        String id = ids.assign("conn-1");
        assertTrue(SocketIds.wellFormed(id), id);
        assertEquals("conn-1", ids.connectionOf(id));
        ids.forget(id);
        assertNull(ids.connectionOf(id));
        assertFalse(SocketIds.wellFormed("1.2.3") || SocketIds.wellFormed("abc.1") || SocketIds.wellFormed(null));
    }
}
