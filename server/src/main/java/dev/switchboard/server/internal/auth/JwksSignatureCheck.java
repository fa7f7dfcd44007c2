package dev.switchboard.server.internal.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ProtocolException;
import java.net.URI;
import java.net.URL;
import java.security.Key;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Ticket signatures checked against the issuer's published JWK set (an identity provider's
 * {@code /.well-known/jwks.json}), so keys can rotate without restarting gateways: the key is chosen by the
 * ticket's {@code kid}, among the asymmetric algorithms allowed here (never HS256 or none, whatever the
 * header says).
 *
 * <p>Nimbus's {@link JWKSourceBuilder} does the fetching: the set is cached for {@code cacheTtl} and refreshed
 * ahead of expiry in the background; an unknown {@code kid} (a rotation) refetches at once but at most once
 * per {@code minRefreshInterval}, so tickets with made-up key ids cannot turn into a flood of requests to the
 * issuer. Verification runs on the event loop during the upgrade, so fetches use short timeouts and the set
 * is fetched once at start ({@link #prefetch}).
 */
public final class JwksSignatureCheck implements TicketVerifier.SignatureCheck {

    /** What tickets checked against a JWKS may be signed with unless configured otherwise. */
    public static final Set<JWSAlgorithm> DEFAULT_ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);
    private static final int CONNECT_TIMEOUT_MS = 1_000;
    private static final int READ_TIMEOUT_MS = 2_000;
    private static final int SIZE_LIMIT_BYTES = 256 * 1024;

    private final URL url;
    private final Set<JWSAlgorithm> algorithms;
    private final JWKSource<SecurityContext> source;
    private final JWSVerificationKeySelector<SecurityContext> selector;
    private final DefaultJWSVerifierFactory verifiers = new DefaultJWSVerifierFactory();

    /**
     * A check against the set at {@code url}.
     *
     * @throws IllegalArgumentException for a URL that is not http(s) or an allowed algorithm that is not asymmetric
     */
    public JwksSignatureCheck(URI url, Set<JWSAlgorithm> algorithms, Duration cacheTtl, Duration minRefreshInterval) {
        if (!"https".equals(url.getScheme()) && !"http".equals(url.getScheme())) {
            throw new IllegalArgumentException("--token-jwks-url must be an http(s) URL: " + url);
        }
        for (JWSAlgorithm a : algorithms) {
            if (!JWSAlgorithm.Family.RSA.contains(a) && !JWSAlgorithm.Family.EC.contains(a)) {
                throw new IllegalArgumentException("JWKS tickets need an RSA or EC algorithm, not " + a);
            }
        }
        try {
            this.url = url.toURL();
        } catch (java.net.MalformedURLException e) {
            throw new IllegalArgumentException("bad --token-jwks-url: " + e.getMessage(), e);
        }
        this.algorithms = Set.copyOf(algorithms);
        this.source = JWKSourceBuilder.<SecurityContext>create(this.url,
                        new DefaultResourceRetriever(CONNECT_TIMEOUT_MS, READ_TIMEOUT_MS, SIZE_LIMIT_BYTES))
                .cache(cacheTtl.toMillis(), READ_TIMEOUT_MS + CONNECT_TIMEOUT_MS)
                .refreshAheadCache(true)
                .rateLimited(minRefreshInterval.toMillis())
                .retrying(true)
                .build();
        this.selector = new JWSVerificationKeySelector<>(this.algorithms, source);
    }

    /** The JWKS address. */
    public URL url() {
        return url;
    }

    /**
     * Fetches the set now, so the first upgrades do not wait for it.
     *
     * @throws IllegalStateException if the set cannot be fetched or holds no usable key
     */
    public void prefetch() {
        try {
            if (source.get(new JWKSelector(new JWKMatcher.Builder().build()), null).isEmpty()) {
                throw new IllegalStateException("the JWK set at " + url + " holds no keys");
            }
        } catch (KeySourceException e) {
            throw new IllegalStateException("cannot fetch the JWK set at " + url + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void check(SignedJWT jwt) {
        JWSHeader header = jwt.getHeader();
        if (!algorithms.contains(header.getAlgorithm())) {
            throw TicketVerifier.invalid("ticket algorithm " + header.getAlgorithm() + " is not one of " + algorithms);
        }
        List<Key> keys;
        try {
            keys = selector.selectJWSKeys(header, null);
        } catch (RateLimitReachedException e) {
            // An unknown kid, and the set was fetched too recently to look again: the cached set is the answer.
            keys = List.of();
        } catch (KeySourceException e) {
            throw new ProtocolException(ErrorCode.UNAVAILABLE, "the ticket issuer's keys cannot be fetched now");
        }
        if (keys.isEmpty()) {
            throw TicketVerifier.invalid("no key in the issuer's JWK set matches kid=" + header.getKeyID()
                    + " and " + header.getAlgorithm());
        }
        for (Key key : keys) {
            try {
                if (jwt.verify(verifiers.createJWSVerifier(header, key))) {
                    return;
                }
            } catch (JOSEException e) {
                // a key of the wrong shape for this algorithm: try the next candidate
            }
        }
        throw TicketVerifier.invalid("bad signature");
    }
}
