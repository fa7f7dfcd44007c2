package dev.switchboard.server.internal.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.protocol.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The compact form of sub/exp/iat claims behaves as the map it replaces. */
class StandardClaimsTest {

    @Test
    void aStandardTicketsClaimsAreCompactAndEqualToTheMap() {
        Map<String, Object> plain = Map.of("sub", "ann", "exp", 1_800_000_000L, "iat", 1_799_999_940L);
        Map<String, Object> compact = StandardClaims.of(plain);
        assertInstanceOf(StandardClaims.class, compact);
        assertEquals(plain, compact);
        assertEquals(compact, plain);
        assertEquals(plain.hashCode(), compact.hashCode());
        assertEquals("ann", compact.get("sub"));
        assertEquals(1_800_000_000L, compact.get("exp"));
        assertNull(compact.get("channels"));
        assertFalse(compact.containsKey("nbf"));
        assertEquals(Json.toTree(plain), Json.toTree(compact), "hooks see the same JSON");
        Map<String, Object> noIat = StandardClaims.of(Map.of("sub", "bo", "exp", 5L));
        assertEquals(2, noIat.size());
        assertTrue(noIat.containsKey("exp"));
    }

    @Test
    void anyOtherClaimKeepsTheGeneralMap() {
        assertNull(StandardClaims.of(Map.of("sub", "ann", "exp", 1L, "role", "admin")));
        assertNull(StandardClaims.of(Map.of("sub", "ann", "exp", 1L, "nbf", 0L)));
        assertNull(StandardClaims.of(Map.of("sub", "ann", "exp", "soon")));
        assertNull(StandardClaims.of(Map.of("exp", 1L)));
    }
}
