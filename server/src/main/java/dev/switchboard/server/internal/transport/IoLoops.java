package dev.switchboard.server.internal.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.util.concurrent.TimeUnit;

/**
 * The node's event loops and the socket transport they run on: the server's sockets and the outbound ones
 * (backend hook calls) share them, so a hook call costs no thread of its own. The gateway owns them and stops
 * them last, after the server has drained and the last webhooks have gone out.
 */
public final class IoLoops implements AutoCloseable {

    private final IoTransport.Loaded transport;
    private final int threads;
    private final EventLoopGroup group;

    private IoLoops(IoTransport.Loaded transport, int threads) {
        this.transport = transport;
        this.threads = threads;
        this.group = new MultiThreadIoEventLoopGroup(threads, transport.handlers());
    }

    /** Loads {@code transport} (failing clearly when it cannot run here) and starts {@code threads} loops. */
    public static IoLoops open(IoTransport transport, int threads) {
        return new IoLoops(transport.load(), threads > 0 ? threads
                : TransportSettings.defaultIoThreads(Runtime.getRuntime().availableProcessors()));
    }

    public EventLoopGroup group() {
        return group;
    }

    public IoTransport.Loaded transport() {
        return transport;
    }

    public int threads() {
        return threads;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
