package dev.switchboard.bench.client;

import io.netty.buffer.ByteBuf;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Pusher Channels protocol 7, as pusher-js speaks it to {@code /app/{key}}, for one app: the server welcomes with
 * {@code pusher:connection_established}, a public channel is joined with {@code pusher:subscribe} and confirmed by
 * {@code pusher_internal:subscription_succeeded}, events arrive as {@code {"event","channel","data"}} with the
 * data a JSON string, and the server's {@code pusher:ping} is answered with {@code pusher:pong}. A Pusher client
 * cannot publish to a public channel: the backend triggers over the HTTP API ({@link #httpPublish}), signed the
 * way Pusher's server SDKs sign. Spoken to the gateway's Pusher adapter and to Soketi alike.
 */
public final class PusherDialect implements Dialect {

    /** The app every Pusher target of the bench is started with. */
    public static final String BENCH_APP_ID = "bench";
    public static final String BENCH_APP_KEY = "bench-key";
    public static final String BENCH_APP_SECRET = "bench-secret";
    public static final PusherDialect BENCH_APP = new PusherDialect(BENCH_APP_ID, BENCH_APP_KEY, BENCH_APP_SECRET);

    /** The name of the events the bench triggers. */
    public static final String EVENT = "bench";

    private static final byte[] EVENT_KEY = "\"event\":".getBytes(StandardCharsets.US_ASCII);
    /** The payload's stamp inside the event's data, a JSON string: {@code \"t\":}. */
    private static final byte[] ESCAPED_STAMP = "\\\"t\\\":".getBytes(StandardCharsets.US_ASCII);

    private final String appId;
    private final String key;
    private final SecretKeySpec secret;

    public PusherDialect(String appId, String key, String secret) {
        this.appId = appId;
        this.key = key;
        this.secret = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** Pusher channel names allow {@code [A-Za-z0-9_\-=@,.;]}: the scenarios' {@code bench:x} becomes {@code bench-x}. */
    static String channelName(String channel) {
        return channel.replace(':', '-');
    }

    @Override
    public String path() {
        return "/app/" + key;
    }

    /** What pusher-js 8 puts in its connection URL. */
    @Override
    public String queryPrefix() {
        return "protocol=7&client=js&version=8.4.0&flash=false&";
    }

    @Override
    public boolean usesTickets() {
        return false;
    }

    @Override
    public String pong() {
        return "{\"event\":\"pusher:pong\",\"data\":{}}";
    }

    @Override
    public String subscribe(String channel) {
        return "{\"event\":\"pusher:subscribe\",\"data\":{\"auth\":\"\",\"channel\":\"" + channelName(channel) + "\"}}";
    }

    @Override
    public boolean publishesOverSocket() {
        return false;
    }

    @Override
    public String publish(String channel, String data) {
        throw new UnsupportedOperationException("Pusher clients cannot publish to public channels: the bench"
                + " triggers over the HTTP API (--publish-over http)");
    }

    @Override
    public String request(String type, long id, String data) {
        throw new UnsupportedOperationException("the Pusher protocol has no request/reply");
    }

    /** {@code POST /apps/{id}/events} with the event's data as a JSON string, signed with the app's secret. */
    @Override
    public HttpRequest httpPublish(URI base, String channel, String data) {
        String body = "{\"name\":\"" + EVENT + "\",\"channels\":[\"" + channelName(channel) + "\"],\"data\":"
                + jsonString(data) + "}";
        String path = "/apps/" + appId + "/events";
        String query = "auth_key=" + key + "&auth_timestamp=" + System.currentTimeMillis() / 1000
                + "&auth_version=1.0&body_md5=" + hex(md5(body));
        String signature = hex(hmac("POST\n" + path + "\n" + query));
        return HttpRequest.newBuilder(base.resolve(path + "?" + query + "&auth_signature=" + signature))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    @Override
    public long stamp(ByteBuf frame) {
        return FrameScan.stamp(frame, ESCAPED_STAMP);
    }

    @Override
    public Kind kind(ByteBuf frame) {
        String event = FrameScan.stringAfter(frame, EVENT_KEY);
        if (event == null) {
            return Kind.OTHER;
        }
        return switch (event) {
            case "pusher:connection_established" -> Kind.WELCOME;
            case "pusher_internal:subscription_succeeded" -> Kind.REPLY;
            case "pusher:error", "pusher:subscription_error" -> Kind.ERROR;
            case "pusher:ping" -> Kind.PING;
            case EVENT -> Kind.MESSAGE;
            default -> Kind.OTHER; // pusher:pong, member events, ...
        };
    }

    /** Only subscriptions are confirmed in this protocol. */
    @Override
    public String re(ByteBuf frame) {
        return kind(frame) == Kind.REPLY ? SUBSCRIBE_ID : null;
    }

    private byte[] hmac(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(secret);
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static byte[] md5(String body) {
        try {
            return MessageDigest.getInstance("MD5").digest(body.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** The bench's payloads are ASCII JSON without control characters: only quotes and backslashes need escaping. */
    private static String jsonString(String json) {
        return "\"" + json.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
