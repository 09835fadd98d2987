package io.mpreg.api;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Many statements under one Ed25519 signature, each still checkable on its own. The statements' bytes are the leaves
 * of a Merkle tree (SHA-256; leaves and inner nodes domain-separated; the tree padded to a power of two with zero
 * hashes), and the one signature covers a caller's batch tag followed by the tree's root. Each statement then carries
 * a <em>seal</em>: the signature, the tree's depth {@code d} (1 to {@value #MAX_DEPTH}), the statement's leaf index
 * (four bytes, big-endian) and the {@code d} sibling hashes on its path to the root: {@code 69 + 32 d} bytes. A lone
 * statement is signed directly and its "seal" is the plain 64-byte signature.
 *
 * <p>A checker recomputes {@link #signedBytes what the signature covers} from a statement and its seal; every
 * statement of one batch leads to the same bytes, so a checker may remember the ones it verified and pay a few hashes
 * per further statement. {@link SignedVote} seals votes this way; nodes seal their relayed answers too.
 *
 * @since 0.6.0
 */
public final class MerkleSeal {
    /** The length of an Ed25519 signature, and of the seal of a statement signed alone. */
    public static final int SIGNATURE_BYTES = VoteKeys.SIGNATURE_BYTES;
    /** The deepest tree a seal may prove a statement in (up to 2^16 statements under one signature). */
    public static final int MAX_DEPTH = 16;
    private static final int HASH_BYTES = 32;
    private static final int PATH_AT = SIGNATURE_BYTES + 1 + 4;

    private MerkleSeal() {
    }

    /**
     * Checks the form of a signature field: empty, an Ed25519 signature, or a seal ({@code 69 + 32 d} bytes whose
     * depth byte says {@code d}, from 1 to {@value #MAX_DEPTH}).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static void checkForm(byte[] seal) {
        int n = seal.length;
        if (n == 0 || n == SIGNATURE_BYTES) {
            return;
        }
        int depth = n > SIGNATURE_BYTES ? seal[SIGNATURE_BYTES] : -1;
        if (n < PATH_AT + HASH_BYTES || depth < 1 || depth > MAX_DEPTH || n != PATH_AT + HASH_BYTES * depth) {
            throw new IllegalArgumentException("a signature has 0 or " + SIGNATURE_BYTES + " bytes, or is a "
                    + "seal of " + PATH_AT + " + 32 x depth (1 to " + MAX_DEPTH + ") bytes; got " + n + " bytes"
                    + (depth >= 0 ? " saying depth " + depth : ""));
        }
    }

    /** The longest a seal can be: one from the deepest tree. */
    public static int maxBytes() {
        return PATH_AT + HASH_BYTES * MAX_DEPTH;
    }

    /** Whether {@code seal} proves its statement inside a batch (it is longer than a signature). */
    public static boolean isBatch(byte[] seal) {
        return seal.length > SIGNATURE_BYTES;
    }

    /**
     * Signs {@code statements} with {@code key} and one signature: a lone statement directly, several under the Merkle
     * root of their bytes, tagged with {@code batchTag}. Returns each statement's seal, in the order given.
     *
     * @throws IllegalArgumentException if empty or more than 2^{@value #MAX_DEPTH}
     */
    public static List<byte[]> sign(List<byte[]> statements, byte[] batchTag, PrivateKey key) {
        int n = statements.size();
        if (n == 0 || n > 1 << MAX_DEPTH) {
            throw new IllegalArgumentException("a batch holds 1 to " + (1 << MAX_DEPTH) + " statements, got " + n);
        }
        if (n == 1) {
            return List.of(VoteKeys.sign(key, statements.get(0)));
        }
        int depth = 32 - Integer.numberOfLeadingZeros(n - 1);
        byte[][][] levels = new byte[depth + 1][][];
        levels[0] = new byte[1 << depth][];
        for (int i = 0; i < levels[0].length; i++) {
            levels[0][i] = i < n ? leaf(statements.get(i)) : new byte[HASH_BYTES];
        }
        for (int l = 1; l <= depth; l++) {
            levels[l] = new byte[levels[l - 1].length / 2][];
            for (int i = 0; i < levels[l].length; i++) {
                levels[l][i] = node(levels[l - 1][2 * i], levels[l - 1][2 * i + 1]);
            }
        }
        byte[] signature = VoteKeys.sign(key, tagged(batchTag, levels[depth][0]));
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] seal = new byte[PATH_AT + HASH_BYTES * depth];
            System.arraycopy(signature, 0, seal, 0, SIGNATURE_BYTES);
            seal[SIGNATURE_BYTES] = (byte) depth;
            seal[SIGNATURE_BYTES + 1] = (byte) (i >>> 24);
            seal[SIGNATURE_BYTES + 2] = (byte) (i >>> 16);
            seal[SIGNATURE_BYTES + 3] = (byte) (i >>> 8);
            seal[SIGNATURE_BYTES + 4] = (byte) i;
            for (int l = 0, at = i; l < depth; l++, at >>>= 1) {
                System.arraycopy(levels[l][at ^ 1], 0, seal, PATH_AT + HASH_BYTES * l, HASH_BYTES);
            }
            out.add(seal);
        }
        return out;
    }

    /**
     * The bytes the Ed25519 signature in {@code seal} covers, for {@code statement}: the statement itself when signed
     * alone, else {@code batchTag} and the root its path leads to (the same for every statement of its batch). Empty
     * when the seal proves nothing (an index beyond its tree); {@code seal} must be of a valid {@link #checkForm form}.
     */
    public static byte[] signedBytes(byte[] statement, byte[] seal, byte[] batchTag) {
        if (!isBatch(seal)) {
            return statement;
        }
        int depth = seal[SIGNATURE_BYTES];
        int index = ((seal[SIGNATURE_BYTES + 1] & 0xFF) << 24) | ((seal[SIGNATURE_BYTES + 2] & 0xFF) << 16)
                | ((seal[SIGNATURE_BYTES + 3] & 0xFF) << 8) | (seal[SIGNATURE_BYTES + 4] & 0xFF);
        byte[] hash = leaf(statement);
        for (int l = 0; l < depth; l++, index >>>= 1) {
            byte[] sibling = Arrays.copyOfRange(seal, PATH_AT + HASH_BYTES * l, PATH_AT + HASH_BYTES * (l + 1));
            hash = (index & 1) == 0 ? node(hash, sibling) : node(sibling, hash);
        }
        return index == 0 ? tagged(batchTag, hash) : new byte[0];
    }

    /** The Ed25519 signature alone: the first 64 bytes of a seal (the whole of a lone statement's). */
    public static byte[] signatureOf(byte[] seal) {
        return Arrays.copyOf(seal, Math.min(seal.length, SIGNATURE_BYTES));
    }

    private static byte[] tagged(byte[] tag, byte[] root) {
        byte[] out = Arrays.copyOf(tag, tag.length + HASH_BYTES);
        System.arraycopy(root, 0, out, tag.length, HASH_BYTES);
        return out;
    }

    private static byte[] leaf(byte[] statement) {
        MessageDigest sha = sha256();
        sha.update((byte) 0);
        return sha.digest(statement);
    }

    private static byte[] node(byte[] left, byte[] right) {
        MessageDigest sha = sha256();
        sha.update((byte) 1);
        sha.update(left);
        return sha.digest(right);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
