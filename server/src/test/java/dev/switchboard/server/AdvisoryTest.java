package dev.switchboard.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.Deflater;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Attacks from the security advisories of comparable servers, each a test that fails on the vulnerable
 * behaviour: a compression bomb (Centrifugo), header and frame floods (ws), malformed envelopes and
 * prototype-style names (Socket.IO), fed through a real socket.
 */
class AdvisoryTest {

    static TestGateway gw;

    @BeforeAll
    static void start() {
        gw = TestGateway.start(c -> {
            c.permessageDeflate = true;
            c.rateLimit = 1_000_000;
            c.rateBurst = 1_000_000;
        });
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    private static RawWebSocket open(Map<String, String> headers) throws IOException {
        RawWebSocket ws = RawWebSocket.connect(gw.port(), "/ws?token=" + gw.token("advisory"), headers);
        assertEquals(101, ws.status(), ws.handshakeResponse());
        RawWebSocket.Frame welcome = ws.read();
        if (headers.isEmpty()) {
            assertEquals("welcome", Json.parse(welcome.text()).get("type").asText());
        } // else: compressed (RSV1) and not worth inflating here
        return ws;
    }

    @Test
    void aSmallCompressedFrameThatInflatesPastTheLimitIsRefusedWith1009() throws IOException {
        try (RawWebSocket ws = open(Map.of("Sec-WebSocket-Extensions", "permessage-deflate"))) {
            assertTrue(ws.handshakeResponse().toLowerCase().contains("permessage-deflate"), ws.handshakeResponse());
            byte[] huge = new byte[64 << 20]; // 64 MiB of zeros, a few KiB compressed
            Arrays.fill(huge, (byte) 'a');
            Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
            d.setInput(huge);
            ByteArrayOutputStream compressed = new ByteArrayOutputStream();
            byte[] buf = new byte[64 * 1024];
            while (!d.needsInput()) {
                compressed.write(buf, 0, d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH));
            }
            byte[] payload = compressed.toByteArray();
            payload = Arrays.copyOf(payload, payload.length - 4); // RFC 7692: without the 00 00 ff ff tail
            assertTrue(payload.length < 200 * 1024, "a small frame: " + payload.length);
            ws.sendFrameWithFirstByte(0x80 | 0x40 | RawWebSocket.TEXT, payload); // FIN, RSV1 (compressed), text
            assertEquals(1009, ws.awaitClose());
        }
        try (RawWebSocket next = open(Map.of())) {
            next.sendText("{\"id\":\"1\",\"type\":\"echo\",\"data\":{\"still\":\"up\"}}");
            assertEquals("up", Json.parse(next.read().text()).at("/data/still").asText(), "the node is fine");
        }
    }

