package dev.switchboard.bench.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.switchboard.bench.client.Dialect.Kind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The Engine.IO 4 / Socket.IO 4 packets the load client writes and reads for the Socket.IO baseline. */
class SocketIoDialectTest {

    private final Dialect io = SocketIoDialect.INSTANCE;

    private static ByteBuf buf(String s) {
        return Unpooled.wrappedBuffer(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void writesEventsWithAcknowledgementIds() {
        assertEquals("420[\"subscribe\",{\"channel\":\"c\"}]", io.subscribe("c"));
        assertEquals("42[\"publish\",{\"channel\":\"c\",\"data\":{\"t\":1}}]", io.publish("c", "{\"t\":1}"));
        assertEquals("4237[\"echo\",{\"t\":1}]", io.request("echo", 37, "{\"t\":1}"));
        assertEquals("40", io.afterOpen());
        assertEquals("3", io.pong());
    }

    @Test
    void classifiesEngineAndSocketPackets() {
        assertEquals(Kind.OPEN, io.kind(buf("0{\"sid\":\"x\",\"pingInterval\":25000}")));
        assertEquals(Kind.WELCOME, io.kind(buf("40{\"sid\":\"y\"}")));
        assertEquals(Kind.PING, io.kind(buf("2")));
        assertEquals(Kind.MESSAGE, io.kind(buf("42[\"message\",{\"channel\":\"c\",\"data\":{\"t\":5}}]")));
        assertEquals(Kind.REPLY, io.kind(buf("4337[{\"t\":1}]")));
        assertEquals(Kind.ERROR, io.kind(buf("44{\"message\":\"no\"}")));
        assertEquals(Kind.OTHER, io.kind(buf("6")));
        assertEquals(5L, FrameScan.stamp(buf("42[\"message\",{\"channel\":\"c\",\"data\":{\"t\":5}}]")));
    }

    @Test
    void acknowledgementIdsReadBackAsTheScenariosIds() {
        assertEquals(Dialect.SUBSCRIBE_ID, io.re(buf("430[{\"channel\":\"c\"}]")));
        assertEquals(Long.toString(37, 36), io.re(buf("4337[{\"t\":1}]")));
        assertEquals(SwitchboardDialect.INSTANCE.re(buf("{\"type\":\"reply\",\"re\":\"" + Long.toString(37, 36) + "\"}")),
                io.re(buf("4337[{\"t\":1}]")), "both dialects hand the scenario the same re for request 37");
        assertNull(io.re(buf("43[{}]")));
    }
}
