package dev.switchboard.server.internal.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** Reads an X.509 SubjectPublicKeyInfo PEM ({@code -----BEGIN PUBLIC KEY-----}), RSA or EC. */
public final class PublicKeys {

    private PublicKeys() {
    }

    public static PublicKey read(Path pem) {
        try {
            return parse(Files.readString(pem));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read public key " + pem + ": " + e.getMessage(), e);
        }
    }

    public static PublicKey parse(String pem) {
        String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        X509EncodedKeySpec spec = new X509EncodedKeySpec(Base64.getDecoder().decode(base64));
        for (String algorithm : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(spec);
            } catch (Exception ignored) {
                // try the next key type
            }
        }
        throw new IllegalArgumentException("not an RSA or EC public key in PEM (BEGIN PUBLIC KEY) form");
    }
}
