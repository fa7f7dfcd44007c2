package dev.switchboard.server.internal.outbound.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestHeadTest {

    private static BackendRequest request(String body, Map<String, String> headers) {
        return new BackendRequest("application/json", Unpooled.copiedBuffer(body, StandardCharsets.UTF_8), headers,
                Duration.ofSeconds(1), 1024);
    }

    @Test
    void writesTheWholeRequestAndLeavesTheBodyToItsOwner() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Switchboard-Hook", "rpc");
        headers.put("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        BackendRequest r = request("{\"é\":1}", headers);
        ByteBuf wire = new RequestHead("/hook?x=1", "127.0.0.1:8080").encode(PooledByteBufAllocator.DEFAULT, r);
        try {
            assertEquals("POST /hook?x=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 8\r\nX-Switchboard-Hook: rpc\r\n"
                    + "traceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\r\n\r\n{\"é\":1}",
                    wire.toString(StandardCharsets.UTF_8));
            assertEquals(8, r.body().readableBytes(), "the body stays readable: a stale connection's retry sends it again");
        } finally {
            wire.release();
            r.body().release();
        }
    }

    @Test
    void aLineBreakOrNonAsciiInTheHeadIsRefusedNotSent() {
        RequestHead head = new RequestHead("/hook", "localhost");
        for (String bad : new String[] {"a\r\nX-Injected: 1", "a\nb", "é"}) {
            BackendRequest r = request("{}", Map.of("X-Value", bad));
            assertThrows(IllegalArgumentException.class, () -> head.encode(PooledByteBufAllocator.DEFAULT, r), bad);
            r.body().release();
        }
        assertThrows(IllegalArgumentException.class, () -> new RequestHead("/a b\r\n", "localhost"));
    }

    @Test
    void aHeaderMapEncodedOnceIsReusedOnlyForThatSameMap() {
        RequestHead head = new RequestHead("/hook", "localhost");
        Map<String, String> plain = Map.of("X-Switchboard-Hook", "rpc");
        String first = wire(head, request("{}", plain));
        assertEquals(first, wire(head, request("{}", plain)));
        assertEquals(true, wire(head, request("{}", Map.of("X-Switchboard-Hook", "publish"))).contains("X-Switchboard-Hook: publish\r\n"),
                "an equal-looking but different map is encoded afresh");
        BackendRequest bad = request("{}", Map.of("X-Value", "a\r\nX-Injected: 1"));
        assertThrows(IllegalArgumentException.class, () -> head.encode(PooledByteBufAllocator.DEFAULT, bad));
        bad.body().release();
        assertEquals(first, wire(head, request("{}", plain)));
    }

    private static String wire(RequestHead head, BackendRequest r) {
        ByteBuf wire = head.encode(PooledByteBufAllocator.DEFAULT, r);
        try {
            return wire.toString(StandardCharsets.UTF_8);
        } finally {
            wire.release();
            r.body().release();
        }
    }
}
