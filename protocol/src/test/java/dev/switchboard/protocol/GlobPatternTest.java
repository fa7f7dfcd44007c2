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
