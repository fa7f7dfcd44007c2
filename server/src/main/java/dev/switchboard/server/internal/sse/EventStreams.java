package dev.switchboard.server.internal.sse;

import dev.switchboard.protocol.Channels;
import dev.switchboard.protocol.Json;
import dev.switchboard.protocol.MessageTypes;
import dev.switchboard.protocol.ProtocolException;
import dev.switchboard.protocol.StreamPosition;
import dev.switchboard.server.internal.delivery.Connection;
import dev.switchboard.server.internal.routing.Client;
import dev.switchboard.server.internal.routing.ClientSettings;
import dev.switchboard.server.internal.routing.EndpointRoutes;
import dev.switchboard.server.internal.transport.ConnectionOpener;
import dev.switchboard.server.internal.transport.HttpRequestData;
import dev.switchboard.server.internal.transport.HttpResult;
import dev.switchboard.server.internal.transport.HttpRoutes;
import dev.switchboard.server.internal.transport.OriginPolicy;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fallback transport for networks that block WebSockets: {@code GET /sse} opens a Server-Sent Events stream
 * that is, to the rest of the node, one more connection (same {@link Client}, hub registries, limits, hooks,
 * heartbeats and drain); frames go down as events ({@link EventStreamEncoder}), envelopes go up as
 * {@code POST /sse/{connection}} with the stream's key (its first event), so the SDKs keep their whole protocol.
 * {@code ?channel=} subscribes at once, resuming from {@code Last-Event-ID}, for a plain {@code EventSource}.
 * A stream and its POSTs must reach the same node (sticky routing behind a balancer, as for Socket.IO polling).
 */
public final class EventStreams implements HttpRoutes.StreamRoute {

