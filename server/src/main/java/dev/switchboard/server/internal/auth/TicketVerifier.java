package dev.switchboard.server.internal.auth;

import dev.switchboard.protocol.GlobPattern;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ProtocolException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * Verifies connection tickets (JWTs): the signature with a configured key (HS256 secret, RS256/ES256 public
 * key) or with the issuer's JWK set ({@link JwksSignatureCheck}), then {@code sub}, {@code exp}, {@code nbf}
 * and the channel permissions. Every signature check pins the algorithms it accepts: that is what defeats
 * {@code alg=none} and RS/HS confusion.
 */
public final class TicketVerifier {

    /** Tolerated clock difference between the ticket issuer and this node. */
    private static final long CLOCK_SKEW_MILLIS = 5_000;

    /** Accepts a parsed ticket's signature or throws {@code token_invalid} saying why. */
    interface SignatureCheck {
        void check(SignedJWT jwt);
    }

    private final SignatureCheck signature;
    private final Permissions defaults;
    private final Clock clock;

    private TicketVerifier(SignatureCheck signature, Permissions defaults, Clock clock) {
        this.signature = signature;
        this.defaults = defaults;
        this.clock = clock;
    }

    private TicketVerifier(JWSAlgorithm algorithm, JWSVerifier verifier, Permissions defaults, Clock clock) {
        this(jwt -> {
            if (!algorithm.equals(jwt.getHeader().getAlgorithm())) {
                throw invalid("ticket algorithm " + jwt.getHeader().getAlgorithm() + " is not the configured " + algorithm);
            }
            try {
                if (!jwt.verify(verifier)) {
                    throw invalid("bad signature");
                }
            } catch (JOSEException e) {
                throw invalid("signature cannot be verified: " + e.getMessage());
            }
        }, defaults, clock);
    }

    /** Keys from the issuer's JWKS endpoint, selected by {@code kid} (see {@link JwksSignatureCheck}). */
    public static TicketVerifier jwks(JwksSignatureCheck check, Permissions defaults, Clock clock) {
        return new TicketVerifier(check, defaults, clock);
    }

    /** HS256 with a shared secret (at least 32 bytes, as RFC 7518 requires for HS256). */
    public static TicketVerifier hmac(byte[] secret, Permissions defaults, Clock clock) {
        try {
            return new TicketVerifier(JWSAlgorithm.HS256, new MACVerifier(secret), defaults, clock);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("token secret must be at least 32 bytes for HS256", e);
        }
    }

    /** RS256 or ES256 with a public key; the algorithm follows the key type. */
    public static TicketVerifier publicKey(PublicKey key, Permissions defaults, Clock clock) {
        try {
            if (key instanceof RSAPublicKey rsa) {
                return new TicketVerifier(JWSAlgorithm.RS256, new RSASSAVerifier(rsa), defaults, clock);
            }
            if (key instanceof ECPublicKey ec) {
                return new TicketVerifier(JWSAlgorithm.ES256, new ECDSAVerifier(ec), defaults, clock);
            }
        } catch (JOSEException e) {
            throw new IllegalArgumentException("unusable public key: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("public key must be RSA (RS256) or EC P-256 (ES256)");
    }

    /**
     * Verifies a ticket.
     *
     * @throws ProtocolException {@code token_invalid} or {@code token_expired}, with a message that says why
     */
    public Ticket verify(String token) {
        if (token == null || token.isBlank()) {
            throw invalid("no ticket given");
        }
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException e) {
            throw invalid("not a signed JWT (alg=none and malformed tickets are rejected)");
        }
        signature.check(jwt);
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw invalid("claims are not a JSON object");
        }
        String sub = claims.getSubject();
        if (sub == null || sub.isBlank()) {
            throw invalid("sub claim (user id) is required");
        }
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw invalid("exp claim is required");
        }
        long now = clock.millis();
        if (exp.getTime() + CLOCK_SKEW_MILLIS <= now) {
            throw new ProtocolException(ErrorCode.TOKEN_EXPIRED, "ticket expired");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.getTime() - CLOCK_SKEW_MILLIS > now) {
            throw new ProtocolException(ErrorCode.TOKEN_EXPIRED, "ticket not valid yet (nbf)");
        }
        return new Ticket(sub, exp.getTime(), permissionsFrom(claims), compact(claims.getClaims()));
    }

    /**
     * The claims as a compact immutable map, dates as JWT-style epoch seconds: the connection keeps them for
     * its lifetime, so the library's LinkedHashMap and Date objects would be paid per idle connection.
     */
    private static Map<String, Object> compact(Map<String, Object> claims) {
        Map<String, Object> out = new java.util.HashMap<>(claims.size() * 2);
        claims.forEach((k, v) -> {
            if (v != null) {
                // Names are a few per issuer (sub, exp, iat, …) but parsed anew from every ticket: one shared
                // copy each instead of one per connection (the ticket is signed, so the set is the issuer's).
                String name = k.length() <= 32 ? k.intern() : k;
                out.put(name, v instanceof Date d ? d.getTime() / 1000 : v);
            }
        });
        Map<String, Object> standard = StandardClaims.of(out);
        return standard != null ? standard : Map.copyOf(out);
    }

    private Permissions permissionsFrom(JWTClaimsSet claims) {
        Object channels = claims.getClaim("channels");
        Object broadcastClaim = claims.getClaim("broadcast");
        boolean broadcast = broadcastClaim instanceof Boolean b ? b : defaults.broadcast();
        if (!(channels instanceof Map<?, ?> map)) {
            // the defaults object itself when nothing differs: connections keep theirs for life
            return broadcast == defaults.broadcast() ? defaults
                    : new Permissions(defaults.subscribe(), defaults.publish(), broadcast);
        }
        return new Permissions(patterns(map.get("subscribe")), patterns(map.get("publish")), broadcast);
    }

    private static List<GlobPattern> patterns(Object value) {
        List<GlobPattern> out = new ArrayList<>();
        if (value instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof String s) {
                    out.add(new GlobPattern(s));
                }
            }
        }
        return List.copyOf(out);
    }

    static ProtocolException invalid(String why) {
        return new ProtocolException(ErrorCode.TOKEN_INVALID, why);
    }
}
