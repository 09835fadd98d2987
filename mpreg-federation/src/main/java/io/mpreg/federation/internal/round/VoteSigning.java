package io.mpreg.federation.internal.round;

import io.mpreg.api.AbortReason;
import io.mpreg.api.ClusterId;
import io.mpreg.api.RoundId;
import io.mpreg.api.VoteKeys;
import io.mpreg.federation.internal.wire.WireMessage;
import io.mpreg.api.SignedVote;
import io.mpreg.api.Vote;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a node signs its votes, aborts and approvals of weight tables, and checks the votes, certificates and aborts it receives. With keys (the
 * default outside an explicitly insecure configuration) every vote and every ABORT a coordinator sends is signed with
 * this cluster's Ed25519 key, a vote counts only if its signature is its voter's (also inside a COMMIT's certificate),
 * and an ABORT only if its round's coordinator signed it; without keys all of it travels unsigned and is taken as it
 * comes.
 *
 * <p>Votes signed together ({@link SignedVote#signBatch}), and answers relayed to clusters not linked with their
 * origin ({@link #originSeal}), share one signature over one statement (a Merkle root); a statement this node
 * verified for a cluster is remembered (the last {@value #STATEMENTS_KEPT}), so the other items of that batch cost
 * this node a few hashes each, not a signature check. Only verified statements are remembered: a bad
 * signature is checked again each time it comes.
 *
 * <p>Thread-safe: verification runs on the transport's threads and the signer's, signing on the signer's.
 */
public final class VoteSigning {
    /** No keys: unsigned votes, counted as they come (only an insecure node). */
    public static final VoteSigning NONE = new VoteSigning(null, null, Map.of());

    private static final byte[] ABORT_DOMAIN = "MPREG-ABORT-v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WEIGHTS_DOMAIN = "MPREG-WEIGHTS-v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ORIGIN_DOMAIN = "MPREG-ORIGIN-v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ORIGIN_BATCH_DOMAIN = "MPREG-ORIGIN-BATCH-v1".getBytes(StandardCharsets.US_ASCII);

    /** Verified batch statements remembered per node. */
    static final int STATEMENTS_KEPT = 4096;

    private final String federation;
    private final PrivateKey own;
    private final Map<ClusterId, PublicKey> keys;
    private final com.github.benmanes.caffeine.cache.Cache<Statement, Boolean> verified =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(STATEMENTS_KEPT).build();

    /** A cluster's signature over a batch statement (of votes, or of relayed answers). */
    private record Statement(ClusterId voter, java.nio.ByteBuffer statement, java.nio.ByteBuffer signature) {
    }

    private VoteSigning(String federation, PrivateKey own, Map<ClusterId, PublicKey> keys) {
        this.federation = federation;
        this.own = own;
        this.keys = keys;
    }

    /**
     * Signing with {@code own}, checking with {@code keys}; {@code keys} must hold {@code self}'s public key, and it
     * must match {@code own}.
     */
    public static VoteSigning of(String federation, ClusterId self, PrivateKey own, Map<ClusterId, PublicKey> keys) {
        if (own == null || keys == null || keys.values().stream().anyMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException("vote keys need this cluster's private key and a public key per "
                    + "cluster, got " + own + ", " + keys);
        }
        PublicKey mine = keys.get(self);
        if (mine == null) {
            throw new IllegalArgumentException("the vote public keys have none for this cluster " + self
                    + " (they cover " + new TreeMap<>(keys).keySet() + ")");
        }
        Vote probe = new Vote(new io.mpreg.api.RoundId(self, 0), self, io.mpreg.api.Verdict.YES,
                io.mpreg.api.Digest.sha256(new byte[0]), "key check");
        if (!SignedVote.sign(federation, 0, probe, own).verify(mine)) {
            throw new IllegalArgumentException("the vote private key of " + self
                    + " does not match its public key in the table");
        }
        return new VoteSigning(federation, own, Map.copyOf(keys));
    }

    /** Whether votes are signed and checked. */
    public boolean enabled() {
        return own != null;
    }

    /**
     * {@code votes} (this cluster's, each with its table version), signed with one signature: a lone vote as
     * {@link SignedVote#sign} does, several sealed under one Merkle root.
     *
     * @throws IllegalStateException without keys ({@link #enabled()} is false)
     */
    public List<SignedVote> signAll(List<SignedVote> votes) {
        if (own == null) {
            throw new IllegalStateException("no vote key to sign with (an insecure node without vote keys)");
        }
        return SignedVote.signBatch(votes, own);
    }

    /** Whether {@code vote} may be counted: always without keys; with keys, only with its voter's signature. */
    public boolean accepts(SignedVote vote) {
        if (own == null) {
            return true;
        }
        PublicKey key = keys.get(vote.vote().voter());
        if (key == null || !vote.isSigned()) {
            return false;
        }
        if (!vote.isSealed()) {
            return vote.verify(key);
        }
        return verifiedOnce(vote.vote().voter(), key, vote.signedStatement(), vote.ed25519Signature());
    }

    /**
     * Whether {@code signature} is {@code signer}'s over a batch's {@code statement}, remembered once verified: one
     * verification per statement (threads checking items of the same batch at once wait for the first).
     */
    private boolean verifiedOnce(ClusterId signer, PublicKey key, byte[] statement, byte[] signature) {
        Statement s = new Statement(signer, java.nio.ByteBuffer.wrap(statement), java.nio.ByteBuffer.wrap(signature));
        return verified.get(s, k -> SignedVote.verifyStatement(key, k.statement().array(), k.signature().array())
                ? Boolean.TRUE : null) != null;
    }

    /** A coordinator's signature over its ABORT of {@code round} (empty without keys). */
    public byte[] signAbort(RoundId round, AbortReason reason) {
        return sign(abortBytes(federation, round, reason));
    }

    /** This cluster's approval of weight table {@code version} with {@code hash} (empty without keys). */
    public byte[] signWeights(long version, io.mpreg.api.Digest hash) {
        return sign(weightBytes(federation, version, hash));
    }

    /** Whether {@code signature} is {@code cluster}'s approval of weight table {@code version} with {@code hash}. */
    public boolean acceptsWeights(ClusterId cluster, long version, io.mpreg.api.Digest hash, byte[] signature) {
        return verify(keys.get(cluster), weightBytes(federation, version, hash), signature);
    }

    /**
     * Signing and checking what relayed frames state on their origin's behalf (link state, queue advertisements,
     * acks and nacks) with these keys, under this federation's name. Without keys nothing is signed and everything
     * taken.
     */
    public io.mpreg.federation.internal.wire.OriginSeal originSeal() {
        if (own == null) {
            return io.mpreg.federation.internal.wire.OriginSeal.NONE;
        }
        return new io.mpreg.federation.internal.wire.OriginSeal() {
            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public byte[] sign(byte[] content) {
                return VoteSigning.this.sign(originBytes(federation, content));
            }

            @Override
            public List<byte[]> signAll(List<byte[]> contents) {
                List<byte[]> statements = new java.util.ArrayList<>(contents.size());
                contents.forEach(c -> statements.add(originBytes(federation, c)));
                return io.mpreg.api.MerkleSeal.sign(statements, ORIGIN_BATCH_DOMAIN, own);
            }

            @Override
            public boolean verify(ClusterId origin, byte[] content, byte[] signature) {
                PublicKey key = keys.get(origin);
                byte[] statement = originBytes(federation, content);
                if (key == null || !io.mpreg.api.MerkleSeal.isBatch(signature)) {
                    return VoteSigning.verify(key, statement, signature);
                }
                try {
                    io.mpreg.api.MerkleSeal.checkForm(signature);
                } catch (IllegalArgumentException e) {
                    return false;
                }
                return verifiedOnce(origin, key, io.mpreg.api.MerkleSeal.signedBytes(statement, signature,
                        ORIGIN_BATCH_DOMAIN), io.mpreg.api.MerkleSeal.signatureOf(signature));
            }
        };
    }

    private static byte[] originBytes(String federation, byte[] content) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(content.length + 48);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(ORIGIN_DOMAIN);
            out.writeUTF(federation);
            out.write(content);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return bytes.toByteArray();
    }

    private byte[] sign(byte[] bytes) {
        return own == null ? new byte[0] : VoteKeys.sign(own, bytes);
    }

    /**
     * Whether an ABORT may be applied: always without keys; with keys, only if its round's coordinator signed it. (A
     * COMMIT proves itself with its certificate, which its target checks against the round's terms.)
     */
    public boolean acceptsAbort(WireMessage.DecisionFrame d) {
        return own == null || d.committed()
                || verify(keys.get(d.round().coordinator()), abortBytes(federation, d.round(), d.reason()),
                d.signature());
    }

    /** The clusters' vote public keys (empty without keys). */
    public Map<ClusterId, PublicKey> keys() {
        return keys;
    }

    private static boolean verify(PublicKey key, byte[] bytes, byte[] signature) {
        return VoteKeys.verify(key, bytes, signature);
    }

    private static byte[] weightBytes(String federation, long version, io.mpreg.api.Digest hash) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(96);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(WEIGHTS_DOMAIN);
            out.writeUTF(federation);
            out.writeLong(version);
            out.write(hash.toBytes());
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return bytes.toByteArray();
    }

    private static byte[] abortBytes(String federation, RoundId round, AbortReason reason) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(96);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(ABORT_DOMAIN);
            out.writeUTF(federation);
            out.writeUTF(round.coordinator().value());
            out.writeLong(round.sequence());
            out.writeUTF(reason.name());
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return bytes.toByteArray();
    }
}
