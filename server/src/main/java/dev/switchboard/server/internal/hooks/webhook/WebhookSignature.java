package dev.switchboard.server.internal.hooks.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code X-Switchboard-Signature} header: {@code sha256=} and the hex HMAC-SHA256 of the exact body bytes
 * under the webhook secret (GitHub's convention, so existing verifiers fit).
 */
public final class WebhookSignature {

    /** The header that carries the signature. */
    public static final String HEADER = "X-Switchboard-Signature";

    private final SecretKeySpec key;

    public WebhookSignature(String secret) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** The header value for {@code body}. */
    public String sign(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** Whether {@code header} is the signature of {@code body}, compared in constant time. */
    public boolean verify(byte[] body, String header) {
        return header != null && MessageDigest.isEqual(sign(body).getBytes(StandardCharsets.US_ASCII),
                header.getBytes(StandardCharsets.US_ASCII));
    }
}
