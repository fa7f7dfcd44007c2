package dev.switchboard.server.internal.outbound.client;

import dev.switchboard.server.internal.outbound.CallFailure;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.EventExecutor;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * Kept-alive HTTP/1.1 connections to one backend URL, pooled per event loop: a call made on an event loop
 * (a connect hook at the upgrade, a subscribe hook on a frame) runs on that loop's own connections, with no
 * hand-off to another thread; a call from elsewhere (a handler's virtual thread) takes the next loop. Idle
 * connections are reused newest first, so the ones a backend closes for idleness are the ones left alone;
 * one a backend closed anyway is noticed on use and the call sent once more on a fresh connection. How many
 * calls are in flight is the caller's bound ({@code --hook-concurrency}); the pool keeps at most
 * {@code maxIdle} idle connections per loop.
 */
public final class BackendOrigin {

    private final URI url;
    private final RequestHead head;
    private final int maxIdle;
    private final EventLoopGroup loops;
    private final Map<EventExecutor, Pool> pools = new IdentityHashMap<>();
    private final LongAdder opened = new LongAdder();

    /** One loop's connections: touched on that loop only. */
    private final class Pool {
        final Bootstrap bootstrap;
        final ArrayDeque<Channel> idle = new ArrayDeque<>();

        Pool(Bootstrap bootstrap) {
            this.bootstrap = bootstrap;
        }
    }

    BackendOrigin(URI url, EventLoopGroup loops, Class<? extends SocketChannel> channelType, Duration connectTimeout,
                  int maxIdle, SslContext tls) {
        this.url = url;
        this.loops = loops;
        this.maxIdle = maxIdle;
        int port = url.getPort() > 0 ? url.getPort() : tls != null ? 443 : 80;
        String host = url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : "");
        String p = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        this.head = new RequestHead(url.getRawQuery() == null ? p : p + "?" + url.getRawQuery(), host);
        for (EventExecutor e : loops) {
            Bootstrap b = new Bootstrap().group((EventLoop) e).channel(channelType)
                    .remoteAddress(url.getHost(), port)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.SO_KEEPALIVE, true)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            if (tls != null) {
                                ch.pipeline().addLast(BackendClient.tlsHandler(tls, ch, url.getHost(), port));
                            }
                            // requests are written as bytes (RequestHead): only answers need a codec
                            ch.pipeline().addLast(new HttpResponseDecoder(4096, 8192, 16 * 1024),
                                    new BackendConnection());
                        }
                    });
            pools.put(e, new Pool(b));
        }
    }

    public URI url() {
        return url;
    }

    /** Connections opened so far (reuse shows as far fewer than calls). */
    public long connectionsOpened() {
        return opened.sum();
    }

    /** POSTs the request; completes with the whole answer (any status) or fails with a {@code CallFailure}. */
    public CompletableFuture<BackendAnswer> post(BackendRequest request) {
        EventLoop loop = loop();
        return begin(new BufferedExchange(this, request), loop);
    }

    /**
     * POSTs the request; an answer whose content type {@code streamed} accepts completes when its status line
     * arrives, its body to be read as it comes; any other completes whole.
     */
    public CompletableFuture<StreamedAnswer> open(BackendRequest request, java.util.function.Predicate<String> streamed) {
        EventLoop loop = loop();
        return begin(new StreamedExchange(this, request, loop, streamed), loop);
    }

    private <T> CompletableFuture<T> begin(Exchange<T> exchange, EventLoop loop) {
        if (loop.inEventLoop()) {
            exchange.start(loop);
            dispatch(exchange, false);
        } else {
            loop.execute(() -> {
                exchange.start(loop);
                dispatch(exchange, false);
            });
        }
        return exchange.result;
    }

    /** The caller's own loop when it is one of ours, else the next. */
    private EventLoop loop() {
        EventExecutor current = currentLoop();
        return current != null ? (EventLoop) current : loops.next();
    }

    /** Puts the call on an idle connection of its loop, or on a new one ({@code fresh}: a new one only). */
    void dispatch(Exchange<?> exchange, boolean fresh) {
        if (exchange.isDone()) {
            return;
        }
        Pool pool = pools.get(currentLoop()); // dispatch runs on the call's loop
        Channel idle = fresh ? null : pool.idle.pollLast();
        if (idle != null && idle.isActive()) {
            send(exchange, idle, true);
            return;
        }
        ChannelFuture connecting = pool.bootstrap.connect();
        opened.increment();
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                exchange.unreachable();
            } else {
                Channel channel = connecting.channel();
                // An idle connection the backend closes leaves the pool at once, not at its next use.
                channel.closeFuture().addListener(c -> pool.idle.remove(channel));
                send(exchange, channel, false);
            }
        });
    }

    /** The loop of ours the calling thread is, or null. */
    private EventExecutor currentLoop() {
        for (EventExecutor e : pools.keySet()) {
            if (e.inEventLoop()) {
                return e;
            }
        }
        return null;
    }

    private void send(Exchange<?> exchange, Channel channel, boolean reused) {
        exchange.attach(channel, reused);
        if (exchange.isDone()) {
            return;
        }
        ByteBuf wire;
        try {
            wire = head.encode(channel.alloc(), exchange.request);
        } catch (IllegalArgumentException e) { // a header that cannot be sent: nothing went out
            exchange.fail(new CallFailure(CallFailure.Kind.UNREACHABLE, "request not sent: " + e.getMessage()));
            return;
        }
        channel.pipeline().get(BackendConnection.class).assign(exchange);
        channel.writeAndFlush(wire, channel.voidPromise());
    }

    /** A call is over with its connection: back to the pool, or closed ({@code close}, or the pool is full). */
    void release(Channel channel, boolean close) {
        BackendConnection handler = channel.pipeline().get(BackendConnection.class);
        if (handler != null) {
            handler.assign(null);
        }
        Pool pool = pools.get(channel.eventLoop());
        if (close || !channel.isActive() || pool.idle.size() >= maxIdle) {
            channel.close();
            return;
        }
        pool.idle.addLast(channel);
    }
}