    @Test
    void thousandsOfHeadersAreRefusedAndTheSocketClosed() throws IOException {
        StringBuilder req = new StringBuilder("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (int i = 0; i < 5_000; i++) {
            req.append("X-H").append(i).append(": v\r\n");
        }
        req.append("\r\n");
        try (Socket s = new Socket("127.0.0.1", gw.port())) {
            s.setSoTimeout(5_000);
            s.getOutputStream().write(req.toString().getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            try {
                int b;
                while ((b = in.read()) >= 0) {
                    got.write(b);
                }
            } catch (java.net.SocketException reset) {
                // closed with our unread headers in its buffer
            }
            String answer = got.toString(StandardCharsets.US_ASCII);
            assertTrue(answer.isEmpty() || answer.startsWith("HTTP/1.1 4"), answer);
        }
    }

    @Test
    void aFloodOfTinyContinuationFramesEndsAtTheMessageLimit() throws IOException {
        try (RawWebSocket ws = open(Map.of())) {
            ws.sendFrame(RawWebSocket.TEXT, false, "{".getBytes(StandardCharsets.US_ASCII));
            int sent = 0;
            try {
                for (; sent < 200_000; sent++) {
                    ws.sendFrame(0, false, new byte[] {' '}); // continuation, never final
                }
            } catch (IOException e) {
                // the server closed the socket: expected once the limit is passed
            }
            assertEquals(1009, ws.awaitClose(), "after " + sent + " fragments");
            assertTrue(sent < 200_000 || sent >= 64 * 1024, "bounded by --max-message-size");
        }
    }

    /** Malformed envelopes of every kind the advisories name, with random sizes from a fixed seed. */
    static List<String> hostileEnvelopes(int n) {
        Random r = new Random(20261203);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = "\"f" + i + "\"";
            out.add(switch (i % 14) {
                case 0 -> "{\"id\":" + id + ",\"type\":\"echo\",\"data\":" + "[".repeat(1_001 + r.nextInt(30_000)) + "}";
                case 1 -> "{\"id\":" + id + ",\"type\":\"publish\",\"data\":{\"channel\":\"c\",\"data\":"
                        + "{\"a\":".repeat(1_001 + r.nextInt(5_000)) + "1" + "}".repeat(10) + "}}";
                case 2 -> "{\"id\":" + "9".repeat(200 + r.nextInt(5_000)) + ",\"type\":\"echo\"}";
                case 3 -> "{\"id\":" + id + ",\"type\":\"echo\",\"type\":\"nope-" + r.nextInt() + "\"}";
                case 4 -> "{\"id\":" + id + ",\"type\":\"subscribe\",\"data\":[" + r.nextInt() + "]}";
                case 5 -> "{\"id\":" + id + ",\"type\":\"subscribe\",\"data\":{\"channel\":\"" + "x".repeat(256 + r.nextInt(60_000)) + "\"}}";
                case 6 -> "{\"id\":" + id + ",\"type\":\"__proto__\",\"data\":{\"constructor\":{\"prototype\":{}}}}";
                case 7 -> "{\"id\":" + id + ",\"type\":\"publish\",\"data\":{\"channel\":\"__proto__\\n\",\"data\":1}}";
                case 8 -> "{\"id\":" + id + ",\"type\":" + r.nextInt() + "}";
                case 9 -> "{\"id\":{\"nested\":" + r.nextInt() + "},\"type\":\"echo\"}";
                case 10 -> List.of("[]", "\"text\"", "42", "null", "true", "[{\"type\":\"echo\"}]").get(r.nextInt(6));
                case 11 -> "{\"id\":" + id + ",\"type\":\"echo\",\"data\":{\"n\":1e" + (400 + r.nextInt(999_999)) + "}".substring(0, 1 + r.nextInt(1));
                case 12 -> "{\"id\":" + id + ",\"type\":\"history\",\"data\":{\"channel\":\"c\",\"limit\":\"" + r.nextInt() + "\",\"since\":[]}}";
                default -> "{\"id\":" + id + ",\"type\":\"send\",\"data\":{\"user\":" + r.nextInt() + "}}";
            });
        }
        return out;
    }

    @Test
    void malformedEnvelopesAreAnsweredAndNeverCrashOrStallTheConnection() throws IOException {
        List<String> inputs = hostileEnvelopes(3_000);
        int errors = 0;
        int replies = 0;
        try (RawWebSocket ws = open(Map.of())) {
            for (int i = 0; i < inputs.size(); i++) {
                ws.sendText(inputs.get(i));
                ws.sendText("{\"id\":\"m" + i + "\",\"type\":\"echo\",\"data\":{}}");
                boolean answered = false;
                while (true) {
                    RawWebSocket.Frame f = ws.read();
                    assertTrue(f != null && f.opcode() == RawWebSocket.TEXT, "the connection survived input " + i + ": "
                            + inputs.get(i).substring(0, Math.min(120, inputs.get(i).length())));
                    JsonNode frame = Json.parse(f.text());
                    if (("m" + i).equals(frame.path("re").asText())) {
                        break;
                    }
                    if ("error".equals(frame.path("type").asText())) {
                        assertNotEquals("internal", frame.at("/error/code").asText(), frame.toString());
                        errors++;
                    } else {
                        replies++;
                    }
                    answered = true;
                }
                assertTrue(answered, "input " + i + " got an answer: " + inputs.get(i).substring(0, Math.min(120, inputs.get(i).length())));
            }
        }
        System.out.printf("hostile envelopes: %d sent, %d error frames, %d other answers, connection alive%n",
                inputs.size(), errors, replies);
        assertTrue(errors >= inputs.size() * 0.8, "nearly all are refused: " + errors);
    }
}
