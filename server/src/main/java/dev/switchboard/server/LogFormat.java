package dev.switchboard.server;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import org.slf4j.LoggerFactory;

/**
 * The application log's format, {@code --log-format text|json}: logback.xml picks its appender from the
 * {@code switchboard.log.format} property. Logback configures itself at the first logger, which may come before
 * the configuration is read, so it is configured again once the format is known.
 */
final class LogFormat {

    private LogFormat() {
    }

    static void apply(String format) {
        String wanted = "json".equals(format) ? "JSON" : "TEXT";
        if (wanted.equals(System.getProperty("switchboard.log.format", "TEXT"))
                && System.getProperty("switchboard.log.format") != null) {
            return;
        }
        System.setProperty("switchboard.log.format", wanted);
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.reset();
            try {
                new ContextInitializer(context).autoConfig();
            } catch (JoranException e) {
                System.err.println("switchboard: the log configuration failed: " + e.getMessage());
            }
        }
    }
}
