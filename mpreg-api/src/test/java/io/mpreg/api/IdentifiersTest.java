package io.mpreg.api;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The hand-written identifier checks accept exactly what the documented patterns accept. */
class IdentifiersTest {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern QUEUE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,254}");
    private static final String ALPHABET = "aZ09._-:/ é*\n";

    private static boolean accepts(Runnable check) {
        try {
            check.run();
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Test
    void theChecksAgreeWithThePatternsOnRandomStrings() {
        SplittableRandom r = new SplittableRandom(17);
        for (int i = 0; i < 200_000; i++) {
            int length = r.nextInt(4) == 0 ? r.nextInt(240, 270) : r.nextInt(70);
            StringBuilder b = new StringBuilder();
            for (int j = 0; j < length; j++) {
                b.append(ALPHABET.charAt(r.nextInt(10) < 8 ? r.nextInt(4) : r.nextInt(ALPHABET.length())));
            }
            String s = b.toString();
            assertEquals(ID.matcher(s).matches(), accepts(() -> Identifiers.requireId("id", s)), "id '" + s + "'");
            assertEquals(QUEUE.matcher(s).matches(), accepts(() -> Identifiers.requireQueue(s)), "queue '" + s + "'");
        }
        for (String s : new String[]{"", "a", "-a", "a-", "a".repeat(64), "a".repeat(65), "q".repeat(255),
                "q".repeat(256), "a/b", "a:b", ".a"}) {
            assertEquals(ID.matcher(s).matches(), accepts(() -> Identifiers.requireId("id", s)), "id '" + s + "'");
            assertEquals(QUEUE.matcher(s).matches(), accepts(() -> Identifiers.requireQueue(s)), "queue '" + s + "'");
        }
    }
}
