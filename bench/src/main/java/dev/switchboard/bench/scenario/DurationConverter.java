package dev.switchboard.bench.scenario;

import dev.switchboard.protocol.Durations;
import java.time.Duration;
import picocli.CommandLine;

/** picocli's side of {@link Durations}: "500ms", "10s", "2m", "1h" or ISO-8601 like PT10S. */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    /** Parses one duration; throws {@link IllegalArgumentException} with the accepted forms otherwise. */
    public static Duration parse(String value) {
        return Durations.parse(value);
    }
}
