package dev.switchboard.bench.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.bench.client.Dialect.Kind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The Pusher protocol 7 frames the load client reads and writes (as Soketi and the gateway's adapter send them);
 * that real servers accept the subscriptions and the signed triggers is shown by BenchSmokeTest against both.
 */
class PusherDialectTest {

    private final PusherDialect pusher = new PusherDialect("7", "k", "s");

    private static ByteBuf buf(String s) {
        return Unpooled.wrappedBuffer(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void subscribesToPublicChannelsWithPusherNamesAndAnswersPings() {
        assertEquals("/app/k", pusher.path());
        assertTrue(pusher.queryPrefix().startsWith("protocol=7&"));
        assertEquals("{\"event\":\"pusher:subscribe\",\"data\":{\"auth\":\"\",\"channel\":\"bench-fanout\"}}",
                pusher.subscribe("bench:fanout"));
        assertEquals("{\"event\":\"pusher:pong\",\"data\":{}}", pusher.pong());
        assertFalse(pusher.usesTickets());
        assertFalse(pusher.publishesOverSocket());
        assertThrows(UnsupportedOperationException.class, () -> pusher.publish("c", "{}"));
    }

    @Test
    void classifiesServerEventsAndReadsTheStampInsideTheStringData() {
        assertEquals(Kind.WELCOME, pusher.kind(buf("{\"event\":\"pusher:connection_established\",\"data\":"
                + "\"{\\\"socket_id\\\":\\\"1.2\\\",\\\"activity_timeout\\\":120}\"}")));
        ByteBuf succeeded = buf("{\"event\":\"pusher_internal:subscription_succeeded\",\"channel\":\"c\",\"data\":\"{}\"}");
        assertEquals(Kind.REPLY, pusher.kind(succeeded));
        assertEquals(Dialect.SUBSCRIBE_ID, pusher.re(succeeded));
        assertEquals(Kind.PING, pusher.kind(buf("{\"event\":\"pusher:ping\",\"data\":{}}")));
        assertEquals(Kind.ERROR, pusher.kind(buf("{\"event\":\"pusher:error\",\"data\":{\"code\":4001,\"message\":\"x\"}}")));
        assertEquals(Kind.OTHER, pusher.kind(buf("{\"event\":\"pusher:pong\",\"data\":{}}")));
        ByteBuf event = buf("{\"event\":\"bench\",\"channel\":\"bench-fanout\",\"data\":\"{\\\"t\\\":12345,\\\"p\\\":\\\"xx\\\"}\"}");
        assertEquals(Kind.MESSAGE, pusher.kind(event));
        assertNull(pusher.re(event));
        assertEquals(12345L, pusher.stamp(event));
    }

    @Test
    void triggersAreSignedPostsToTheAppsEventsWithTheDataAsAString() {
        HttpRequest r = pusher.httpPublish(URI.create("http://127.0.0.1:1"), "bench:x", "{\"t\":1}");
        assertEquals("POST", r.method());
        assertEquals("/apps/7/events", r.uri().getPath());
        String query = r.uri().getRawQuery();
        assertTrue(query.matches("auth_key=k&auth_timestamp=\\d+&auth_version=1\\.0&body_md5=[0-9a-f]{32}"
                + "&auth_signature=[0-9a-f]{64}"), query);
    }
}
