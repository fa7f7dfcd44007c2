package dev.switchboard.server.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8TextTest {

    @Test
    void agreesWithNettysCheckOnRandomMessagesAroundTheAsciiRun() {
        Random random = new Random(42);
        byte[][] tails = {
                "é".getBytes(StandardCharsets.UTF_8), "€".getBytes(StandardCharsets.UTF_8),
                "𝄞".getBytes(StandardCharsets.UTF_8), {(byte) 0x80}, {(byte) 0xC3}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xFF}, {}};
        int invalid = 0;
        for (int n = 0; n < 20_000; n++) {
            byte[] ascii = new byte[random.nextInt(40)];
            for (int i = 0; i < ascii.length; i++) {
                ascii[i] = (byte) random.nextInt(128);
            }
            byte[] tail = tails[random.nextInt(tails.length)];
            byte[] after = new byte[random.nextInt(12)];
            for (int i = 0; i < after.length; i++) {
                after[i] = (byte) (random.nextBoolean() ? random.nextInt(128) : random.nextInt(256));
            }
            ByteBuf message = Unpooled.wrappedBuffer(ascii, tail, after);
            boolean expected = ByteBufUtil.isText(message, StandardCharsets.UTF_8);
            invalid += expected ? 0 : 1;
            assertEquals(expected, Utf8Text.isValid(ByteBufUtil.getBytes(message)), () -> ByteBufUtil.hexDump(message));
        }
        assertTrue(invalid > 1_000, "the sample has invalid messages: " + invalid);
    }

    @Test
    void edgesOfTheEightByteRuns() {
        assertTrue(Utf8Text.isValid(new byte[0]));
        assertTrue(Utf8Text.isValid("12345678".getBytes(StandardCharsets.UTF_8)));
        assertTrue(Utf8Text.isValid("1234567€".getBytes(StandardCharsets.UTF_8)));
        assertFalse(Utf8Text.isValid(new byte[] {'1', '2', '3', '4', '5', '6', '7', '8', (byte) 0xE2, (byte) 0x82}));
        assertFalse(Utf8Text.isValid(new byte[] {'1', '2', '3', '4', '5', '6', '7', (byte) 0x80}));
    }
}
