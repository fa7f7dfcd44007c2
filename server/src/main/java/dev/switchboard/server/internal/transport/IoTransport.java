package dev.switchboard.server.internal.transport;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import java.util.List;
import java.util.Locale;

/**
 * The socket layer under Netty: Linux's io_uring or epoll through Netty's native transports, or the JDK's NIO
 * anywhere. {@code AUTO} takes the measured best that loads here ({@link #AUTO_ORDER}); an explicit choice that
 * cannot load fails the start with the reason Netty gives (a kernel with io_uring disabled, a seccomp profile
 * that blocks its system calls, a platform without the native library) instead of quietly running on another.
 */
public enum IoTransport {
    AUTO, IO_URING, EPOLL, NIO;

    /**
     * What {@code AUTO} tries, best first. epoll before io_uring: on the bench (docs/benchmarks.md, "Transports")
     * io_uring gave no gain in fan-out or rpc on this kernel and cost more per connect, so it is opt-in.
     */
    private static final List<IoTransport> AUTO_ORDER = List.of(EPOLL, IO_URING, NIO);

    /** The transport in force: its name, Netty's I/O handler factory, server and client channel types. */
    public record Loaded(IoTransport transport, IoHandlerFactory handlers, Class<? extends ServerChannel> serverChannel,
                         Class<? extends SocketChannel> socketChannel, String note) {
        public String describe() {
            return transport.label() + (note.isEmpty() ? "" : " (" + note + ")");
        }
    }

    /** The option's spelling: auto, io_uring, epoll, nio. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code auto|io_uring|epoll|nio} (also io-uring, iouring). */
    public static IoTransport parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        if (t.equals("iouring")) {
            t = "io_uring";
        }
        for (IoTransport v : values()) {
            if (v.label().equals(t)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown transport '" + text + "' (auto, io_uring, epoll, nio)");
    }

    /** Why this transport cannot run here, or null when it can. */
    public String unavailability() {
        Throwable cause = switch (this) {
            case IO_URING -> IoUring.isAvailable() ? null : IoUring.unavailabilityCause();
            case EPOLL -> Epoll.isAvailable() ? null : Epoll.unavailabilityCause();
            case NIO, AUTO -> null;
        };
        if (cause == null) {
            return null;
        }
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    /** Loads this transport; {@code AUTO} falls back along {@link #AUTO_ORDER} and says what it skipped. */
    public Loaded load() {
        if (this != AUTO) {
            String reason = unavailability();
            if (reason != null) {
                throw new IllegalStateException("transport " + label() + " is not available here: " + reason
                        + " (choose --transport auto, epoll or nio)");
            }
            return loaded("");
        }
        StringBuilder skipped = new StringBuilder();
        for (IoTransport candidate : AUTO_ORDER) {
            String reason = candidate.unavailability();
            if (reason == null) {
                return candidate.loaded(skipped.isEmpty() ? "auto" : "auto; " + skipped);
            }
            skipped.append(skipped.isEmpty() ? "" : "; ").append(candidate.label()).append(" unavailable: ").append(reason);
        }
        throw new AssertionError("NIO is always available");
    }

    private Loaded loaded(String note) {
        return switch (this) {
            case IO_URING -> new Loaded(this, IoUringIoHandler.newFactory(), IoUringServerSocketChannel.class,
                    IoUringSocketChannel.class, note);
            case EPOLL -> new Loaded(this, EpollIoHandler.newFactory(), EpollServerSocketChannel.class,
                    EpollSocketChannel.class, note);
            case NIO -> new Loaded(this, NioIoHandler.newFactory(), NioServerSocketChannel.class,
                    NioSocketChannel.class, note);
            case AUTO -> throw new IllegalStateException("AUTO is resolved by load()");
        };
    }
}
