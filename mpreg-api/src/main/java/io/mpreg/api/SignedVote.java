package io.mpreg.api;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 * <p><b>Votes signed together.</b> A voter may sign many votes with one signature ({@link #signBatch}): a
 * {@link MerkleSeal} over the votes' canonical bytes, tagged as a batch of votes. Each vote then carries its
 * <em>seal</em> ({@code 69 + 32 d} bytes for a tree of depth {@code d}) in place of a signature, and is checked on
 * its own ({@link #verify}) exactly as a singly signed one, so it stays a transferable proof.
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
    public static final int SIGNATURE_BYTES = MerkleSeal.SIGNATURE_BYTES;
    /** The deepest Merkle tree a seal may prove a vote in (up to 2^16 votes under one signature). */
    public static final int MAX_DEPTH = MerkleSeal.MAX_DEPTH;

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
        MerkleSeal.checkForm(signature);
    }

    /** The longest a vote's signature can be: a seal of the deepest tree. */
    public static int maxSealBytes() {
        return MerkleSeal.maxBytes();
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
        List<byte[]> statements = new ArrayList<>(n);
        unsigned.forEach(v -> statements.add(v.canonicalBytes()));
        List<byte[]> seals = MerkleSeal.sign(statements, BATCH_DOMAIN, key);
        List<SignedVote> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            SignedVote v = unsigned.get(i);
            out.add(new SignedVote(v.federation, v.tableVersion, v.vote, seals.get(i)));
        }
        return out;
    }

    /** Whether this vote is signed together with others ({@link #signBatch}): its signature is a seal. */
    public boolean isSealed() {
        return MerkleSeal.isBatch(signature);
    }

    /**
     * The bytes the Ed25519 signature itself covers: {@link #canonicalBytes()} for a vote signed alone, the batch tag
     * and the Merkle root its seal leads to for a sealed one (the same for every vote of its batch, so a checker may
     * remember the statements it verified).
     */
    public byte[] signedStatement() {
        return MerkleSeal.signedBytes(canonicalBytes(), signature, BATCH_DOMAIN);
    }

    /** The Ed25519 signature alone (the first 64 bytes of a seal); empty for an unsigned vote. */
    public byte[] ed25519Signature() {
        return MerkleSeal.signatureOf(signature);
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
