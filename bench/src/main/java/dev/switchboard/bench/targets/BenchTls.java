package dev.switchboard.bench.targets;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for the bench's {@code tls} target: a throwaway CA and server certificate (scripts/test-certs.sh, the
 * tests' own), made once per run, and clients that verify against that CA (not ones that skip verification:
 * the handshake costs what a real client's does).
 */
public final class BenchTls {

    private static Path dir;
    private static SslContext netty;
    private static HttpClient http;

    private BenchTls() {
    }

    private static synchronized Path certificates() throws IOException {
        if (dir == null) {
            Path d = Files.createTempDirectory("switchboard-bench-tls");
            try {
                Process p = new ProcessBuilder("bash", Repo.root().resolve("scripts/test-certs.sh").toString(),
                        d.toString(), "ec").redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes());
                if (p.waitFor() != 0) {
                    throw new IOException("test-certs.sh failed: " + out);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            dir = d;
        }
        return dir;
    }

    /** The gateway options that serve TLS with the bench certificate (EC P-256, the common choice). */
    public static List<String> serverArgs() throws IOException {
        Path d = certificates();
        return List.of("--tls-cert=" + d.resolve("server.pem"), "--tls-key=" + d.resolve("server.key"));
    }

    /** The load client's TLS context (Netty's default engine: OpenSSL where it loads). */
    public static synchronized SslContext nettyClient() throws IOException {
        if (netty == null) {
            netty = SslContextBuilder.forClient().trustManager(certificates().resolve("ca.pem").toFile()).build();
        }
        return netty;
    }

    /** An HTTP client trusting the bench CA (tickets, metrics over https). */
    public static synchronized HttpClient httpClient() throws IOException {
        if (http == null) {
            try (InputStream in = Files.newInputStream(certificates().resolve("ca.pem"))) {
                KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(store);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, tmf.getTrustManagers(), null);
                http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(context)
                        .connectTimeout(Duration.ofSeconds(5)).build();
            } catch (java.security.GeneralSecurityException e) {
                throw new IOException(e);
            }
        }
        return http;
    }
}
