package io.mpreg.api;

import org.junit.jupiter.api.Test;

import java.security.KeyPair;

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
