package dev.switchboard.bench.targets;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/** Copies one socket's bytes to another until either side goes; then closes both. For the loopback proxies. */
final class SocketPipe {

    private SocketPipe() {
    }

    /** Pumps both directions between {@code a} and {@code b}, each on a virtual thread; returns at once. */
    static void join(Socket a, Socket b, Runnable onEnd) {
        Thread.ofVirtual().start(() -> pump(a, b, onEnd));
        Thread.ofVirtual().start(() -> pump(b, a, onEnd));
    }

    private static void pump(Socket from, Socket to, Runnable onEnd) {
        byte[] buf = new byte[8 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            // one side went away: close both
        } finally {
            close(from);
            close(to);
            onEnd.run();
        }
    }

    static void close(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
