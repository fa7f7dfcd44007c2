package dev.switchboard.server.internal.pusher;

import dev.switchboard.server.internal.transport.HttpRequestData;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Pusher's request signing, checked: the query carries {@code auth_key}, {@code auth_timestamp} (within 600 s of
 * this server's clock: an older request replayed is refused), {@code auth_version=1.0}, {@code body_md5} (the
 * body's MD5, when there is a body) and {@code auth_signature}, the hex HMAC-SHA256 under the app secret of
 * {@code METHOD\nPATH\nsorted key=value&...} (every parameter but the signature, unencoded).
 */
final class PusherRequestAuth {

    private final Clock clock;

    PusherRequestAuth(Clock clock) {
        this.clock = clock;
    }

    /** Why the request is refused (Pusher's 401 message), or null when it is signed right. */
    String refusal(PusherApps.App app, HttpRequestData request) {
        String key = request.queryParam("auth_key");
        if (key == null || !key.equals(app.key())) {
            return "Unknown auth_key for app " + app.id();
        }
        if (!"1.0".equals(request.queryParam("auth_version"))) {
            return "Invalid auth_version: it must be 1.0";
        }
        long timestamp;
        try {
            timestamp = Long.parseLong(request.queryParam("auth_timestamp"));
        } catch (NumberFormatException e) {
            return "Invalid auth_timestamp";
        }
        long now = clock.millis() / 1000;
        if (Math.abs(now - timestamp) > PusherSettings.TIMESTAMP_WINDOW_SECONDS) {
            return "Timestamp expired: Given timestamp (" + timestamp + ") not within "
                    + PusherSettings.TIMESTAMP_WINDOW_SECONDS + "s of server time (" + now + ")";
        }
        String md5 = request.queryParam("body_md5");
        if (request.body().length > 0 || md5 != null) {
            if (md5 == null || !PusherSignatures.equal(PusherSignatures.md5Hex(request.body()), md5)) {
                return "Invalid body_md5: it must be the hex MD5 of the request body";
            }
        }
        String signed = request.method() + "\n" + request.path() + "\n" + canonicalQuery(request.query());
        String expected = PusherSignatures.hmacHex(app.secret(), signed);
        if (!PusherSignatures.equal(expected, request.queryParam("auth_signature"))) {
            return "Invalid signature: you should have sent HmacSHA256Hex(" + signed.replace("\n", "\\n")
                    + ", your_secret)";
        }
        return null;
    }

    /** Every parameter but the signature, sorted by name, {@code name=value} joined by {@code &}. */
    static String canonicalQuery(Map<String, List<String>> query) {
        TreeMap<String, String> sorted = new TreeMap<>();
        query.forEach((name, values) -> {
            if (!name.equals("auth_signature") && !values.isEmpty()) {
                sorted.put(name.toLowerCase(java.util.Locale.ROOT), values.get(0));
            }
        });
        StringBuilder out = new StringBuilder();
        sorted.forEach((name, value) -> {
            if (!out.isEmpty()) {
                out.append('&');
            }
            out.append(name).append('=').append(value);
        });
        return out.toString();
    }
}
