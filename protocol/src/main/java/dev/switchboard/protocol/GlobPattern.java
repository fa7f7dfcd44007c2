package dev.switchboard.protocol;

import java.util.List;

/**
 * A channel-name glob: {@code *} matches any run of characters (including none), {@code ?} exactly one.
 * Matching is iterative with one backtrack point, so a hostile pattern cannot make it exponential.
 */
public final class GlobPattern {

    private final String pattern;
    /**
     * The pattern's literal prefix when it is all there is to check: the whole pattern without wildcards, or
     * the part before a lone trailing {@code *} ({@code "*"}, {@code "chat:*"}, the common permission globs,
     * checked on every publish and subscribe); null when the general matcher is needed.
     */
    private final String literal;
    private final boolean trailingStar;

    public GlobPattern(String pattern) {
        this.pattern = pattern;
        int wildcard = firstWildcard(pattern);
        boolean lastOnly = wildcard >= 0 && wildcard == pattern.length() - 1 && pattern.charAt(wildcard) == '*';
        this.literal = wildcard < 0 ? pattern : lastOnly ? pattern.substring(0, wildcard) : null;
        this.trailingStar = lastOnly;
    }

    private static int firstWildcard(String pattern) {
        for (int i = 0; i < pattern.length(); i++) {
            if (pattern.charAt(i) == '*' || pattern.charAt(i) == '?') {
                return i;
            }
        }
        return -1;
    }

    /** Whether {@code text} matches. */
    public boolean matches(String text) {
        if (literal != null) {
            return trailingStar ? text.startsWith(literal) : text.equals(literal);
        }
        return wildcardMatch(text);
    }

    /** The general matcher, for any pattern (what the literal shortcut must agree with). */
    boolean wildcardMatch(String text) {
        int p = 0;
        int t = 0;
        int starP = -1;
        int starT = 0;
        while (t < text.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                starP = p++;
                starT = t;
            } else if (starP >= 0) {
                p = starP + 1;
                t = ++starT;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    /** Whether any of {@code patterns} matches {@code text}. */
    public static boolean anyMatches(List<GlobPattern> patterns, String text) {
        for (GlobPattern g : patterns) {
            if (g.matches(text)) {
                return true;
            }
        }
        return false;
    }

    /** Parses a comma-separated list, ignoring blanks. */
    public static List<GlobPattern> list(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return List.of();
        }
        return java.util.Arrays.stream(commaSeparated.split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).map(GlobPattern::new).toList();
    }

    @Override
    public String toString() {
        return pattern;
    }
}
