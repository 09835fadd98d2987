package io.mpreg.api;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A vote with its voter's Ed25519 signature. The signature covers canonical bytes: a domain tag, the federation, the
 * weight-table version the vote was cast under, the round (coordinator and sequence), the voter, the verdict, the
 * message digest and the reason; so a vote cannot be replayed into another federation, table version or round, and
 * two signed conflicting votes prove equivocation to anyone holding the voter's public key
 * ({@link SignedEquivocation}).
 *
 * <p><b>Votes signed together.</b> A voter may sign many votes with one signature ({@link #signBatch}): the votes'
 * canonical bytes are the leaves of a Merkle tree (SHA-256, leaves and inner nodes domain-separated, the tree padded
 * to a power of two), and the one signature covers a batch tag and the tree's root. Each vote then carries a
 * <em>seal</em>: the signature, the tree's depth {@code d} (1 to {@value #MAX_DEPTH}), the vote's leaf index (four
 * bytes, big-endian) and the {@code d} sibling hashes on its path to the root: {@code 69 + 32 d} bytes. A sealed vote
 * is checked on its own ({@link #verify}) exactly as a singly signed one, so it stays a transferable proof.
 *
 * @param federation   the federation the vote was cast in
 * @param tableVersion the weight-table version of the round (from its PREPARE)
 * @param vote         the vote
 * @param signature    the voter's signature over {@link #canonicalBytes()}, or a seal from {@link #signBatch}; empty
 *                     for an unsigned vote
 * @since 0.3.0
 */
public record SignedVote(String federation, long tableVersion, Vote vote, byte[] signature) {
    private static final byte[] DOMAIN = "MPREG-VOTE-v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BATCH_DOMAIN = "MPREG-VOTE-BATCH-v1".getBytes(StandardCharsets.US_ASCII);
    /** The length of an Ed25519 signature. */
    public static final int SIGNATURE_BYTES = VoteKeys.SIGNATURE_BYTES;
    /** The deepest Merkle tree a seal may prove a vote in (up to 2^16 votes under one signature). */
    public static final int MAX_DEPTH = 16;
    private static final int HASH_BYTES = 32;
    private static final int PATH_AT = SIGNATURE_BYTES + 1 + 4;

    public SignedVote {
        if (federation == null || federation.isEmpty() || vote == null || signature == null) {
            throw new IllegalArgumentException("a signed vote needs a federation, a vote and a signature, got "
                    + federation + ", " + vote + ", " + (signature == null ? null : signature.length + " bytes"));
        }
        checkSeal(signature);
        signature = signature.clone();
    }

    /**
     * Checks the form of a vote's signature: empty, an Ed25519 signature, or a seal ({@code 69 + 32 d} bytes whose
     * depth byte says {@code d}, from 1 to {@value #MAX_DEPTH}).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static void checkSeal(byte[] signature) {
        int n = signature.length;
        if (n == 0 || n == SIGNATURE_BYTES) {
            return;
        }
        int depth = n > SIGNATURE_BYTES ? signature[SIGNATURE_BYTES] : -1;
        if (n < PATH_AT + HASH_BYTES || depth < 1 || depth > MAX_DEPTH || n != PATH_AT + HASH_BYTES * depth) {
            throw new IllegalArgumentException("a vote's signature has 0 or " + SIGNATURE_BYTES + " bytes, or is a "
                    + "seal of " + PATH_AT + " + 32 x depth (1 to " + MAX_DEPTH + ") bytes; got " + n + " bytes"
                    + (depth >= 0 ? " saying depth " + depth : ""));
        }
    }

    /** The longest a vote's signature can be: a seal of the deepest tree. */
    public static int maxSealBytes() {
        return PATH_AT + HASH_BYTES * MAX_DEPTH;
    }

    /**
     * Signs {@code unsigned} (votes of one voter, each with its federation and table version) with one signature:
     * a lone vote as {@link #sign} does, several under a Merkle root, each with its seal. Same order as given.
     *
     * @throws IllegalArgumentException if empty, more than 2^{@value #MAX_DEPTH}, or of several voters
     */
    public static List<SignedVote> signBatch(List<SignedVote> unsigned, PrivateKey key) {
        int n = unsigned.size();
        if (n == 0 || n > 1 << MAX_DEPTH) {
            throw new IllegalArgumentException("a batch holds 1 to " + (1 << MAX_DEPTH) + " votes, got " + n);
        }
        ClusterId voter = unsigned.get(0).vote.voter();
        if (unsigned.stream().anyMatch(v -> !v.vote.voter().equals(voter))) {
            throw new IllegalArgumentException("a batch holds the votes of one voter, got " + unsigned);
        }
        if (n == 1) {
            SignedVote v = unsigned.get(0);
            return List.of(sign(v.federation, v.tableVersion, v.vote, key));
        }
        int depth = 32 - Integer.numberOfLeadingZeros(n - 1);
        byte[][][] levels = new byte[depth + 1][][];
        levels[0] = new byte[1 << depth][];
        for (int i = 0; i < levels[0].length; i++) {
            levels[0][i] = i < n ? leaf(unsigned.get(i).canonicalBytes()) : new byte[HASH_BYTES];
        }
        for (int l = 1; l <= depth; l++) {
            levels[l] = new byte[levels[l - 1].length / 2][];
            for (int i = 0; i < levels[l].length; i++) {
                levels[l][i] = node(levels[l - 1][2 * i], levels[l - 1][2 * i + 1]);
            }
        }
        byte[] signature = ed25519(key, statement(levels[depth][0]));
        List<SignedVote> out = new ArrayList<>(n);
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
            SignedVote v = unsigned.get(i);
            out.add(new SignedVote(v.federation, v.tableVersion, v.vote, seal));
        }
        return out;
    }

    /** Whether this vote is signed together with others ({@link #signBatch}): its signature is a seal. */
    public boolean isSealed() {
        return signature.length > SIGNATURE_BYTES;
    }

    /**
     * The bytes the Ed25519 signature itself covers: {@link #canonicalBytes()} for a vote signed alone, the batch tag
     * and the Merkle root its seal leads to for a sealed one (the same for every vote of its batch, so a checker may
     * remember the statements it verified).
     */
    public byte[] signedStatement() {
        if (!isSealed()) {
            return canonicalBytes();
        }
        int depth = signature[SIGNATURE_BYTES];
        int index = ((signature[SIGNATURE_BYTES + 1] & 0xFF) << 24) | ((signature[SIGNATURE_BYTES + 2] & 0xFF) << 16)
                | ((signature[SIGNATURE_BYTES + 3] & 0xFF) << 8) | (signature[SIGNATURE_BYTES + 4] & 0xFF);
        byte[] hash = leaf(canonicalBytes());
        for (int l = 0; l < depth; l++, index >>>= 1) {
            byte[] sibling = Arrays.copyOfRange(signature, PATH_AT + HASH_BYTES * l, PATH_AT + HASH_BYTES * (l + 1));
            hash = (index & 1) == 0 ? node(hash, sibling) : node(sibling, hash);
        }
        return index == 0 ? statement(hash) : new byte[0]; // an index beyond the tree proves nothing
    }

    /** The Ed25519 signature alone (the first 64 bytes of a seal); empty for an unsigned vote. */
    public byte[] ed25519Signature() {
        return Arrays.copyOf(signature, Math.min(signature.length, SIGNATURE_BYTES));
    }

    private static byte[] statement(byte[] root) {
        byte[] out = Arrays.copyOf(BATCH_DOMAIN, BATCH_DOMAIN.length + HASH_BYTES);
        System.arraycopy(root, 0, out, BATCH_DOMAIN.length, HASH_BYTES);
        return out;
    }

    private static byte[] leaf(byte[] canonical) {
        MessageDigest sha = sha256();
        sha.update((byte) 0);
        return sha.digest(canonical);
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

    private static byte[] ed25519(PrivateKey key, byte[] bytes) {
        return VoteKeys.sign(key, bytes);
    }

    /** Signs {@code vote} with the voter's {@code key}. */
    public static SignedVote sign(String federation, long tableVersion, Vote vote, PrivateKey key) {
        return new SignedVote(federation, tableVersion, vote, ed25519(key, canonicalBytes(federation, tableVersion,
                vote)));
    }

    /** An unsigned vote (only a federation configured as insecure counts those). */
    public static SignedVote unsigned(String federation, long tableVersion, Vote vote) {
        return new SignedVote(federation, tableVersion, vote, new byte[0]);
    }

    /** Whether the vote carries a signature (alone or in a seal). */
    public boolean isSigned() {
        return signature.length >= SIGNATURE_BYTES;
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /**
     * Whether the signature is the voter's over this vote (for a sealed vote: over the root its path leads to); false
     * for an unsigned vote or another key.
     */
    public boolean verify(PublicKey voterKey) {
        return isSigned() && voterKey != null && verifyStatement(voterKey, signedStatement(), ed25519Signature());
    }

    /** Whether {@code signature} is {@code key}'s Ed25519 signature over {@code statement}. */
    public static boolean verifyStatement(PublicKey key, byte[] statement, byte[] signature) {
        return statement.length != 0 && VoteKeys.verify(key, statement, signature);
    }

    /** The bytes the signature covers. */
    public byte[] canonicalBytes() {
        return canonicalBytes(federation, tableVersion, vote);
    }

    static byte[] canonicalBytes(String federation, long tableVersion, Vote vote) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(160);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(DOMAIN);
            text(out, federation);
            out.writeLong(tableVersion);
            text(out, vote.round().coordinator().value());
            out.writeLong(vote.round().sequence());
            text(out, vote.voter().value());
            text(out, vote.verdict().name());
            out.write(vote.digest().toBytes());
            text(out, vote.reason());
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return bytes.toByteArray();
    }

    private static void text(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedVote other && tableVersion == other.tableVersion
                && federation.equals(other.federation) && vote.equals(other.vote)
                && Arrays.equals(signature, other.signature);
    }

    @Override
    public int hashCode() {
        return (federation.hashCode() * 31 + Long.hashCode(tableVersion)) * 31 + vote.hashCode() * 31
                + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return vote + (isSealed() ? " sealed" : isSigned() ? " signed" : " unsigned") + " in " + federation + " (table " + tableVersion + ")";
    }
}
