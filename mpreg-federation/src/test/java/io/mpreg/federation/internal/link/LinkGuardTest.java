package io.mpreg.federation.internal.link;

import io.mpreg.api.NodeId;
import io.mpreg.federation.internal.wire.LinkHeader;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

import static io.mpreg.federation.internal.link.LinkGuard.Check.ACCEPTED;
import static io.mpreg.federation.internal.link.LinkGuard.Check.REPLAYED;
import static io.mpreg.federation.internal.link.LinkGuard.Check.STALE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LinkGuardTest {
    private static final NodeId A = NodeId.parse("a/n1");
    private static final NodeId B = NodeId.parse("b/n1");

    private final LinkGuard a = new LinkGuard(11);
    private final LinkGuard b = new LinkGuard(22);

    /** Sends one frame from {@code from} (node A) to guard {@code to} (node B) and returns B's verdict. */
    private static LinkGuard.Check pass(LinkGuard from, LinkGuard to, boolean hello) {
        return to.check(A, from.next(B, hello), hello);
    }

    private void greet() {
        assertEquals(ACCEPTED, pass(a, b, true));
        assertEquals(ACCEPTED, b.check(A, a.next(B, true), true)); // hellos again: still fresh numbers
        assertEquals(ACCEPTED, a.check(B, b.next(A, true), true));
    }

    @Test
    void framesOfAGreetedLinkPassOnceEach() {
        greet();
        LinkHeader h = a.next(B, false);
        assertEquals(22, h.receiverEpoch(), "addressed to the epoch B's hello showed");
        assertEquals(ACCEPTED, b.check(A, h, false));
        assertEquals(REPLAYED, b.check(A, h, false));
        assertEquals(REPLAYED, b.check(A, h, false));
    }

    @Test
    void reorderingInsideTheWindowPassesReplaysDoNot() {
        greet();
        List<LinkHeader> sent = new ArrayList<>();
        for (int i = 0; i < LinkGuard.WINDOW / 2; i++) {
            sent.add(a.next(B, false));
        }
        Collections.shuffle(sent, new java.util.Random(7));
        for (LinkHeader h : sent) {
            assertEquals(ACCEPTED, b.check(A, h, false), "first time: " + h);
        }
        for (LinkHeader h : sent) {
            assertEquals(REPLAYED, b.check(A, h, false), "again: " + h);
        }
    }

    @Test
    void aFrameOlderThanTheWindowIsRefusedEvenIfNeverSeen() {
        greet();
        LinkHeader late = a.next(B, false);
        LinkHeader last = null;
        for (int i = 0; i < LinkGuard.WINDOW; i++) {
            last = a.next(B, false);
        }
        assertEquals(ACCEPTED, b.check(A, last, false));
        assertEquals(REPLAYED, b.check(A, late, false), "1024 numbers behind: outside the window");
    }

    @Test
    void aRandomMixOfFreshAndRepeatedNumbersMatchesASet() {
        greet();
        SplittableRandom r = new SplittableRandom(3);
        LinkGuard.Window w = new LinkGuard.Window(0);
        java.util.Set<Long> seen = new java.util.HashSet<>();
        long highest = 0;
        for (int i = 0; i < 200_000; i++) {
            long s = Math.max(1, highest + r.nextLong(-LinkGuard.WINDOW - 50, 60));
            boolean expected = !seen.contains(s) && highest - s < LinkGuard.WINDOW;
            assertEquals(expected, w.accept(s), "number " + s + " with highest " + highest);
            if (expected) {
                seen.add(s);
                highest = Math.max(highest, s);
            }
        }
    }

    @Test
    void framesAddressedToAnEarlierIncarnationAreStale() {
        greet();
        LinkHeader toOldB = a.next(B, false);
        LinkGuard restartedB = new LinkGuard(23);
        assertEquals(STALE, restartedB.check(A, toOldB, false), "captured before B restarted");
        // B's new incarnation greets; A learns its epoch and is heard again
        assertEquals(ACCEPTED, a.check(B, restartedB.next(A, true), true));
        assertEquals(STALE, restartedB.check(A, a.next(B, false), false), "A's epoch has no window at B yet");
        assertEquals(ACCEPTED, pass(a, restartedB, true));
        assertEquals(ACCEPTED, restartedB.check(A, a.next(B, false), false));
    }

    @Test
    void onlyAHelloOpensAWindowAndOnlyAHelloMayAddressEpochZero() {
        LinkHeader unknownSender = new LinkHeader(99, 22, 1);
        assertEquals(STALE, b.check(A, unknownSender, false));
        assertEquals(STALE, b.check(A, new LinkHeader(99, 0, 2), false));
        assertEquals(ACCEPTED, b.check(A, new LinkHeader(99, 0, 3), true));
        assertEquals(ACCEPTED, b.check(A, new LinkHeader(99, 22, 4), false));
        assertEquals(REPLAYED, b.check(A, new LinkHeader(99, 0, 1), true), "below the hello that opened the window");
        assertEquals(REPLAYED, b.check(A, new LinkHeader(99, 0, 2), true), "likewise");
    }

    @Test
    void aRestartedPeerGetsANewWindowTheOldOneKeepsRefusingReplays() {
        greet();
        LinkHeader old = a.next(B, false);
        assertEquals(ACCEPTED, b.check(A, old, false));
        LinkGuard restartedA = new LinkGuard(12);
        assertEquals(ACCEPTED, b.check(A, restartedA.next(B, true), true));
        assertEquals(ACCEPTED, restartedA.check(B, b.next(A, true), true));
        assertEquals(ACCEPTED, b.check(A, restartedA.next(B, false), false));
        assertEquals(REPLAYED, b.check(A, old, false), "the old incarnation's frame, replayed");
        assertEquals(12, b.next(A, false).receiverEpoch(), "B addresses A's new incarnation");
    }

    @Test
    void epochZeroIsNeverDrawn() {
        assertThrows(IllegalArgumentException.class, () -> new LinkGuard(0));
        java.util.random.RandomGenerator zeroThenFive = new java.util.random.RandomGenerator() {
            private long next = 0;

            @Override
            public long nextLong() {
                long v = next;
                next = 5;
                return v;
            }
        };
        assertEquals(5, LinkGuard.newEpoch(zeroThenFive));
    }
}
