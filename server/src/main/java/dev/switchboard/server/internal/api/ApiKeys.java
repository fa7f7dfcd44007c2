package dev.switchboard.server.internal.api;

import dev.switchboard.server.internal.transport.HttpRequestData;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/** Bearer API keys for backend calls; compared in constant time so timing does not leak a key. */
public final class ApiKeys {

    private final List<byte[]> keys;

    public ApiKeys(List<String> keys) {
        this.keys = keys.stream().filter(k -> !k.isBlank()).map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
    }

    /** Whether any key is configured (no key: the API is closed). */
    public boolean isConfigured() {
        return !keys.isEmpty();
    }

    /** Whether the request carries {@code Authorization: Bearer <a configured key>}. */
    public boolean allows(HttpRequestData request) {
        String header = request.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        boolean ok = false;
        for (byte[] key : keys) {
            ok |= MessageDigest.isEqual(key, given);
        }
        return ok;
    }
}
