package dev.switchboard.bench.targets;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP proxy in front of the gateway whose connections can be cut at will, like a flaky network:
 * the soak's clients connect through it, so cutting it makes them reconnect and recover.
 */
public final class CutProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final int upstreamPort;
    private final Set<Socket> live = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public CutProxy(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        this.listener = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("cut-proxy-accept").start(this::accept);
    }

    public int port() {
        return listener.getLocalPort();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort), 5_000);
                live.add(client);
                SocketPipe.join(client, server, () -> {
                    live.remove(client);
                    live.remove(server);
                });
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    /** Cuts {@code fraction} of the live connections (abruptly, no close frame); returns how many. */
    public int cut(double fraction) {
        List<Socket> all = new ArrayList<>(live);
        Collections.shuffle(all);
        int n = (int) Math.round(all.size() * fraction);
        for (int i = 0; i < n; i++) {
            SocketPipe.close(all.get(i));
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        new ArrayList<>(live).forEach(SocketPipe::close);
    }
}
