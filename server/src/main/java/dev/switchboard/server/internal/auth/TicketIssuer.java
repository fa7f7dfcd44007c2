package dev.switchboard.server.internal.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * Mints HS256 tickets with the server's own secret: the development issuer behind {@code /auth/token}.
 * Production backends mint tickets themselves with the same secret (see README).
 */
public final class TicketIssuer {

    private final MACSigner signer;
    private final Duration lifetime;
    private final Clock clock;

    public TicketIssuer(byte[] secret, Duration lifetime, Clock clock) {
        try {
            this.signer = new MACSigner(secret);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("token secret must be at least 32 bytes for HS256", e);
        }
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /** Ticket lifetime. */
    public Duration lifetime() {
        return lifetime;
    }

    /**
     * Issues a ticket for {@code user}.
     *
     * @param subscribe channel patterns, or {@code null} for the server defaults
     * @param publish   channel patterns, or {@code null} for the server defaults
     * @param broadcast the broadcast permission, or {@code null} for the server default
     */
    public String issue(String user, List<String> subscribe, List<String> publish, Boolean broadcast) {
        long now = clock.millis();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .subject(user)
                .issueTime(new Date(now))
                .expirationTime(new Date(now + lifetime.toMillis()));
        if (subscribe != null || publish != null) {
            claims.claim("channels", Map.of(
                    "subscribe", subscribe == null ? List.of() : subscribe,
                    "publish", publish == null ? List.of() : publish));
        }
        if (broadcast != null) {
            claims.claim("broadcast", broadcast);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing failed", e);
        }
        return jwt.serialize();
    }
}
