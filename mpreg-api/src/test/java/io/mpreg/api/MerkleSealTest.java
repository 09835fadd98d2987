package io.mpreg.api;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MerkleSealTest {
    private static final KeyPair KEYS = VoteKeys.generate();
    private static final KeyPair OTHER = VoteKeys.generate();
    private static final byte[] TAG = "TEST-BATCH".getBytes(StandardCharsets.US_ASCII);

    private static List<byte[]> statements(int n) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(("statement " + i).getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    private static boolean verifies(byte[] statement, byte[] seal, byte[] tag, KeyPair keys) {
        byte[] signed = MerkleSeal.signedBytes(statement, seal, tag);
        return signed.length > 0 && VoteKeys.verify(keys.getPublic(), signed, MerkleSeal.signatureOf(seal));
    }

    @Test
    void everyStatementOfABatchVerifiesAloneUnderOneSignature() {
        for (int n : new int[] {1, 2, 3, 7, 64, 65}) {
            List<byte[]> statements = statements(n);
            List<byte[]> seals = MerkleSeal.sign(statements, TAG, KEYS.getPrivate());
            assertEquals(n, seals.size());
            Set<String> signatures = new HashSet<>();
            Set<String> signedBytes = new HashSet<>();
            for (int i = 0; i < n; i++) {
                byte[] seal = seals.get(i);
                MerkleSeal.checkForm(seal);
                assertEquals(n > 1, MerkleSeal.isBatch(seal));
                assertEquals(n == 1 ? 64 : 69 + 32 * (32 - Integer.numberOfLeadingZeros(n - 1)), seal.length);
                assertTrue(verifies(statements.get(i), seal, TAG, KEYS), n + " statements, #" + i);
                assertFalse(verifies(statements.get(i), seal, TAG, OTHER), "another key");
                signatures.add(java.util.HexFormat.of().formatHex(MerkleSeal.signatureOf(seal)));
                signedBytes.add(java.util.HexFormat.of().formatHex(MerkleSeal.signedBytes(statements.get(i), seal,
                        TAG)));
            }
            assertEquals(1, signatures.size(), "one signature for the batch");
            assertEquals(1, signedBytes.size(), "every statement leads to the same signed bytes");
        }
    }

    @Test
    void aSealFitsNoOtherStatementTagPathOrIndex() {
        List<byte[]> statements = statements(5);
        List<byte[]> seals = MerkleSeal.sign(statements, TAG, KEYS.getPrivate());
        assertFalse(verifies(statements.get(1), seals.get(2), TAG, KEYS), "another statement of the batch");
        assertFalse(verifies("not in it".getBytes(StandardCharsets.UTF_8), seals.get(2), TAG, KEYS), "a stranger");
        assertFalse(verifies(statements.get(2), seals.get(2), "OTHER-TAG".getBytes(StandardCharsets.US_ASCII),
                KEYS), "another tag");
        byte[] path = seals.get(2).clone();
        path[path.length - 1] ^= 1;
        assertFalse(verifies(statements.get(2), path, TAG, KEYS), "a flipped bit in the path");
        byte[] index = seals.get(2).clone();
        index[68] ^= 1; // index 2 becomes 3: the path leads elsewhere
        assertFalse(verifies(statements.get(2), index, TAG, KEYS), "another index");
        byte[] beyond = seals.get(2).clone();
        beyond[65] = 1; // index 2^24 + 2 in a tree of depth 3
        assertArrayEquals(new byte[0], MerkleSeal.signedBytes(statements.get(2), beyond, TAG),
                "an index beyond the tree proves nothing");
    }

    @Test
    void malformedSealsAreRefusedByForm() {
        MerkleSeal.checkForm(new byte[0]);
        MerkleSeal.checkForm(new byte[64]);
        for (int bad : new int[] {1, 63, 65, 69, 100}) {
            assertThrows(IllegalArgumentException.class, () -> MerkleSeal.checkForm(new byte[bad]), bad + " bytes");
        }
        byte[] wrongDepth = new byte[69 + 32 * 2];
        wrongDepth[64] = 3;
        assertThrows(IllegalArgumentException.class, () -> MerkleSeal.checkForm(wrongDepth));
        byte[] tooDeep = new byte[69 + 32 * 17];
        tooDeep[64] = 17;
        assertThrows(IllegalArgumentException.class, () -> MerkleSeal.checkForm(tooDeep));
        assertEquals(69 + 32 * 16, MerkleSeal.maxBytes());
        assertThrows(IllegalArgumentException.class, () -> MerkleSeal.sign(List.of(), TAG, KEYS.getPrivate()));
    }

    @Test
    void votesSignedTogetherAreSealsOverTheirCanonicalBytes() {
        List<SignedVote> unsigned = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            unsigned.add(SignedVote.unsigned("fed", 1, new Vote(new RoundId(ClusterId.of("c1"), i), ClusterId.of("x"),
                    Verdict.YES, Digest.sha256(new byte[] {(byte) i}), "")));
        }
        List<SignedVote> sealed = SignedVote.signBatch(unsigned, KEYS.getPrivate());
        List<byte[]> canonical = new ArrayList<>();
        unsigned.forEach(v -> canonical.add(v.canonicalBytes()));
        List<byte[]> seals = MerkleSeal.sign(canonical, "MPREG-VOTE-BATCH-v1".getBytes(StandardCharsets.US_ASCII),
                KEYS.getPrivate());
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(seals.get(i), sealed.get(i).signature(), "Ed25519 is deterministic: the same seal");
        }
    }
}
