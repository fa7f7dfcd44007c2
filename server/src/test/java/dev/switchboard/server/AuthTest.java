package dev.switchboard.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.protocol.CloseCodes;
import dev.switchboard.server.support.TestGateway;
import dev.switchboard.server.support.WsClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tickets on the upgrade and by {@code auth} message, every kind of bad ticket, the auth deadline, key types. */
class AuthTest {

    static TestGateway gw;

    @BeforeAll
    static void start() {
        gw = TestGateway.start(c -> c.authTimeout = Duration.ofMillis(600));
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    static String sign(JWSSigner signer, JWSAlgorithm alg, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(alg), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    static JWTClaimsSet.Builder claims(String user, long expiresInSeconds) {
        return new JWTClaimsSet.Builder().subject(user).expirationTime(new Date(System.currentTimeMillis() + expiresInSeconds * 1000));
    }

    static String hs256(JWTClaimsSet claims) throws Exception {
        return sign(new MACSigner(TestGateway.SECRET.getBytes()), JWSAlgorithm.HS256, claims);
    }

    @Test
    void ticketOnUpgradeIsWelcomed() {
        try (WsClient c = WsClient.open(gw.ws("/ws?token=" + gw.token("alice")))) {
            JsonNode welcome = c.awaitType("welcome");
            assertEquals("alice", welcome.get("user").asText());
            assertEquals("/ws", welcome.get("endpoint").asText());
            assertNotNull(welcome.get("connection").asText());
            assertNotNull(welcome.get("session").asText());
            assertTrue(welcome.get("ts").asLong() > 0);
        }
    }

    @Test
    void authMessageAfterConnect() {
        try (WsClient c = WsClient.open(gw.ws("/ws"))) {
            assertEquals("unauthorized", c.callError("echo", Map.of("x", 1)));
            JsonNode reply = c.call("auth", Map.of("token", gw.token("bob")));
            assertEquals("bob", reply.get("user").asText());
            assertEquals("bob", c.awaitType("welcome").get("user").asText());
            assertEquals(1, c.call("echo", Map.of("x", 1)).get("x").asInt());
            assertEquals("already_authenticated", c.callError("auth", Map.of("token", gw.token("bob"))));
        }
    }

    @Test
    void badTicketsOnUpgradeAreRejectedWith4003() throws Exception {
        KeyPair rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        Map<String, String> bad = Map.of(
                "garbage", "not.a.jwt",
                "alg none", new PlainJWT(claims("eve", 60).build()).serialize(),
                "wrong alg", sign(new RSASSASigner(rsa.getPrivate()), JWSAlgorithm.RS256, claims("eve", 60).build()),
                "bad signature", sign(new MACSigner("another-secret-another-secret-1234".getBytes()), JWSAlgorithm.HS256, claims("eve", 60).build()),
                "no sub", hs256(new JWTClaimsSet.Builder().expirationTime(new Date(System.currentTimeMillis() + 60_000)).build()),
                "no exp", hs256(new JWTClaimsSet.Builder().subject("eve").build()));
        for (var e : bad.entrySet()) {
            try (WsClient c = WsClient.open(gw.ws("/ws?token=" + e.getValue()))) {
                JsonNode error = c.awaitType("error");
                assertEquals("token_invalid", error.at("/error/code").asText(), e.getKey());
                assertEquals(CloseCodes.AUTH_FAILED, c.awaitClose(), e.getKey());
            }
        }
        String expired = hs256(claims("eve", -60).build());
        String notYet = hs256(claims("eve", 600).notBeforeTime(new Date(System.currentTimeMillis() + 300_000)).build());
        for (String token : List.of(expired, notYet)) {
            try (WsClient c = WsClient.open(gw.ws("/ws?token=" + token))) {
                assertEquals("token_expired", c.awaitType("error").at("/error/code").asText());
                assertEquals(CloseCodes.AUTH_FAILED, c.awaitClose());
            }
        }
    }

    @Test
    void badTicketByAuthMessageKeepsConnectionOpen() throws Exception {
        try (WsClient c = WsClient.open(gw.ws("/ws"))) {
            assertEquals("token_expired", c.callError("auth", Map.of("token", hs256(claims("eve", -60).build()))));
            assertEquals("token_invalid", c.callError("auth", Map.of("token", "x.y.z")));
            assertEquals("bad_request", c.callError("auth", Map.of()));
            assertEquals("carol", c.call("auth", Map.of("token", gw.token("carol"))).get("user").asText());
        }
    }

    @Test
    void unauthenticatedConnectionClosedAtDeadline() {
        try (WsClient c = WsClient.open(gw.ws("/ws"))) {
            assertEquals(CloseCodes.AUTH_TIMEOUT, c.awaitClose(Duration.ofSeconds(5)));
        }
    }

    @Test
    void channelPermissionsComeFromClaims() throws Exception {
        String token = hs256(claims("dave", 60)
                .claim("channels", Map.of("subscribe", List.of("chat:*"), "publish", List.of("chat:open"))).build());
        try (WsClient c = WsClient.open(gw.ws("/ws?token=" + token))) {
            c.awaitType("welcome");
            c.call("subscribe", Map.of("channel", "chat:x"));
            assertEquals("forbidden", c.callError("subscribe", Map.of("channel", "admin:x")));
            assertEquals("forbidden", c.callError("publish", Map.of("channel", "chat:x", "data", 1)));
            c.call("publish", Map.of("channel", "chat:open", "data", 1));
            assertEquals("forbidden", c.callError("broadcast", Map.of("data", 1)));
        }
    }

    @Test
    void anonymousEndpointWelcomesWithoutTicket() {
        try (TestGateway anon = TestGateway.start(c -> c.endpoints = List.of("/ws", "/ws/notifications:anonymous"));
             WsClient c = WsClient.open(anon.ws("/ws/notifications"))) {
            JsonNode welcome = c.awaitType("welcome");
            assertTrue(welcome.get("user").isNull());
            c.call("subscribe", Map.of("channel", "public:news"));
            assertEquals("forbidden", c.callError("subscribe", Map.of("channel", "chat:x")));
            assertEquals("forbidden", c.callError("publish", Map.of("channel", "public:news", "data", 1)));
            // an anonymous connection may still take an identity
            assertEquals("erin", c.call("auth", Map.of("token", anon.token("erin"))).get("user").asText());
        }
    }

    @Test
    void rs256AndEs256PublicKeys(@TempDir Path dir) throws Exception {
        KeyPair rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        KeyPairGenerator ecGen = KeyPairGenerator.getInstance("EC");
        ecGen.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair ec = ecGen.generateKeyPair();
        record Case(KeyPair keys, JWSSigner signer, JWSAlgorithm alg) {
        }
        for (Case k : List.of(new Case(rsa, new RSASSASigner(rsa.getPrivate()), JWSAlgorithm.RS256),
                new Case(ec, new ECDSASigner((java.security.interfaces.ECPrivateKey) ec.getPrivate()), JWSAlgorithm.ES256))) {
            Path pem = dir.resolve(k.alg() + ".pem");
            Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder().encodeToString(k.keys().getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
            try (TestGateway pk = TestGateway.start(c -> {
                c.tokenSecret = null;
                c.tokenPublicKey = pem;
            })) {
                String good = sign(k.signer(), k.alg(), claims("frank", 60).build());
                try (WsClient c = WsClient.open(pk.ws("/ws?token=" + good))) {
                    assertEquals("frank", c.awaitType("welcome").get("user").asText(), k.alg().getName());
                }
                // an HS256 ticket must not pass on an asymmetric-key server (algorithm confusion)
                try (WsClient c = WsClient.open(pk.ws("/ws?token=" + hs256(claims("mallory", 60).build())))) {
                    assertEquals("token_invalid", c.awaitType("error").at("/error/code").asText());
                    assertEquals(CloseCodes.AUTH_FAILED, c.awaitClose());
                }
            }
        }
    }

    @Test
    void tokenEndpointValidatesUserAndIssuesShortLivedTickets() {
        var ok = gw.get("/auth/token?user=zoe");
        assertEquals(200, ok.status());
        assertEquals(60, ok.body().get("expiresIn").asInt());
        assertEquals(400, gw.get("/auth/token").status());
        assertEquals(400, gw.get("/auth/token?user=a%20b").status());
        var post = gw.apiWithKey("POST", "/auth/token", "{\"user\":\"zoe\",\"broadcast\":true}", null);
        assertEquals(200, post.status());
        assertFalse(post.body().get("token").asText().isEmpty());
    }

    @Test
    void tokenEndpointOutsideDevModeNeedsItsKey() {
        try (TestGateway prod = TestGateway.start(c -> {
            c.dev = false;
            c.tokenApiKey = "issuer-key";
        })) {
            assertEquals(401, prod.get("/auth/token?user=a").status());
            assertEquals(200, prod.apiWithKey("POST", "/auth/token", "{\"user\":\"a\"}", "issuer-key").status());
        }
        try (TestGateway prod = TestGateway.start(c -> c.dev = false)) {
            assertEquals(404, prod.get("/auth/token?user=a").status());
        }
    }
}
