package dev.switchboard.server;

import dev.switchboard.server.internal.transport.IoTransport;
import dev.switchboard.server.internal.transport.ServerTls;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** What this build is and what it can use here: version, git revision, JDK, socket transport, TLS engine. */
final class BuildInfo implements CommandLine.IVersionProvider {

    private static final Properties BUILD = load();

    static String version() {
        return BUILD.getProperty("version", "unknown");
    }

    /** The git revision built from ({@code +dirty} when the tree had changes), or "unknown". */
    static String revision() {
        String rev = BUILD.getProperty("revision", "");
        if (rev.isEmpty() || rev.startsWith("${")) {
            return "unknown";
        }
        return "true".equals(BUILD.getProperty("dirty")) ? rev + "+dirty" : rev;
    }

    @Override
    public String[] getVersion() {
        Runtime.Version jdk = Runtime.version();
        String transport;
        try {
            transport = IoTransport.parse("auto").load().describe();
        } catch (RuntimeException e) {
            transport = "none (" + e.getMessage() + ")";
        }
        return new String[] {
            "switchboard " + version() + " (revision " + revision() + ")",
            "JDK " + jdk + " (" + System.getProperty("java.vendor") + ") on " + System.getProperty("os.name") + " "
                    + System.getProperty("os.arch"),
            "transport: " + transport + "; TLS: " + ServerTls.bestAvailable(),
        };
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/switchboard-build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException ignored) {
            // an unknown version is reported as such
        }
        return p;
    }
}
