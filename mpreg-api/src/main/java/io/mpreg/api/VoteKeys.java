package io.mpreg.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * A cluster's Ed25519 vote keys (JDK key objects): generating them, reading and writing them as PEM text
 * ({@code PUBLIC KEY}: X.509 SubjectPublicKeyInfo; {@code PRIVATE KEY}: PKCS#8), the form
 * {@code openssl genpkey -algorithm ed25519} writes, so keys can come from either, and signing and verifying with
 * them. Signing and verifying use Bouncy Castle's Ed25519 when its module ({@code org.bouncycastle.provider}, which
 * the federation module brings) is present, else the JDK's; the signatures are the same either way.
 *
 * <p>Thread-safe (stateless).
 *
 * @since 0.3.0
 */
public final class VoteKeys {
    /** The signature algorithm of MPREG votes. */
    public static final String ALGORITHM = "Ed25519";
    /** The length of an Ed25519 signature. */
    public static final int SIGNATURE_BYTES = 64;

    private VoteKeys() {
    }

    /** A fresh key pair. */
    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new MpregException("this JVM has no " + ALGORITHM + " (JDK 15 or newer needed): " + e, e);
        }
    }

    /**
     * {@code key}'s Ed25519 signature over {@code message}.
     *
     * @throws MpregException if the key cannot sign (another algorithm)
     * @since 0.6.0
     */
    public static byte[] sign(PrivateKey key, byte[] message) {
        return Ed25519Engine.sign(key, message);
    }

    /**
     * Whether {@code signature} is {@code key}'s Ed25519 signature over {@code message}; false for a null key, a
     * key of another algorithm or a signature of the wrong length.
     *
     * @since 0.6.0
     */
    public static boolean verify(PublicKey key, byte[] message, byte[] signature) {
        return Ed25519Engine.verify(key, message, signature);
    }

    /** Whether signing and verifying run on Bouncy Castle's Ed25519 here (else the JDK's). */
    public static boolean fastEd25519() {
        return Ed25519Engine.FAST;
    }

    /** {@code key} as PEM text. */
    public static String pem(PublicKey key) {
        return pem("PUBLIC KEY", key.getEncoded());
    }

    /** {@code key} as PEM text. */
    public static String pem(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    private static String pem(String kind, byte[] der) {
        return "-----BEGIN " + kind + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + kind + "-----\n";
    }

    /**
     * A public key from PEM (or bare base64) text.
     *
     * @throws IllegalArgumentException if the text is not an Ed25519 public key, saying why
     */
    public static PublicKey publicKey(String text) {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der(text, "PUBLIC KEY")));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an " + ALGORITHM + " public key: " + e.getMessage(), e);
        }
    }

    /**
     * A private key from PEM (or bare base64) text.
     *
     * @throws IllegalArgumentException if the text is not an Ed25519 private key, saying why
     */
    public static PrivateKey privateKey(String text) {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der(text, "PRIVATE KEY")));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an " + ALGORITHM + " private key: " + e.getMessage(), e);
        }
    }

    /** Reads a public key file. */
    public static PublicKey readPublicKey(Path file) {
        return publicKey(read(file));
    }

    /** Reads a private key file. */
    public static PrivateKey readPrivateKey(Path file) {
        return privateKey(read(file));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read key file " + file + ": " + e.getMessage(), e);
        }
    }

    private static byte[] der(String text, String kind) {
        if (text == null) {
            throw new IllegalArgumentException("key text must not be null");
        }
        StringBuilder b64 = new StringBuilder();
        for (String line : text.split("\\R")) {
            String l = line.strip();
            if (l.startsWith("-----")) {
                if (l.startsWith("-----BEGIN ") && !l.equals("-----BEGIN " + kind + "-----")) {
                    throw new IllegalArgumentException("expected a PEM " + kind + ", found " + l);
                }
                continue;
            }
            b64.append(l);
        }
        try {
            return Base64.getDecoder().decode(b64.toString());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a " + kind + " must be PEM or base64: " + e.getMessage(), e);
        }
    }
}
