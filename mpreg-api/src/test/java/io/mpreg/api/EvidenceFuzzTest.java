package io.mpreg.api;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.security.KeyPair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Coverage-guided fuzzing of the evidence verifier (Jazzer): any text parses to evidence or fails with an
 * {@link IllegalArgumentException} naming the problem, parsed evidence prints back to the same evidence, and checking
 * it never throws; a signature made by nobody holding the key never verifies. The corpus under
 * {@code src/test/resources/io/mpreg/api/EvidenceFuzzTestInputs/parseAndVerify} replays in every test run;
 * {@code JAZZER_FUZZ=1 mvn test -pl mpreg-api -Dtest=EvidenceFuzzTest} fuzzes.
 */
class EvidenceFuzzTest {
    private static final KeyPair KEYS = VoteKeys.generate();

    @FuzzTest(maxDuration = "5m")
    void parseAndVerify(byte[] data) {
        boolean useRealKey = data.length % 2 == 0;
        String text = new String(data, java.nio.charset.StandardCharsets.UTF_8);
        SignedEquivocation evidence;
        try {
            evidence = SignedEquivocation.parse(text);
        } catch (IllegalArgumentException expected) {
            return;
        }
        assertEquals(evidence, SignedEquivocation.parse(evidence.toText()));
        boolean proven = evidence.verify(useRealKey ? KEYS.getPublic() : VoteKeys.generate().getPublic());
        assertFalse(proven && useRealKey, "fuzzed votes carry no signature made with this key");
    }
}
