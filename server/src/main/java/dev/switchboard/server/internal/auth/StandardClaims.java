package dev.switchboard.server.internal.auth;

import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;

/**
 * The claims of a ticket that carries nothing but {@code sub}, {@code exp} and optionally {@code iat}
 * (what {@code /auth/token} and most issuers mint), as an immutable map of three fields. A connection keeps
 * its claims for life; as a general map with boxed numbers they cost about 120 bytes on every idle
 * connection, as this object 32. Tickets with any other claim keep a general map.
 */
final class StandardClaims extends AbstractMap<String, Object> {

    private static final long NONE = Long.MIN_VALUE;

    private final String sub;
    private final long exp;
    private final long iat;

    private StandardClaims(String sub, long exp, long iat) {
        this.sub = sub;
        this.exp = exp;
        this.iat = iat;
    }

    /** This form of {@code claims} (dates already in epoch seconds), or null when it holds anything else. */
    static Map<String, Object> of(Map<String, Object> claims) {
        if (claims.size() > 3 || !(claims.get("sub") instanceof String sub) || !(claims.get("exp") instanceof Long exp)) {
            return null;
        }
        Object iat = claims.get("iat");
        if (claims.size() != (iat == null ? 2 : 3) || (iat != null && !(iat instanceof Long))) {
            return null;
        }
        return new StandardClaims(sub, exp, iat == null ? NONE : (Long) iat);
    }

    @Override
    public Object get(Object key) {
        return switch (key instanceof String k ? k : "") {
            case "sub" -> sub;
            case "exp" -> exp;
            case "iat" -> iat == NONE ? null : iat;
            default -> null;
        };
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    @Override
    public int size() {
        return iat == NONE ? 2 : 3;
    }

    /** The fields in claim order, without building a map (read on every hook call's serialization). */
    @Override
    public Set<Entry<String, Object>> entrySet() {
        java.util.List<Entry<String, Object>> fields = iat == NONE
                ? java.util.List.of(new SimpleImmutableEntry<>("sub", sub), new SimpleImmutableEntry<>("exp", exp))
                : java.util.List.of(new SimpleImmutableEntry<>("sub", sub), new SimpleImmutableEntry<>("exp", exp),
                        new SimpleImmutableEntry<>("iat", iat));
        return new java.util.AbstractSet<>() {
            @Override
            public java.util.Iterator<Entry<String, Object>> iterator() {
                return fields.iterator();
            }

            @Override
            public int size() {
                return fields.size();
            }
        };
    }
}
