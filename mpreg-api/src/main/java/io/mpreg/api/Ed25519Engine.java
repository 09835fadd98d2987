package io.mpreg.api;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.EdECPublicKey;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Ed25519 signing and verification for {@link VoteKeys}: Bouncy Castle's RFC 8032 implementation when its module is
 * present and readable (about ten times the JDK 17 implementation's speed on signing, eight times on verifying), else
 * the JDK's {@code Signature}. Ed25519 is deterministic, so both give the very same signature for a key and a
 * message; keys stay JDK key objects either way. A key without its raw bytes (a hardware token's) always goes through
 * the JDK.
 */
final class Ed25519Engine {
    private static final String FAST_CLASS = "org.bouncycastle.math.ec.rfc8032.Ed25519";
    static final boolean FAST = fastAvailable();
    private static final int KEY_BYTES = 32;
    /** Public keys of the private keys signed with, so a signature needs no point multiplication to find it. */
    private static final Map<PrivateKey, byte[]> PUBLIC_OF = new WeakHashMap<>();

    private Ed25519Engine() {
    }

    private static boolean fastAvailable() {
        try {
            Class<?> c = Class.forName(FAST_CLASS, false, Ed25519Engine.class.getClassLoader());
            return Ed25519Engine.class.getModule().canRead(c.getModule());
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    static byte[] sign(PrivateKey key, byte[] message) {
        byte[] raw = FAST ? rawPrivate(key) : null;
        return raw != null ? Fast.sign(raw, publicOf(key, raw), message) : jdkSign(key, message);
    }

    static boolean verify(PublicKey key, byte[] message, byte[] signature) {
        if (key == null || signature.length != VoteKeys.SIGNATURE_BYTES) {
            return false;
        }
        byte[] raw = FAST ? rawPublic(key) : null;
        return raw != null ? Fast.verify(raw, message, signature) : jdkVerify(key, message, signature);
    }

    static byte[] jdkSign(PrivateKey key, byte[] message) {
        try {
            Signature s = Signature.getInstance(VoteKeys.ALGORITHM);
            s.initSign(key);
            s.update(message);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new MpregException("cannot sign with " + key.getAlgorithm() + " key: " + e, e);
        }
    }

    static boolean jdkVerify(PublicKey key, byte[] message, byte[] signature) {
        try {
            Signature s = Signature.getInstance(VoteKeys.ALGORITHM);
            s.initVerify(key);
            s.update(message);
            return s.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // a key of another algorithm or a malformed signature proves nothing
        }
    }

    /** The 32-byte seed of an Ed25519 private key, or null (another algorithm, or no raw bytes). */
    static byte[] rawPrivate(PrivateKey key) {
        if (!(key instanceof EdECPrivateKey ed) || !VoteKeys.ALGORITHM.equalsIgnoreCase(ed.getParams().getName())) {
            return null;
        }
        byte[] raw = ed.getBytes().orElse(null);
        return raw != null && raw.length == KEY_BYTES ? raw : null;
    }

    /** The RFC 8032 encoding of an Ed25519 public key (little-endian y, x's parity in the top bit), or null. */
    static byte[] rawPublic(PublicKey key) {
        if (!(key instanceof EdECPublicKey ed) || !VoteKeys.ALGORITHM.equalsIgnoreCase(ed.getParams().getName())) {
            return null;
        }
        BigInteger y = ed.getPoint().getY();
        if (y.signum() < 0 || y.bitLength() > 255) {
            return null;
        }
        byte[] big = y.toByteArray();
        byte[] out = new byte[KEY_BYTES];
        for (int i = 0; i < big.length && i < KEY_BYTES; i++) {
            out[i] = big[big.length - 1 - i];
        }
        if (ed.getPoint().isXOdd()) {
            out[KEY_BYTES - 1] |= (byte) 0x80;
        }
        return out;
    }

    private static byte[] publicOf(PrivateKey key, byte[] raw) {
        synchronized (PUBLIC_OF) {
            return PUBLIC_OF.computeIfAbsent(key, k -> Fast.publicKey(raw));
        }
    }

    /** The Bouncy Castle calls, in a class of their own: loaded only when its module is there. */
    static final class Fast {
        private Fast() {
        }

        static byte[] publicKey(byte[] raw) {
            byte[] pk = new byte[KEY_BYTES];
            org.bouncycastle.math.ec.rfc8032.Ed25519.generatePublicKey(raw, 0, pk, 0);
            return pk;
        }

        static byte[] sign(byte[] raw, byte[] pk, byte[] message) {
            byte[] signature = new byte[VoteKeys.SIGNATURE_BYTES];
            org.bouncycastle.math.ec.rfc8032.Ed25519.sign(raw, 0, pk, 0, message, 0, message.length, signature, 0);
            return signature;
        }

        static boolean verify(byte[] pk, byte[] message, byte[] signature) {
            try {
                return org.bouncycastle.math.ec.rfc8032.Ed25519.verify(signature, 0, pk, 0, message, 0,
                        message.length);
            } catch (RuntimeException e) {
                return false; // a malformed point or signature proves nothing
            }
        }
    }
}
