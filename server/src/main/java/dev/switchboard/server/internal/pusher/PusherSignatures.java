package dev.switchboard.server.internal.pusher;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Pusher's signatures, exactly as its libraries make them: HMAC-SHA256 in lower-case hex under the app secret;
 * a channel authorization is {@code key:hex(socket_id:channel[:channel_data])}, a user sign-in
 * {@code key:hex(socket_id::user::user_data)}. Compared in constant time.
 */
final class PusherSignatures {

    private PusherSignatures() {
    }

    static String hmacHex(String secret, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    static boolean equal(String expected, String given) {
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether {@code auth} authorizes {@code socketId} on {@code channel} (with {@code channelData} for presence). */
    static boolean channelAuthorized(PusherApps.App app, String socketId, String channel, String channelData,
                                     String auth) {
        String signed = channelData == null ? socketId + ":" + channel : socketId + ":" + channel + ":" + channelData;
        return equal(app.key() + ":" + hmacHex(app.secret(), signed), auth);
    }

    /** Whether {@code auth} signs {@code userData} in for {@code socketId}. */
    static boolean signedIn(PusherApps.App app, String socketId, String userData, String auth) {
        return equal(app.key() + ":" + hmacHex(app.secret(), socketId + "::user::" + userData), auth);
    }

    static String md5Hex(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("MD5 is not available", e);
        }
    }
}
