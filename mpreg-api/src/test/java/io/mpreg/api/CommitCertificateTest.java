package io.mpreg.api;

import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** SCENARIOS A1 and B6 on the certificate itself: what it proves, and every way a forger could try to stretch it. */
class CommitCertificateTest {
    private static final ClusterId A = ClusterId.of("a");
    private static final ClusterId B = ClusterId.of("b");
    private static final ClusterId C = ClusterId.of("c");
    private static final ClusterId X = ClusterId.of("x");
    private static final Map<ClusterId, KeyPair> KEYS = Map.of(A, VoteKeys.generate(), B, VoteKeys.generate(),
            C, VoteKeys.generate(), X, VoteKeys.generate());
    private static final Map<ClusterId, PublicKey> PUBLIC = Map.of(A, KEYS.get(A).getPublic(),
            B, KEYS.get(B).getPublic(), C, KEYS.get(C).getPublic(), X, KEYS.get(X).getPublic());
    private static final RoundId ROUND = new RoundId(A, 7);
    private static final Digest MESSAGE = Digest.sha256(new byte[] {1, 2, 3});
    private static final RoundTerms TERMS = new RoundTerms(3, Digest.sha256(new byte[] {9}),
            DeliveryGuarantee.GLOBAL_QUORUM, Threshold.TWO_THIRDS, 0, new TreeMap<>(Map.of(A, 1L, B, 1L, C, 1L)));

    private static SignedVote yes(ClusterId voter, RoundId round, long version, Digest proposal) {
        return SignedVote.sign("fed", version, new Vote(round, voter, Verdict.YES, proposal), KEYS.get(voter)
                .getPrivate());
    }

    private static SignedVote yes(ClusterId voter) {
        return yes(voter, ROUND, TERMS.tableVersion(), TERMS.proposal(MESSAGE));
    }

    private static CommitCertificate cert(SignedVote... votes) {
        return new CommitCertificate("fed", ROUND, MESSAGE, TERMS, List.of(votes));
    }

    @Test
    void signedYesVotesHoldingTheQuorumProveTheCommit() {
        CommitCertificate c = cert(yes(A), yes(B));
        assertEquals(Optional.empty(), c.verify(PUBLIC));
        assertEquals(new java.util.TreeSet<>(List.of(A, B)), c.committedTo());
        assertEquals(2, c.weight());
    }

    @Test
    void votesBelowTheQuorumProveNothing() {
        assertEquals(Optional.of("its votes hold weight 1 of 3, the round needs 2"), cert(yes(A)).verify(PUBLIC));
        assertEquals(Optional.of("the vote of a appears twice"), cert(yes(A), yes(A)).verify(PUBLIC));
    }

    @Test
    void aVoteOfAnotherRoundTableOrProposalIsNeverCounted() {
        // B6: old signed votes replayed into another round or table version
        assertEquals(Optional.of("the vote of b is for round a#8"),
                cert(yes(A), yes(B, new RoundId(A, 8), 3, TERMS.proposal(MESSAGE))).verify(PUBLIC));
        assertEquals(Optional.of("the vote of b is under table version 4"),
                cert(yes(A), yes(B, ROUND, 4, TERMS.proposal(MESSAGE))).verify(PUBLIC));
        // B1: votes for another message do not commit this one
        Digest other = TERMS.proposal(Digest.sha256(new byte[] {4}));
        assertEquals(Optional.of("the vote of b is for another proposal (" + other + ")"),
                cert(yes(A), yes(B, ROUND, 3, other)).verify(PUBLIC));
    }

    @Test
    void termsStretchedAfterTheVotesProveNothing() {
        // a coordinator that claims a lower threshold than the voters signed: the proposal no longer matches
        RoundTerms lowered = new RoundTerms(3, TERMS.tableHash(), DeliveryGuarantee.GLOBAL_QUORUM,
                Threshold.of(1, 3), 0, TERMS.weights());
        CommitCertificate c = new CommitCertificate("fed", ROUND, MESSAGE, lowered, List.of(yes(A)));
        assertEquals(Optional.of("the vote of a is for another proposal (" + TERMS.proposal(MESSAGE) + ")"),
                c.verify(PUBLIC));
    }

    @Test
    void onlyTheVotersOwnSignaturesCount() {
        SignedVote forged = new SignedVote("fed", 3, yes(B).vote(), yes(X, ROUND, 3, TERMS.proposal(MESSAGE))
                .signature());
        assertEquals(Optional.of("the vote of b is not signed by its voter"), cert(yes(A), forged).verify(PUBLIC));
        assertEquals(Optional.of("the vote of b has no known key"), cert(yes(A), yes(B)).verify(Map.of(A,
                PUBLIC.get(A))));
        assertEquals(Optional.of("the vote of x is not a target's"), cert(yes(A), yes(X, ROUND, 3,
                TERMS.proposal(MESSAGE))).verify(PUBLIC));
        SignedVote no = SignedVote.sign("fed", 3, new Vote(ROUND, B, Verdict.NO, TERMS.proposal(MESSAGE), "full"),
                KEYS.get(B).getPrivate());
        assertEquals(Optional.of("the vote of b is NO"), cert(yes(A), no).verify(PUBLIC));
        // unsigned votes add up only where nobody signs (an insecure federation)
        CommitCertificate unsigned = new CommitCertificate("fed", ROUND, MESSAGE, TERMS, List.of(
                SignedVote.unsigned("fed", 3, yes(A).vote()), SignedVote.unsigned("fed", 3, yes(B).vote())));
        assertEquals(Optional.empty(), unsigned.verifyUnsigned());
        assertEquals(Optional.of("the vote of a is not signed by its voter"), unsigned.verify(PUBLIC));
    }

