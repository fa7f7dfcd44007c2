package dev.switchboard.protocol;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GlobPatternTest {

    @Test
    void starAndQuestionMark() {
        assertTrue(new GlobPattern("chat:*").matches("chat:lobby"));
        assertTrue(new GlobPattern("chat:*").matches("chat:"));
        assertFalse(new GlobPattern("chat:*").matches("chatter"));
        assertTrue(new GlobPattern("*").matches(""));
        assertTrue(new GlobPattern("user:?").matches("user:a"));
        assertFalse(new GlobPattern("user:?").matches("user:ab"));
        assertTrue(new GlobPattern("a*b*c").matches("aXXbYYc"));
        assertFalse(new GlobPattern("a*b*c").matches("aXXbYY"));
        assertTrue(new GlobPattern("exact").matches("exact"));
        assertFalse(new GlobPattern("exact").matches("exact2"));
    }

    @Test
    void literalShortcutsAgreeWithTheGeneralMatcher() {
        java.util.Random random = new java.util.Random(7);
        String alphabet = "ab:*?";
        int matched = 0;
        for (int n = 0; n < 50_000; n++) {
            GlobPattern pattern = new GlobPattern(randomText(random, alphabet, 6));
            String text = randomText(random, "ab:", 7);
            boolean expected = pattern.wildcardMatch(text);
            matched += expected ? 1 : 0;
            org.junit.jupiter.api.Assertions.assertEquals(expected, pattern.matches(text), pattern + " ~ " + text);
        }
        assertTrue(matched > 1_000, "the sample has matches: " + matched);
    }

    private static String randomText(java.util.Random random, String alphabet, int maxLength) {
        StringBuilder b = new StringBuilder();
        for (int i = random.nextInt(maxLength + 1); i > 0; i--) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    @Test
    void hostilePatternsStayLinear() {
        String text = "a".repeat(10_000);
        GlobPattern p = new GlobPattern("*a*a*a*a*a*a*a*a*a*a*b");
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertFalse(p.matches(text)));
    }

    @Test
    void listParsing() {
        assertTrue(GlobPattern.anyMatches(GlobPattern.list(" chat:* , news:*"), "news:1"));
        assertFalse(GlobPattern.anyMatches(GlobPattern.list(""), "x"));
    }
}
