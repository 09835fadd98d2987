package io.mpreg.api;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;

/**
 * A vote with its voter's Ed25519 signature. The signature covers canonical bytes: a domain tag, the federation, the
 * weight-table version the vote was cast under, the round (coordinator and sequence), the voter, the verdict, the
 * message digest and the reason; so a vote cannot be replayed into another federation, table version or round, and
 * two signed conflicting votes prove equivocation to anyone holding the voter's public key
 * ({@link SignedEquivocation}).
 *
 * @param federation   the federation the vote was cast in
 * @param tableVersion the weight-table version of the round (from its PREPARE)
 * @param vote         the vote
 * @param signature    the voter's signature over {@link #canonicalBytes()}; empty for an unsigned vote
 * @since 0.3.0
 */
public record SignedVote(String federation, long tableVersion, Vote vote, byte[] signature) {
    private static final byte[] DOMAIN = "MPREG-VOTE-v1".getBytes(StandardCharsets.US_ASCII);
    /** The length of an Ed25519 signature. */
    public static final int SIGNATURE_BYTES = 64;

    public SignedVote {
        if (federation == null || federation.isEmpty() || vote == null || signature == null) {
            throw new IllegalArgumentException("a signed vote needs a federation, a vote and a signature, got "
                    + federation + ", " + vote + ", " + (signature == null ? null : signature.length + " bytes"));
        }
        if (signature.length != 0 && signature.length != SIGNATURE_BYTES) {
            throw new IllegalArgumentException("an Ed25519 signature has " + SIGNATURE_BYTES + " bytes, got "
                    + signature.length);
        }
        signature = signature.clone();
    }

    /** Signs {@code vote} with the voter's {@code key}. */
    public static SignedVote sign(String federation, long tableVersion, Vote vote, PrivateKey key) {
        byte[] bytes = canonicalBytes(federation, tableVersion, vote);
        try {
            Signature s = Signature.getInstance(VoteKeys.ALGORITHM);
            s.initSign(key);
            s.update(bytes);
            return new SignedVote(federation, tableVersion, vote, s.sign());
        } catch (GeneralSecurityException e) {
            throw new MpregException("cannot sign a vote with " + key.getAlgorithm() + " key: " + e, e);
        }
    }

    /** An unsigned vote (only a federation configured as insecure counts those). */
    public static SignedVote unsigned(String federation, long tableVersion, Vote vote) {
        return new SignedVote(federation, tableVersion, vote, new byte[0]);
    }

    public boolean isSigned() {
        return signature.length == SIGNATURE_BYTES;
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** Whether the signature is the voter's over this vote; false for an unsigned vote or another key. */
    public boolean verify(PublicKey voterKey) {
        if (!isSigned() || voterKey == null) {
            return false;
        }
        try {
            Signature s = Signature.getInstance(VoteKeys.ALGORITHM);
            s.initVerify(voterKey);
            s.update(canonicalBytes());
            return s.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // a key of another algorithm or a malformed signature proves nothing
        }
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
        return vote + (isSigned() ? " signed" : " unsigned") + " in " + federation + " (table " + tableVersion + ")";
    }
}