    /** The path of the stream; POSTs go to {@code PATH/{connection}}. */
    public static final String PATH = "/sse";
    /** The header that carries the stream key on POSTs. */
    public static final String KEY_HEADER = "X-Stream-Key";
    /** Ids of the subscribes a stream makes for its {@code ?channel=}: the encoder reads positions off replies. */
    static final String SUBSCRIBE_ID_PREFIX = "sse:";
    /** How long EventSource waits before reconnecting on its own (ms); the SDK uses its own backoff instead. */
    static final int RETRY_MILLIS = 2000;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] BARE_PING = "ping".getBytes(StandardCharsets.US_ASCII);

    private record Stream(Client client, byte[] key) {
    }

    private final Map<String, EndpointRoutes> endpoints;
    private final OriginPolicy origins;
    private final ClientSettings clientSettings;
    private final int maxMessageSize;
    private final Map<String, Stream> open = new ConcurrentHashMap<>();
    private volatile ConnectionOpener opener;

    public EventStreams(Map<String, EndpointRoutes> endpoints, OriginPolicy origins, ClientSettings clientSettings,
                        int maxMessageSize) {
        this.endpoints = endpoints;
        this.origins = origins;
        this.clientSettings = clientSettings;
        this.maxMessageSize = maxMessageSize;
    }

    /** Adds {@code GET /sse} and {@code POST /sse/{connection}}. */
    public void install(HttpRoutes routes) {
        routes.stream("GET", PATH, this);
        routes.add("POST", PATH + "/{connection}", this::send);
    }

    @Override
    public void bind(ConnectionOpener opener) {
        this.opener = opener;
    }

    /** Streams open on this node (for tests). */
    public int openCount() {
        return open.size();
    }

    @Override
    public HttpResult open(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder uri) {
        String path = first(uri, "endpoint", "/ws");
        EndpointRoutes endpoint = endpoints.get(path);
        if (endpoint == null) {
            return HttpResult.error(404, "not_found", "no endpoint " + path);
        }
        String origin = req.headers().get(HttpHeaderNames.ORIGIN);
        if (!origins.allows(origin, req.headers().get(HttpHeaderNames.HOST))) {
            return HttpResult.error(403, "forbidden", "origin not allowed");
        }
        List<String> channels = new ArrayList<>();
        try {
            for (String c : uri.parameters().getOrDefault("channel", List.of())) {
                channels.add(Channels.validate(c));
            }
        } catch (ProtocolException e) {
            return HttpResult.error(400, e.code(), e.getMessage());
        }
        String token = first(uri, "token", null);
        if (token != null && !clientSettings.hooks().decidesConnect()) {
            // Refused with a status, not a close event: EventSource stops on a non-200, but reconnects forever
            // after a stream that ends.
            try {
                clientSettings.verifier().verify(token);
            } catch (ProtocolException e) {
                return HttpResult.error(401, e.code(), e.getMessage());
            }
        }
        HttpResult full = opener.admit(ctx.channel());
        if (full != null) {
            return full;
        }
        ConnectionOpener.Opening<Client> opening;
        try {
            opening = opener.open(ctx.channel(), req, uri, endpoint, true);
        } catch (RuntimeException e) {
            opener.abandoned(ctx.channel());
            throw e;
        }
        Connection connection = opening.connection();
        byte[] key = new byte[18];
        RANDOM.nextBytes(key);
        String keyText = Base64.getUrlEncoder().withoutPadding().encodeToString(key);

        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .set(HttpHeaderNames.CACHE_CONTROL, "no-cache, no-transform")
                .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED)
                .set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
                .set("X-Content-Type-Options", "nosniff")
                .add(opening.responseHeaders());
        if (origin != null && !origin.isEmpty()) {
            head.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin)
                    .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true")
                    .set(HttpHeaderNames.VARY, HttpHeaderNames.ORIGIN);
        }
        ChannelPipeline pipeline = ctx.pipeline();
        pipeline.addAfter("http", "sse-encoder", new EventStreamEncoder(connection, opener.clock()));
        pipeline.replace(ctx.handler(), "sse-inbound", new EventStreamInbound(() -> {
            open.remove(connection.id());
            opener.closed(opening.session());
        }));
        for (String name : List.of("http-deadlines", "http-aggregator", "ws-deflate")) {
            if (pipeline.get(name) != null) {
                pipeline.remove(name); // heartbeats take over; nothing more is read from this socket
            }
        }
        ctx.write(head);
        String hello = "retry: " + RETRY_MILLIS + "\ndata: " + Json.text(Json.object().put("type", "stream")
                .put("connection", connection.id()).put("key", keyText)) + "\n\n";
        ctx.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(hello, StandardCharsets.UTF_8)));
        open.put(connection.id(), new Stream(opening.session(), keyText.getBytes(StandardCharsets.US_ASCII)));
        opener.started(connection);
        opening.session().start(opening.queryToken(), opening.hookHeaders());
        if (!channels.isEmpty()) {
            String resume = req.headers().get("Last-Event-ID", first(uri, "since", null));
            Map<String, StreamPosition> since = StreamPositions.parse(resume, channels);
            opening.session().afterAdmission(() -> subscribe(opening.session(), channels, since));
        }
        return null;
    }

    /** The {@code ?channel=} subscribes, through the client as if sent by it: same permissions, hooks, recovery. */
    private static void subscribe(Client client, List<String> channels, Map<String, StreamPosition> since) {
        if (!client.connection().isIdentified() || !client.connection().isOpen()) {
            return; // refused or gone: the client has said why
        }
        for (String channel : channels) {
            var data = Json.object().put("channel", channel);
            StreamPosition p = since.get(channel);
            if (p != null) {
                data.putObject("since").put("offset", p.offset()).put("epoch", p.epoch());
            }
            var envelope = Json.object().put("id", SUBSCRIBE_ID_PREFIX + channel).put("type", MessageTypes.SUBSCRIBE);
            envelope.set("data", data);
            client.onText(Json.bytes(envelope));
        }
    }

    /**
     * {@code POST /sse/{connection}}: envelopes from the stream's client, one per line, handled in order as if
     * they came on a socket (the bare {@code ping} heartbeat too).
     */
    private CompletableFuture<HttpResult> send(HttpRequestData request) {
        Stream stream = open.get(request.pathParams().get("connection"));
        String key = request.header(KEY_HEADER);
        if (stream == null || key == null
                || !MessageDigest.isEqual(stream.key(), key.getBytes(StandardCharsets.US_ASCII))) {
            return done(HttpResult.error(404, "not_found", "no such stream on this node (closed, or another node's)"));
        }
        List<byte[]> envelopes = lines(request.body());
        if (envelopes.isEmpty()) {
            return done(HttpResult.error(400, "bad_request", "the body must be JSON envelopes, one per line"));
        }
        for (byte[] envelope : envelopes) {
            if (envelope.length > maxMessageSize) {
                return done(HttpResult.error(413, "too_large",
                        "an envelope is larger than --max-message-size (" + maxMessageSize + " bytes)"));
            }
        }
        Client client = stream.client();
        Connection connection = client.connection();
        connection.channel().eventLoop().execute(() -> {
            for (byte[] envelope : envelopes) {
                if (!connection.isOpen()) {
                    return;
                }
                connection.touch(opener.clock().millis());
                connection.countIn(envelope.length);
                if (Arrays.equals(envelope, BARE_PING)) {
                    if (client.admitControl()) { // the SDKs' heartbeat, answered as on a socket
                        connection.sendControl(new TextWebSocketFrame("pong"));
                    }
                } else {
                    client.onText(envelope);
                }
            }
        });
        return done(HttpResult.json(202, Json.object().put("accepted", true)));
    }

    /** The body's non-empty lines: a client may send several envelopes in one request (they keep their order). */
    private static List<byte[]> lines(byte[] body) {
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= body.length; i++) {
            if (i == body.length || body[i] == '\n') {
                int end = i > start && body[i - 1] == '\r' ? i - 1 : i;
                if (end > start) {
                    out.add(Arrays.copyOfRange(body, start, end));
                }
                start = i + 1;
            }
        }
        return out;
    }

    private static CompletableFuture<HttpResult> done(HttpResult result) {
        return CompletableFuture.completedFuture(result);
    }

    private static String first(QueryStringDecoder uri, String name, String otherwise) {
        List<String> values = uri.parameters().get(name);
        return values == null || values.isEmpty() ? otherwise : values.get(0);
    }
}
