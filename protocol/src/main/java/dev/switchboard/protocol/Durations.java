package dev.switchboard.protocol;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one way the project writes durations, on every command line and in tests: {@code 500ms}, {@code 1.5s},
 * {@code 25s}, {@code 5m}, {@code 1h}, a bare number of seconds, or ISO-8601 {@code PT25S}.
 */
public final class Durations {

    private static final Pattern SIMPLE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

    private Durations() {
    }

    /** Parses one duration; throws {@link IllegalArgumentException} naming the accepted forms otherwise. */
    public static Duration parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        Matcher m = SIMPLE.matcher(v);
        if (m.matches()) {
            double n = Double.parseDouble(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            double millis = switch (unit) {
                case "ms" -> n;
                case "s" -> n * 1000;
                case "m" -> n * 60_000;
                default -> n * 3_600_000;
            };
            return Duration.ofMillis(Math.round(millis));
        }
        try {
            return Duration.parse(value.trim().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + value + "' is not a duration (examples: 500ms, 25s, 5m)");
        }
    }

    /** Writes a duration in the shortest exact form {@link #parse} reads back: {@code 0s}, {@code 500ms}, {@code 25s}, {@code 5m}, {@code 2h}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
