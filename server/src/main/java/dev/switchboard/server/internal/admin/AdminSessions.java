package dev.switchboard.server.internal.admin;

import dev.switchboard.server.internal.transport.HttpRequestData;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who may use the admin API: a browser that logged in with {@code --admin-password} (an HttpOnly,
 * SameSite=Strict cookie, plus a CSRF token it must echo in a header on every change: another site can make
 * the browser send the cookie, never a custom header), or a script with {@code Authorization: Bearer
 * <--admin-key>}. Sessions live in this node's memory for {@link #TTL} and end at logout or restart.
 */
final class AdminSessions {

    static final String COOKIE = "sb_admin";
    static final String CSRF_HEADER = "X-Admin-CSRF";
    static final Duration TTL = Duration.ofHours(8);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A logged-in browser: its CSRF token and when it expires. */
    record Session(String csrf, long expiresAt) {
    }

    /** The outcome of a check: allowed (and how), or the status to answer. */
    record Access(boolean allowed, boolean byKey, int status, String message) {
    }

    private final byte[] password;
    private final byte[] key;
    private final boolean secureCookie;
    private final Clock clock;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    AdminSessions(String password, String key, boolean secureCookie, Clock clock) {
        this.password = password == null ? null : password.getBytes(StandardCharsets.UTF_8);
        this.key = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
        this.secureCookie = secureCookie;
        this.clock = clock;
    }

    boolean passwordLogin() {
        return password != null;
    }

    /** A new session when {@code attempt} is the password (compared in constant time), else null. */
    String[] login(String attempt) {
        if (password == null || attempt == null
                || !MessageDigest.isEqual(password, attempt.getBytes(StandardCharsets.UTF_8))) {
            return null;
        }
        sweep();
        String id = random();
        String csrf = random();
        sessions.put(id, new Session(csrf, clock.millis() + TTL.toMillis()));
        return new String[] {id, csrf};
    }

    void logout(HttpRequestData request) {
        String id = cookie(request);
        if (id != null) {
            sessions.remove(id);
        }
    }

    /** The session of the request's cookie, or null. */
    Session session(HttpRequestData request) {
        String id = cookie(request);
        Session s = id == null ? null : sessions.get(id);
        if (s != null && s.expiresAt() < clock.millis()) {
            sessions.remove(id, s);
            return null;
        }
        return s;
    }

    /** May this request read ({@code change} false) or change things? */
    Access check(HttpRequestData request, boolean change) {
        String auth = request.header("Authorization");
        if (key != null && auth != null && auth.startsWith("Bearer ")
                && MessageDigest.isEqual(key, auth.substring(7).getBytes(StandardCharsets.UTF_8))) {
            return new Access(true, true, 200, null);
        }
        Session s = session(request);
        if (s == null) {
            return new Access(false, false, 401, "log in first (or send Authorization: Bearer <admin key>)");
        }
        if (change) {
            String csrf = request.header(CSRF_HEADER);
            if (csrf == null || !MessageDigest.isEqual(s.csrf().getBytes(StandardCharsets.US_ASCII),
                    csrf.getBytes(StandardCharsets.US_ASCII))) {
                return new Access(false, false, 403, "missing or wrong " + CSRF_HEADER + " header");
            }
        }
        return new Access(true, false, 200, null);
    }

    String setCookie(String id) {
        return COOKIE + "=" + id + "; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=" + TTL.toSeconds()
                + (secureCookie ? "; Secure" : "");
    }

    String clearCookie() {
        return COOKIE + "=; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=0" + (secureCookie ? "; Secure" : "");
    }

    private void sweep() {
        long now = clock.millis();
        sessions.values().removeIf(s -> s.expiresAt() < now);
    }

    private static String cookie(HttpRequestData request) {
        String header = request.header("Cookie");
        if (header == null) {
            return null;
        }
        for (Cookie c : ServerCookieDecoder.LAX.decode(header)) {
            if (COOKIE.equals(c.name())) {
                return c.value();
            }
        }
        return null;
    }

    private static String random() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
