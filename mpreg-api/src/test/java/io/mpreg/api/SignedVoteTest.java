package io.mpreg.api;

import org.junit.jupiter.api.Test;

import java.security.KeyPair;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SignedVoteTest {
    private static final KeyPair X_KEYS = VoteKeys.generate();
    private static final KeyPair OTHER = VoteKeys.generate();
    private static final RoundId ROUND = new RoundId(ClusterId.of("c1"), 42);
    private static final Digest D = Digest.sha256(new byte[] {1, 2, 3});
    private static final Vote YES = new Vote(ROUND, ClusterId.of("x"), Verdict.YES, D, "");
    private static final Vote NO = new Vote(ROUND, ClusterId.of("x"), Verdict.NO, D, "no queue 'q' on cluster x");

    @Test
    void aSignatureCoversEveryFieldOfTheVoteAndItsContext() {
        SignedVote v = SignedVote.sign("fed", 7, YES, X_KEYS.getPrivate());
        assertTrue(v.isSigned());
        assertTrue(v.verify(X_KEYS.getPublic()));
        assertFalse(v.verify(OTHER.getPublic()), "another cluster's key");
        byte[] sig = v.signature();
        assertFalse(new SignedVote("other", 7, YES, sig).verify(X_KEYS.getPublic()), "another federation");
        assertFalse(new SignedVote("fed", 8, YES, sig).verify(X_KEYS.getPublic()), "another table version");
        assertFalse(new SignedVote("fed", 7, new Vote(new RoundId(ClusterId.of("c1"), 43), ClusterId.of("x"),
                Verdict.YES, D, ""), sig).verify(X_KEYS.getPublic()), "another round");
        assertFalse(new SignedVote("fed", 7, new Vote(ROUND, ClusterId.of("x"), Verdict.NO, D, ""), sig)
                .verify(X_KEYS.getPublic()), "another verdict");
        assertFalse(new SignedVote("fed", 7, new Vote(ROUND, ClusterId.of("x"), Verdict.YES,
                Digest.sha256(new byte[] {9}), ""), sig).verify(X_KEYS.getPublic()), "another digest");
        assertFalse(new SignedVote("fed", 7, new Vote(ROUND, ClusterId.of("x"), Verdict.YES, D, "r"), sig)
                .verify(X_KEYS.getPublic()), "another reason");
        sig[5] ^= 1;
        assertFalse(new SignedVote("fed", 7, YES, sig).verify(X_KEYS.getPublic()), "a flipped bit");
        assertFalse(SignedVote.unsigned("fed", 7, YES).verify(X_KEYS.getPublic()), "unsigned");
        assertThrows(IllegalArgumentException.class, () -> new SignedVote("fed", 7, YES, new byte[63]));
    }

    private static java.util.List<SignedVote> unsignedVotes(int n) {
        java.util.List<SignedVote> out = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(SignedVote.unsigned("fed", 7 + i % 2, new Vote(new RoundId(ClusterId.of("c1"), 100 + i),
                    ClusterId.of("x"), i % 3 == 0 ? Verdict.NO : Verdict.YES, D, i % 3 == 0 ? "full" : "")));
        }
        return out;
    }

    @Test
    void votesSignedTogetherEachVerifyAloneAndNoSealFitsAnotherVote() {
        for (int n : new int[] {1, 2, 3, 5, 8, 64}) {
            java.util.List<SignedVote> unsigned = unsignedVotes(n);
            java.util.List<SignedVote> sealed = SignedVote.signBatch(unsigned, X_KEYS.getPrivate());
            assertEquals(n, sealed.size());
            int depth = 32 - Integer.numberOfLeadingZeros(n - 1);
            for (int i = 0; i < n; i++) {
                SignedVote v = sealed.get(i);
                assertEquals(unsigned.get(i).vote(), v.vote(), "same order");
                assertEquals(n == 1 ? SignedVote.SIGNATURE_BYTES : 69 + 32 * depth, v.signature().length);
                assertEquals(n > 1, v.isSealed());
                assertTrue(v.isSigned());
                assertTrue(v.verify(X_KEYS.getPublic()), "vote " + i + " of " + n);
                assertFalse(v.verify(OTHER.getPublic()));
                assertArrayEquals(sealed.get(0).signedStatement(), v.signedStatement(), "one statement per batch");
                if (n > 1) {
                    SignedVote other = sealed.get((i + 1) % n);
                    assertFalse(new SignedVote(v.federation(), v.tableVersion(), v.vote(), other.signature())
                            .verify(X_KEYS.getPublic()), "another vote's seal");
                    byte[] seal = v.signature();
                    seal[seal.length - 1] ^= 1;
                    assertFalse(new SignedVote(v.federation(), v.tableVersion(), v.vote(), seal)
                            .verify(X_KEYS.getPublic()), "a flipped path bit");
                    byte[] index = v.signature();
                    index[SignedVote.SIGNATURE_BYTES + 1] = 1; // an index beyond the tree
                    assertFalse(new SignedVote(v.federation(), v.tableVersion(), v.vote(), index)
                            .verify(X_KEYS.getPublic()), "an index beyond the tree");
                    assertFalse(new SignedVote(v.federation(), v.tableVersion() + 1, v.vote(), v.signature())
                            .verify(X_KEYS.getPublic()), "another table version");
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> SignedVote.signBatch(java.util.List.of(),
                X_KEYS.getPrivate()));
        assertThrows(IllegalArgumentException.class, () -> SignedVote.signBatch(java.util.List.of(
                SignedVote.unsigned("fed", 7, YES), SignedVote.unsigned("fed", 7, new Vote(ROUND, ClusterId.of("y"),
                        Verdict.YES, D, ""))), X_KEYS.getPrivate()), "two voters");
    }

    @Test
    void aSealOfTheWrongShapeIsRefused() {
        byte[] seal = SignedVote.signBatch(unsignedVotes(4), X_KEYS.getPrivate()).get(0).signature();
        assertEquals(69 + 64, seal.length);
        new SignedVote("fed", 7, YES, seal); // the right shape
        byte[] deeper = seal.clone();
        deeper[SignedVote.SIGNATURE_BYTES] = 3;
        assertThrows(IllegalArgumentException.class, () -> new SignedVote("fed", 7, YES, deeper), "depth vs length");
        assertThrows(IllegalArgumentException.class, () -> new SignedVote("fed", 7, YES,
                java.util.Arrays.copyOf(seal, seal.length - 1)));
        byte[] zero = new byte[69];
        assertThrows(IllegalArgumentException.class, () -> new SignedVote("fed", 7, YES, zero), "depth 0");
        byte[] tooDeep = new byte[69 + 32 * 17];
        tooDeep[SignedVote.SIGNATURE_BYTES] = 17;
        assertThrows(IllegalArgumentException.class, () -> new SignedVote("fed", 7, YES, tooDeep));
    }

    @Test
    void sealedVotesProveEquivocationThroughTheTextForm() {
        java.util.List<SignedVote> first = SignedVote.signBatch(java.util.List.of(SignedVote.unsigned("fed", 7, YES),
                SignedVote.unsigned("fed", 7, new Vote(new RoundId(ClusterId.of("c1"), 43), ClusterId.of("x"),
                        Verdict.YES, D, ""))), X_KEYS.getPrivate());
        java.util.List<SignedVote> second = SignedVote.signBatch(java.util.List.of(SignedVote.unsigned("fed", 7,
                new Vote(new RoundId(ClusterId.of("c1"), 44), ClusterId.of("x"), Verdict.YES, D, "")),
                SignedVote.unsigned("fed", 7, NO)), X_KEYS.getPrivate());
        SignedEquivocation e = new SignedEquivocation(first.get(0), second.get(1));
        SignedEquivocation back = SignedEquivocation.parse(e.toText());
        assertEquals(e, back);
        assertTrue(back.verify(X_KEYS.getPublic()));
        assertFalse(back.verify(OTHER.getPublic()));
    }

    @Test
    void equivocationEvidenceSurvivesItsTextFormAndIsCheckedWithThePublicKeyAlone() {
        SignedEquivocation e = new SignedEquivocation(SignedVote.sign("fed", 7, YES, X_KEYS.getPrivate()),
                SignedVote.sign("fed", 7, NO, X_KEYS.getPrivate()));
        SignedEquivocation back = SignedEquivocation.parse(e.toText());
        assertEquals(e, back);
        assertEquals(ClusterId.of("x"), back.accused());
        assertTrue(back.verify(VoteKeys.publicKey(VoteKeys.pem(X_KEYS.getPublic()))));
        assertFalse(back.verify(OTHER.getPublic()));
        String forged = e.toText().replace("second.verdict=NO", "second.verdict=WEIGHTS_MISMATCH");
        assertFalse(SignedEquivocation.parse(forged).verify(X_KEYS.getPublic()), "an edited vote is not proof");
        assertThrows(IllegalArgumentException.class, () -> new SignedEquivocation(
                SignedVote.sign("fed", 7, YES, X_KEYS.getPrivate()), SignedVote.sign("fed", 7, YES,
                X_KEYS.getPrivate())), "two votes saying the same are no equivocation");
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> SignedEquivocation.parse(e.toText().replaceAll("first.signature=.*\n", "")));
        assertEquals("evidence vote 'first' is malformed: evidence is missing 'first.signature'",
                missing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SignedEquivocation.parse("hello"));
    }

    @Test
    void keysReadTheirPemFormAndRefuseTheWrongKind() {
        assertEquals(X_KEYS.getPrivate(), VoteKeys.privateKey(VoteKeys.pem(X_KEYS.getPrivate())));
        assertEquals(X_KEYS.getPublic(), VoteKeys.publicKey(VoteKeys.pem(X_KEYS.getPublic())));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VoteKeys.publicKey(VoteKeys.pem(X_KEYS.getPrivate())));
        assertTrue(e.getMessage().contains("expected a PEM PUBLIC KEY"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> VoteKeys.publicKey("not base64 !"));
    }
}
