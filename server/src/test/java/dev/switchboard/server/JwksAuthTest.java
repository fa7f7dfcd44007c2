package dev.switchboard.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.protocol.CloseCodes;
import dev.switchboard.server.support.TestGateway;
import dev.switchboard.server.support.WsClient;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tickets verified against the issuer's JWK set served over HTTP on loopback: selection by {@code kid},
 * RSA and EC keys, a key rotated in without a restart, and everything that must not pass.
 */
class JwksAuthTest {

    private HttpServer issuer;
    private final List<JWK> published = new CopyOnWriteArrayList<>();
    private final AtomicInteger fetches = new AtomicInteger();
    private RSAKey rsa;
    private ECKey ec;

    @BeforeEach
    void startIssuer() throws Exception {
        rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        published.add(rsa.toPublicJWK());
        published.add(ec.toPublicJWK());
        issuer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        issuer.createContext("/.well-known/jwks.json", exchange -> {
            fetches.incrementAndGet();
            byte[] body = new JWKSet(new ArrayList<>(published)).toString(true).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        issuer.start();
    }

    @AfterEach
    void stopIssuer() {
        issuer.stop(0);
    }

    private TestGateway gateway(Duration minRefresh) {
        URI jwks = URI.create("http://127.0.0.1:" + issuer.getAddress().getPort() + "/.well-known/jwks.json");
        return TestGateway.start(c -> {
            c.tokenSecret = null;
            c.dev = false;
            c.apiKeys = List.of("k");
            c.tokenJwksUrl = jwks;
            c.tokenJwksMinRefresh = minRefresh;
        });
    }

    private static String rs256(RSAKey key, String user) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                AuthTest.claims(user, 60).build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static String es256(ECKey key, String user) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(),
                AuthTest.claims(user, 60).build());
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    private static void welcomed(TestGateway gw, String token, String user) {
        try (WsClient c = WsClient.open(gw.ws("/ws?token=" + token))) {
            assertEquals(user, c.awaitType("welcome").get("user").asText());
        }
    }

    private static void refused(TestGateway gw, String token, String why) {
        try (WsClient c = WsClient.open(gw.ws("/ws?token=" + token))) {
            assertEquals("token_invalid", c.awaitType("error").at("/error/code").asText(), why);
            assertEquals(CloseCodes.AUTH_FAILED, c.awaitClose(), why);
        }
    }

    @Test
    void ticketsSignedWithAnyPublishedKeyPassAndOthersDoNot() throws Exception {
        try (TestGateway gw = gateway(Duration.ofSeconds(30))) {
            assertEquals(1, fetches.get(), "the set is fetched once at start");
            welcomed(gw, rs256(rsa, "alice"), "alice");
            welcomed(gw, es256(ec, "bob"), "bob");

            RSAKey stranger = new RSAKeyGenerator(2048).keyID("rsa-1").generate(); // same kid, other key
            refused(gw, rs256(stranger, "mallory"), "a key the issuer never published");
            refused(gw, AuthTest.hs256(AuthTest.claims("mallory", 60).build()), "HS256 never passes with a JWKS");
            RSAKey unknownKid = new RSAKeyGenerator(2048).keyID("nobody").generate();
            for (int i = 0; i < 5; i++) {
                refused(gw, rs256(unknownKid, "mallory"), "unknown kid");
            }
            assertTrue(fetches.get() <= 2, "unknown key ids refetch at most once per min-refresh interval, got "
                    + fetches.get() + " fetches");
        }
    }

    @Test
    void aKeyRotatedIntoTheSetIsAcceptedWithoutARestart() throws Exception {
        try (TestGateway gw = gateway(Duration.ZERO)) {
            RSAKey next = new RSAKeyGenerator(2048).keyID("rsa-2").generate();
            refused(gw, rs256(next, "carol"), "not published yet");
            published.add(next.toPublicJWK());
            welcomed(gw, rs256(next, "carol"), "carol");
            welcomed(gw, rs256(rsa, "alice"), "alice"); // the old key still works during the rotation
        }
    }

    @Test
    void anUnverifiedTicketNeverSendsTheGatewayToAUrlOfItsChoosingNorRefetchesForAKnownKid() throws Exception {
        HttpServer attacker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        AtomicInteger lured = new AtomicInteger();
        attacker.createContext("/", exchange -> {
            lured.incrementAndGet();
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        attacker.start();
        try (TestGateway gw = gateway(Duration.ZERO)) {
            int before = fetches.get();
            String elsewhere = "http://127.0.0.1:" + attacker.getAddress().getPort() + "/jwks.json";
            RSAKey forger = new RSAKeyGenerator(2048).keyID("rsa-1").generate(); // a published kid, a forged key
            for (int i = 0; i < 5; i++) {
                SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1")
                        .jwkURL(URI.create(elsewhere)).build(),
                        AuthTest.claims("mallory", 60).issuer(elsewhere).build());
                jwt.sign(new RSASSASigner(forger));
                refused(gw, jwt.serialize(), "forged signature with a jku and an iss pointing elsewhere");
            }
            assertEquals(0, lured.get(), "no request to a URL the ticket names (jku, iss)");
            assertEquals(before, fetches.get(), "a known kid whose signature fails does not refetch the set");
        } finally {
            attacker.stop(0);
        }
    }
}
