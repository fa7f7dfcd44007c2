package dev.switchboard.server.internal.transport;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS on the gateway's own port: a server context from PEM files (the chain, leaf first, and a PKCS#8 RSA or
 * EC key), TLS 1.2 and 1.3 only, ALPN offering http/1.1, on OpenSSL (BoringSSL, through netty-tcnative) where it
 * loads and the JDK's engine otherwise. The files are checked every reload interval: a renewed certificate is
 * served to new connections (existing ones keep theirs); one that does not load is refused with one log line
 * and a metric, and the old one stays in service.
 */
public final class ServerTls implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServerTls.class);
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final Path cert;
    private final Path key;
    private final String provider;
    private final Duration reloadInterval;
    private final Counter reloaded;
    private final Counter refused;
    private volatile SslContext context;
    private volatile byte[] loadedDigest;
    private byte[] refusedDigest; // the last version refused, so it is logged once, not every check
    private ScheduledFuture<?> checks;

    private ServerTls(Path cert, Path key, String provider, Duration reloadInterval, SslContext context, byte[] digest,
                      MeterRegistry metrics) {
        this.cert = cert;
        this.key = key;
        this.provider = provider;
        this.reloadInterval = reloadInterval;
        this.context = context;
        this.loadedDigest = digest;
        this.reloaded = Counter.builder("switchboard.tls.reloads").tag("result", "loaded")
                .description("certificate reloads").register(metrics);
        this.refused = Counter.builder("switchboard.tls.reloads").tag("result", "refused")
                .description("certificate reloads").register(metrics);
    }

    /**
     * Loads the certificate and key now: a start with a certificate that cannot be read, does not parse or does
     * not match its key fails here, with the reason.
     *
     * @param provider       auto, openssl or jdk
     * @param reloadInterval how often {@link #watch} checks the files (0: never)
     */
    public static ServerTls open(Path cert, Path key, String provider, Duration reloadInterval, MeterRegistry metrics) {
        byte[] digest = digest(cert, key);
        return new ServerTls(cert, key, provider, reloadInterval, load(cert, key, provider), digest, metrics);
    }

    /** Builds a server context from the files; throws IllegalArgumentException with the reason when it cannot. */
    public static SslContext load(Path cert, Path key, String provider) {
        SslProvider engine = engine(provider);
        try {
            byte[] keyPem = Files.readAllBytes(key);
            if (!new String(keyPem, java.nio.charset.StandardCharsets.US_ASCII).contains("-----BEGIN PRIVATE KEY-----")) {
                throw new IllegalArgumentException(key + " is not a PKCS#8 private key ('BEGIN PRIVATE KEY'); convert it with"
                        + " openssl pkcs8 -topk8 -nocrypt -in " + key.getFileName() + " -out key.pem");
            }
            SslContext context = SslContextBuilder.forServer(cert.toFile(), key.toFile())
                    .sslProvider(engine)
                    .protocols(PROTOCOLS)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            ApplicationProtocolNames.HTTP_1_1))
                    .build();
            verifyKeyMatches(cert, keyPem);
            return context;
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot use " + cert + " with " + key + ": " + message(e), e);
        }
    }

    /**
     * A key that is not the certificate's would fail every handshake, not the start: sign with the key and
     * verify with the leaf certificate's public key, so the mismatch is found at load.
     */
    private static void verifyKeyMatches(Path cert, byte[] keyPem) throws IOException {
        try (java.io.InputStream in = Files.newInputStream(cert)) {
            java.security.cert.Certificate leaf = java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(in);
            String pem = new String(keyPem, java.nio.charset.StandardCharsets.US_ASCII);
            String body = pem.substring(pem.indexOf("-----BEGIN PRIVATE KEY-----") + 27, pem.indexOf("-----END PRIVATE KEY-----"));
            java.security.spec.PKCS8EncodedKeySpec spec = new java.security.spec.PKCS8EncodedKeySpec(
                    java.util.Base64.getMimeDecoder().decode(body));
            String algorithm = leaf.getPublicKey().getAlgorithm(); // RSA or EC
            java.security.PrivateKey privateKey = java.security.KeyFactory.getInstance(algorithm).generatePrivate(spec);
            String signing = algorithm.equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            byte[] probe = "switchboard".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            java.security.Signature sign = java.security.Signature.getInstance(signing);
            sign.initSign(privateKey);
            sign.update(probe);
            byte[] signature = sign.sign();
            java.security.Signature verify = java.security.Signature.getInstance(signing);
            verify.initVerify(leaf.getPublicKey());
            verify.update(probe);
            if (!verify.verify(signature)) {
                throw new IllegalArgumentException("the private key does not belong to the certificate");
            }
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalArgumentException("the private key does not belong to the certificate (" + e.getMessage() + ")", e);
        }
    }

    private static String message(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && (t.getMessage() == null || t instanceof IllegalArgumentException)) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    private static SslProvider engine(String provider) {
        return switch (provider.toLowerCase(Locale.ROOT)) {
            // The reference-counted OpenSSL engine: the SslHandler frees it when its connection closes. The
            // plain OPENSSL one is freed by a finalizer, so closed connections' engines (about 0.4 KB of heap
            // each, and their native SSL state) pile up until the finalizer thread gets to them: measured,
            // 18,000 engines alive for 3,000 open connections after a burst of connects.
            case "auto" -> OpenSsl.isAvailable() ? SslProvider.OPENSSL_REFCNT : SslProvider.JDK;
            case "openssl" -> {
                if (!OpenSsl.isAvailable()) {
                    throw new IllegalArgumentException("--tls-provider openssl: OpenSSL does not load here ("
                            + OpenSsl.unavailabilityCause() + ")");
                }
                yield SslProvider.OPENSSL_REFCNT;
            }
            case "jdk" -> SslProvider.JDK;
            default -> throw new IllegalArgumentException("--tls-provider must be auto, openssl or jdk, not " + provider);
        };
    }

    /** The TLS engine that {@code auto} takes on this machine, described. */
    public static String bestAvailable() {
        return OpenSsl.isAvailable() ? "OpenSSL (" + OpenSsl.versionString() + ")" : "JDK (OpenSSL does not load)";
    }

    /** The engine serving, described: "OpenSSL (BoringSSL)" or "JDK". */
    public String describe() {
        return context.isServer() && engine(provider) != SslProvider.JDK ? "OpenSSL (" + OpenSsl.versionString() + ")" : "JDK";
    }

    /** A handler for a new connection, with the context in service now. */
    public SslHandler newHandler(ByteBufAllocator alloc, Duration handshakeTimeout) {
        SslHandler handler = context.newHandler(alloc);
        handler.setHandshakeTimeoutMillis(handshakeTimeout.toMillis());
        return handler;
    }

    /** Checks the files every reload interval on {@code executor}. */
    public void watch(EventExecutorGroup executor) {
        long every = reloadInterval.toMillis();
        if (every > 0) {
            // Reading two small files and hashing them: cheap enough for an event loop every few seconds.
            checks = executor.scheduleWithFixedDelay(this::reloadIfChanged, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /** Reloads when the files' contents changed; keeps the old context when the new files do not load. */
    public synchronized boolean reloadIfChanged() {
        byte[] digest;
        try {
            digest = digest(cert, key);
        } catch (IllegalArgumentException e) {
            refuse(null, e.getMessage());
            return false;
        }
        if (Arrays.equals(digest, loadedDigest) || Arrays.equals(digest, refusedDigest)) {
            return false;
        }
        try {
            SslContext old = context;
            context = load(cert, key, provider);
            // Its open connections' engines hold references of their own: it is freed with the last of them.
            io.netty.util.ReferenceCountUtil.release(old);
            loadedDigest = digest;
            refusedDigest = null;
            reloaded.increment();
            log.info("TLS certificate {} reloaded: new connections get it", cert);
            return true;
        } catch (IllegalArgumentException e) {
            refuse(digest, e.getMessage());
            return false;
        }
    }

    private void refuse(byte[] digest, String why) {
        if (digest != null && Arrays.equals(digest, refusedDigest)) {
            return;
        }
        refusedDigest = digest;
        refused.increment();
        log.warn("TLS certificate not reloaded, the one in service stays: {}", why);
    }

    private static byte[] digest(Path cert, Path key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(Files.readAllBytes(cert));
            sha.update(Files.readAllBytes(key));
            return sha.digest();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + cert + " or " + key + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (checks != null) {
            checks.cancel(false);
        }
        io.netty.util.ReferenceCountUtil.release(context);
    }
}
