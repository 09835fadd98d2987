package io.mpreg.federation.internal.round;

import io.mpreg.api.ClusterId;
import io.mpreg.api.SignedVote;
import io.mpreg.api.Vote;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a node signs its votes and checks the votes it receives. With keys (the default outside an explicitly insecure
 * configuration) every vote is signed with this cluster's Ed25519 key and a vote counts only if its signature is
 * its voter's; without keys votes travel unsigned and are taken as they come.
 *
 * <p>Thread-safe: verification runs on the transport's threads, signing on the event loop.
 */
public final class VoteSigning {
    /** No keys: unsigned votes, counted as they come (only an insecure node). */
    public static final VoteSigning NONE = new VoteSigning(null, null, Map.of());

    private final String federation;
    private final PrivateKey own;
    private final Map<ClusterId, PublicKey> keys;

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
     * {@code vote}, signed under table {@code tableVersion}.
     *
     * @throws IllegalStateException without keys ({@link #enabled()} is false)
     */
    public SignedVote sign(long tableVersion, Vote vote) {
        if (own == null) {
            throw new IllegalStateException("no vote key to sign with (an insecure node without vote keys)");
        }
        return SignedVote.sign(federation, tableVersion, vote, own);
    }

    /** Whether {@code vote} may be counted: always without keys; with keys, only with its voter's signature. */
    public boolean accepts(SignedVote vote) {
        return own == null || vote.verify(keys.get(vote.vote().voter()));
    }
}
