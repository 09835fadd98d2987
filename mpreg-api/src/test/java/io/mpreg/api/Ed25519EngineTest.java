package io.mpreg.api;

import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bouncy Castle's Ed25519 and the JDK's agree bit for bit: the same signature for every key and message (Ed25519 is
 * deterministic), each accepts the other's and refuses a flipped bit; the public key encoding taken from a JDK key is
 * the one Bouncy Castle derives from the seed.
 */
class Ed25519EngineTest {

    @Test
    void bouncyCastleIsUsedWhenPresent() {
        assertTrue(VoteKeys.fastEd25519(), "bcprov is on the test path, so votes must be signed with it");
    }

    @Test
    void bothImplementationsGiveTheSameSignaturesAndAcceptEachOthers() {
        SplittableRandom random = new SplittableRandom(8);
        for (int k = 0; k < 20; k++) {
            KeyPair keys = VoteKeys.generate();
            byte[] raw = Ed25519Engine.rawPrivate(keys.getPrivate());
            assertArrayEquals(Ed25519Engine.Fast.publicKey(raw), Ed25519Engine.rawPublic(keys.getPublic()),
                    "the public key's encoding");
            for (int m = 0; m < 5; m++) {
                byte[] message = new byte[random.nextInt(300)];
                random.nextBytes(message);
                byte[] jdk = Ed25519Engine.jdkSign(keys.getPrivate(), message);
                byte[] fast = VoteKeys.sign(keys.getPrivate(), message);
                assertArrayEquals(jdk, fast, "deterministic Ed25519: one signature");
                assertTrue(VoteKeys.verify(keys.getPublic(), message, jdk));
                assertTrue(Ed25519Engine.jdkVerify(keys.getPublic(), message, fast));
                byte[] flipped = fast.clone();
                flipped[random.nextInt(flipped.length)] ^= (byte) (1 << random.nextInt(8));
                assertFalse(VoteKeys.verify(keys.getPublic(), message, flipped));
                assertFalse(VoteKeys.verify(VoteKeys.generate().getPublic(), message, fast), "another key");
            }
        }
        assertFalse(VoteKeys.verify(null, new byte[1], new byte[64]));
        assertFalse(VoteKeys.verify(VoteKeys.generate().getPublic(), new byte[1], new byte[63]));
        assertNull(Ed25519Engine.rawPrivate(null));
    }
}
