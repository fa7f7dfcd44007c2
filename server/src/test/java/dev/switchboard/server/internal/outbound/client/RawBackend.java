package dev.switchboard.server.internal.outbound.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback backend speaking HTTP/1.1 by hand, so a test decides byte for byte what the client gets (and
 * when the connection closes): {@link Script} is told each request's number on its connection.
 */
final class RawBackend implements AutoCloseable {

    /** Answers the {@code n}-th request (from 0) of connection number {@code connection}. */
    @FunctionalInterface
    interface Script {
        void answer(int connection, int n, String body, OutputStream out, Socket socket) throws IOException;
    }

    private final ServerSocket server;
    final AtomicInteger accepted = new AtomicInteger();
    final AtomicInteger closedByPeer = new AtomicInteger();

    RawBackend(Script script) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    int connection = accepted.getAndIncrement();
                    Thread.ofVirtual().start(() -> serve(s, connection, script));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    int port() {
        return server.getLocalPort();
    }

    private void serve(Socket s, int connection, Script script) {
        try (s) {
            InputStream in = s.getInputStream();
            for (int n = 0; ; n++) {
                String body = readRequest(in);
                if (body == null) {
                    closedByPeer.incrementAndGet();
                    return;
                }
                script.answer(connection, n, body, s.getOutputStream(), s);
                if (s.isClosed()) {
                    return;
                }
            }
        } catch (IOException e) {
            closedByPeer.incrementAndGet();
        }
    }

    /** The next request's body, or null at the end of the stream. */
    private static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        int length = 0;
        for (String line : head.toString(StandardCharsets.US_ASCII).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    static void answer(OutputStream out, String headers, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + b.length + "\r\n" + headers
                + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(b);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
