package dev.switchboard.server.config;

import dev.switchboard.protocol.Durations;
import java.time.Duration;
import picocli.CommandLine;

/** picocli's side of {@link Durations}: {@code 500ms}, {@code 25s}, {@code 5m}, {@code 1h}, bare seconds, {@code PT25S}. */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    public static Duration parse(String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