    @Test
    void theCertificateFileReadsBackAndStillProves() {
        CommitCertificate c = cert(yes(A), yes(C));
        CommitCertificate back = CommitCertificate.parse(c.toText());
        assertEquals(c.toText(), back.toText());
        assertEquals(Optional.empty(), back.verify(PUBLIC));
        String edited = c.toText().replace("threshold=2/3", "threshold=1/3");
        // the file states no digest per vote: its votes are rebuilt for the edited terms, and no signature covers them
        assertEquals(Optional.of("the vote of a is not signed by its voter"),
                CommitCertificate.parse(edited).verify(PUBLIC));
        assertThrows(IllegalArgumentException.class, () -> CommitCertificate.parse("# something else\n"));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> CommitCertificate.parse(c.toText().replaceAll("table.version=3\n", "")));
        assertEquals("malformed certificate: the certificate is missing 'table.version'", missing.getMessage());
    }

    @Test
    void byzantineTermsNeedTheByzantineQuorum() {
        // SCENARIOS C15, in the certificate's arithmetic
        assertEquals(3, byzantine(1, 1, 1, 1).requiredWeight());
        assertEquals(5, byzantine(2, 2, 1, 1, 1).requiredWeight());
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> byzantine(3, 2, 1, 1).requiredWeight());
        assertEquals("byzantine quorum refused: total weight W=7 < 3F+1 with f=1, F=3", refused.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new RoundTerms(1, MESSAGE, DeliveryGuarantee.GLOBAL_QUORUM,
                Threshold.ALL, 0, new TreeMap<>(Map.of(A, 0L))), "no weight at all");
        assertThrows(IllegalArgumentException.class, () -> new RoundTerms(1, MESSAGE, DeliveryGuarantee.AT_LEAST_ONCE,
                Threshold.ALL, 0, new TreeMap<>(Map.of(A, 1L))), "not a voted guarantee");
    }

    private static RoundTerms byzantine(long... weights) {
        SortedMap<ClusterId, Long> w = new TreeMap<>();
        List<ClusterId> ids = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            ids.add(ClusterId.of("c" + i));
            w.put(ids.get(i), weights[i]);
        }
        return new RoundTerms(1, MESSAGE, DeliveryGuarantee.BYZANTINE_QUORUM, Threshold.ALL, 1, w);
    }

    @Test
    void aRoundOfSeveralMessagesProvesEachOfThemAndNoOther() {
        List<Digest> messages = List.of(Digest.sha256(new byte[] {10}), MESSAGE, Digest.sha256(new byte[] {11}));
        Digest proposal = TERMS.proposal(CommitCertificate.roundDigest(messages));
        SortedMap<ClusterId, byte[]> signatures = new TreeMap<>();
        for (ClusterId c : List.of(A, B)) {
            signatures.put(c, yes(c, ROUND, 3, proposal).signature());
        }
        for (Digest m : messages) {
            CommitCertificate c = CommitCertificate.of("fed", ROUND, m, messages, TERMS, signatures);
            assertEquals(Optional.empty(), c.verify(PUBLIC), "message " + m);
            assertEquals(c, CommitCertificate.parse(c.toText()), "the file form keeps the round's messages");
            assertEquals(Optional.empty(), CommitCertificate.parse(c.toText()).verify(PUBLIC));
            assertEquals(c, CommitCertificate.of("fed", ROUND, messages.get(0), messages, TERMS, signatures)
                    .withMessage(m), "the same certificate from another message's");
        }
        Digest stranger = Digest.sha256(new byte[] {12});
        assertEquals(Optional.of("the message " + stranger + " is not among the round's 3 messages"),
                CommitCertificate.of("fed", ROUND, stranger, messages, TERMS, signatures).verify(PUBLIC));
        // the round's signatures prove nothing for one of its messages taken alone, nor for the list in another order
        assertEquals(Optional.of("the vote of a is not signed by its voter"),
                CommitCertificate.of("fed", ROUND, MESSAGE, TERMS, signatures).verify(PUBLIC));
        List<Digest> reordered = List.of(MESSAGE, messages.get(0), messages.get(2));
        assertEquals(Optional.of("the vote of a is not signed by its voter"),
                CommitCertificate.of("fed", ROUND, MESSAGE, reordered, TERMS, signatures).verify(PUBLIC));
        assertEquals(MESSAGE, CommitCertificate.roundDigest(List.of(MESSAGE)), "a lone message is its own digest");
        assertThrows(IllegalArgumentException.class, () -> new CommitCertificate("fed", ROUND, MESSAGE, TERMS,
                List.of(), List.of(MESSAGE)), "a list of one: that is a round of one message");
        assertThrows(IllegalArgumentException.class, () -> CommitCertificate.roundDigest(List.of()));
    }
}
