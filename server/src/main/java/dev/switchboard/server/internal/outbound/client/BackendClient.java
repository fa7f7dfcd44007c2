package dev.switchboard.server.internal.outbound.client;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * The gateway's HTTP client for its backends (hooks, the RPC hook, webhooks): HTTP/1.1 on the node's own
 * event loops, kept-alive connections pooled per backend URL and per loop ({@link BackendOrigin}), no thread
 * per call. {@code https} backends are verified against the JVM's trust store and their host name, as the
 * JDK's client does.
 */
public final class BackendClient {

    private final EventLoopGroup loops;
    private final Class<? extends SocketChannel> channelType;
    private SslContext tls;

    public BackendClient(EventLoopGroup loops, Class<? extends SocketChannel> channelType) {
        this.loops = loops;
        this.channelType = channelType;
    }

    /** The pool for one backend URL ({@code http} or {@code https}). */
    public synchronized BackendOrigin origin(URI url, Duration connectTimeout, int maxIdlePerLoop) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("a backend URL is http:// or https://, not " + url);
        }
        if (url.getHost() == null) {
            throw new IllegalArgumentException("a backend URL needs a host: " + url);
        }
        return new BackendOrigin(url, loops, channelType, connectTimeout, maxIdlePerLoop,
                scheme.equals("https") ? tls() : null);
    }

    private SslContext tls() {
        if (tls == null) {
            try {
                tls = SslContextBuilder.forClient().protocols("TLSv1.3", "TLSv1.2").build();
            } catch (SSLException e) {
                throw new IllegalStateException("cannot set up TLS for backend calls: " + e.getMessage(), e);
            }
        }
        return tls;
    }

    /** A TLS handler that checks the backend's certificate is for {@code host} (SNI sent). */
    static SslHandler tlsHandler(SslContext tls, SocketChannel ch, String host, int port) {
        SslHandler handler = tls.newHandler(ch.alloc(), host, port);
        SSLParameters p = handler.engine().getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        handler.engine().setSSLParameters(p);
        return handler;
    }
}
