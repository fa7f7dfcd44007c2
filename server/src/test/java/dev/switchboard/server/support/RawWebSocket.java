package dev.switchboard.server.support;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * A wire-level WebSocket client for what library clients hide: it never answers pings (a stalled peer),
 * sends arbitrary headers (Origin, Cookie) and oversized or fragmented frames, and exposes the raw
 * handshake response.
 */
public final class RawWebSocket implements AutoCloseable {

    /** One frame as received. */
    public record Frame(int opcode, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The close code of a close frame. */
        public int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        }
    }

    public static final int TEXT = 1;
    public static final int CLOSE = 8;
    public static final int PING = 9;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final String handshakeResponse;

    private RawWebSocket(Socket socket, String handshakeResponse, InputStream in) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(in);
        this.out = socket.getOutputStream();
        this.handshakeResponse = handshakeResponse;
    }

    /** Sends an upgrade request for {@code pathAndQuery} with extra headers; does not check the answer. */
    public static RawWebSocket connect(int port, String pathAndQuery, Map<String, String> headers) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(10_000);
        byte[] nonce = new byte[16];
        new SecureRandom().nextBytes(nonce);
        StringBuilder req = new StringBuilder()
                .append("GET ").append(pathAndQuery).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(port).append("\r\n")
                .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
                .append("Sec-WebSocket-Key: ").append(Base64.getEncoder().encodeToString(nonce)).append("\r\n")
                .append("Sec-WebSocket-Version: 13\r\n");
        headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
        req.append("\r\n");
        s.getOutputStream().write(req.toString().getBytes(StandardCharsets.US_ASCII));
        InputStream in = s.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
        }
        return new RawWebSocket(s, head.toString(StandardCharsets.US_ASCII), in);
    }

    /** The status line and headers of the server's answer. */
    public String handshakeResponse() {
        return handshakeResponse;
    }

    public int status() {
        return Integer.parseInt(handshakeResponse.split(" ")[1]);
    }

    /** Sends one masked frame. */
    public void sendFrame(int opcode, boolean fin, byte[] payload) throws IOException {
        sendFrameWithFirstByte((fin ? 0x80 : 0) | opcode, payload);
    }

    /** Sends one masked frame whose first byte (FIN, RSV1-3, opcode) is given as is, e.g. RSV1 for a compressed one. */
    public void sendFrameWithFirstByte(int firstByte, byte[] payload) throws IOException {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(firstByte);
        int len = payload.length;
        if (len < 126) {
            f.write(0x80 | len);
        } else if (len < 65536) {
            f.write(0x80 | 126);
            f.write(len >>> 8);
            f.write(len);
        } else {
            f.write(0x80 | 127);
            for (int i = 7; i >= 0; i--) {
                f.write((int) ((long) len >>> (8 * i)));
            }
        }
        byte[] mask = new byte[4];
        new SecureRandom().nextBytes(mask);
        f.write(mask);
        for (int i = 0; i < len; i++) {
            f.write(payload[i] ^ mask[i % 4]);
        }
        out.write(f.toByteArray());
        out.flush();
    }

    public void sendText(String text) throws IOException {
        sendFrame(TEXT, true, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads the next frame; {@code null} when the socket closed. */
    public Frame read() throws IOException {
        int b0 = in.read();
        if (b0 < 0) {
            return null;
        }
        int b1 = in.readUnsignedByte();
        long len = b1 & 0x7f;
        if (len == 126) {
            len = in.readUnsignedShort();
        } else if (len == 127) {
            len = in.readLong();
        }
        byte[] payload = new byte[(int) len];
        in.readFully(payload);
        return new Frame(b0 & 0x0f, payload);
    }

    /** Reads frames until a close frame (returning its code) or the socket's end (returning -1). */
    public int awaitClose() throws IOException {
        return awaitClose(f -> { });
    }

    /** Like {@link #awaitClose()}, showing every frame before the close to {@code seen}. */
    public int awaitClose(java.util.function.Consumer<Frame> seen) throws IOException {
        while (true) {
            Frame f = read();
            if (f == null) {
                return -1;
            }
            if (f.opcode() == CLOSE) {
                return f.closeCode();
            }
            seen.accept(f);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
