package dev.switchboard.server.internal.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The browser session cookie. Connections presenting the same cookie share a session id; the id is a
 * hash of the cookie so that the cookie (HttpOnly, a credential of sorts) never travels in frames.
 */
public final class SessionCookies {

    /** Cookie name. */
    public static final String NAME = "sb_sid";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private SessionCookies() {
    }

    /** A new random cookie value (128 bits). */
    public static String newValue() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return B64.encodeToString(bytes);
    }

    /** The public session id derived from a cookie value. */
    public static String sessionId(String cookieValue) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(cookieValue.getBytes(StandardCharsets.UTF_8));
            return B64.encodeToString(java.util.Arrays.copyOf(digest, 12));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The {@code Set-Cookie} header value for a new cookie. */
    public static String setCookieHeader(String value, boolean secure) {
        return NAME + "=" + value + "; Path=/; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "");
    }

    /** Whether a cookie value has the shape we issue; anything else is ignored and replaced. */
    public static boolean isWellFormed(String value) {
        return value != null && value.length() >= 16 && value.length() <= 64
                && value.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_');
    }
}
