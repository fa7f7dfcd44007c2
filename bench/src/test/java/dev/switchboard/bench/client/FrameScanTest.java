package dev.switchboard.bench.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FrameScanTest {

    private static ByteBuf buf(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }

    @Test
    void readsTheStampOfAChannelMessageAndIgnoresTheServerTimestamp() {
        ByteBuf f = buf("{\"type\":\"message\",\"channel\":\"bench:fanout\",\"offset\":12,\"epoch\":\"k2\","
                + "\"ts\":1763884800000,\"from\":\"bob\",\"data\":{\"t\":987654321012,\"p\":\"xx\"}}");
        assertEquals("message", FrameScan.type(f));
        assertEquals(987_654_321_012L, FrameScan.stamp(f));
    }

    @Test
    void readsReplyCorrelationAndToleratesSpaces() {
        ByteBuf f = buf("{\"type\": \"reply\", \"re\": \"e\", \"data\": {\"t\": 42}}");
        assertEquals("reply", FrameScan.type(f));
        assertEquals("e", FrameScan.re(f));
        assertEquals(42L, FrameScan.stamp(f));
    }

    @Test
    void saysWhenFieldsAreMissing() {
        ByteBuf f = buf("pong");
        assertNull(FrameScan.type(f));
        assertNull(FrameScan.re(f));
        assertEquals(-1L, FrameScan.stamp(f));
        assertEquals(-1L, FrameScan.stamp(buf("{\"type\":\"message\",\"data\":{\"t\":\"x\"}}")));
    }

    @Test
    void payloadsCarryTheStampAndThePadding() {
        Payloads p = new Payloads(120, SwitchboardDialect.INSTANCE);
        String publish = p.publish("c", 1234567890123456L); // nanoTime-sized stamp
        assertEquals(1234567890123456L, FrameScan.stamp(buf(publish)));
        String inner = publish.substring(publish.indexOf("{\"t\""), publish.length() - 2);
        assertEquals(120, inner.length(), "application data padded to the requested size");
    }
}
