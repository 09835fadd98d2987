package io.mpreg.api;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A SHA-256 digest, held as four longs so that comparing two digests allocates nothing. A vote names the digest of
 * the message it accepts; two votes of one voter with different digests are equivocation.
 *
 * @param w0 bytes 0-7 (big-endian)
 * @param w1 bytes 8-15
 * @param w2 bytes 16-23
 * @param w3 bytes 24-31
 * @since 0.1.0
 */
public record Digest(long w0, long w1, long w2, long w3) {
    /** The length of a digest in bytes. */
    public static final int BYTES = 32;

    /** The SHA-256 digest of the concatenation of {@code parts}. */
    public static Digest sha256(byte[]... parts) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new MpregException("SHA-256 is not available in this JVM", e);
        }
        for (byte[] part : parts) {
            sha.update(part);
        }
        return fromBytes(sha.digest());
    }

    /**
     * A digest from its 32 bytes.
     *
     * @throws IllegalArgumentException if {@code bytes} is not 32 bytes long
     */
    public static Digest fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length != BYTES) {
            throw new IllegalArgumentException("a digest has " + BYTES + " bytes, got "
                    + (bytes == null ? "null" : bytes.length));
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        return new Digest(b.getLong(), b.getLong(), b.getLong(), b.getLong());
    }

    /** The 32 bytes of this digest. */
    public byte[] toBytes() {
        return ByteBuffer.allocate(BYTES).putLong(w0).putLong(w1).putLong(w2).putLong(w3).array();
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(toBytes(), 0, 8) + "…";
    }
}
