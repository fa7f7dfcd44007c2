package dev.switchboard.server.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throwaway CA and the server certificates it signs, made by scripts/test-certs.sh (openssl), the same
 * script the Node and Chromium TLS tests use.
 */
public record TestCertificates(Path dir) {

    /** A CA and a server certificate named "server" of {@code kind} (rsa or ec) in a new directory under {@code parent}. */
    public static TestCertificates create(Path parent, String kind) {
        TestCertificates certs = new TestCertificates(parent);
        certs.issue(kind, "server");
        return certs;
    }

    /** Issues (another) server certificate from the same CA: {@code name.pem} and {@code name.key}. */
    public void issue(String kind, String name) {
        Path script = projectRoot().resolve("scripts/test-certs.sh");
        try {
            Process p = new ProcessBuilder("bash", script.toString(), dir.toString(), kind, name)
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IllegalStateException("test-certs.sh failed: " + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Path ca() {
        return dir.resolve("ca.pem");
    }

    public Path cert(String name) {
        return dir.resolve(name + ".pem");
    }

    public Path key(String name) {
        return dir.resolve(name + ".key");
    }

    /** The leaf certificate alone (the first of the chain). */
    public Certificate leaf(String name) throws Exception {
        try (InputStream in = Files.newInputStream(dir.resolve(name + ".leaf.pem"))) {
            return CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    /** An SSL context that trusts only the test CA. */
    public SSLContext trustingCa() throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(ca())) {
            store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    /** An HTTP (and WebSocket) client that trusts only the test CA. */
    public HttpClient client() throws Exception {
        return HttpClient.newBuilder().sslContext(trustingCa()).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** The repository's root, from a module's working directory (Maven runs tests in the module). */
    public static Path projectRoot() {
        Path here = Path.of("").toAbsolutePath();
        while (here != null && !Files.exists(here.resolve("scripts/test-certs.sh"))) {
            here = here.getParent();
        }
        if (here == null) {
            throw new IllegalStateException("scripts/test-certs.sh not found above " + Path.of("").toAbsolutePath());
        }
        return here;
    }
}
