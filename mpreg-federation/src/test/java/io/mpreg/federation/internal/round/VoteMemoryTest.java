package io.mpreg.federation.internal.round;

import io.mpreg.api.ClusterId;
import io.mpreg.api.Digest;
import io.mpreg.api.RoundId;
import io.mpreg.api.SignedVote;
import io.mpreg.api.Verdict;
import io.mpreg.api.Vote;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VoteMemoryTest {
    private static final ClusterId A = ClusterId.of("a");
    private static final ClusterId B = ClusterId.of("b");
    private static final long SECOND = 1_000_000_000L;

    private long now;

    private static SignedVote vote(RoundId round) {
        return SignedVote.unsigned("f", 1, new Vote(round, ClusterId.of("me"), Verdict.YES,
                Digest.sha256(new byte[] {1}), ""));
    }

    private VoteMemory memory(int capacity, long floor, Set<ClusterId> keyed) {
        return new VoteMemory(10 * SECOND, capacity, () -> now, floor, keyed);
    }

    @Test
    void aVoteThatLeftByAgeRefusesItsRoundAndTheEarlierOnesOfItsCoordinatorOnly() {
        VoteMemory m = memory(100, 0, Set.of());
        RoundId a5 = new RoundId(A, 5);
        m.put(a5, vote(a5));
        assertNotNull(m.get(a5));
        assertNull(m.refusal(new RoundId(A, 3)), "nothing forgotten yet: a round never seen may be voted in");
        now += 10 * SECOND;
        assertNull(m.get(a5), "past the window");
        assertNotNull(m.refusal(a5), "it may have voted in it: refused, not voted afresh");
        assertNotNull(m.refusal(new RoundId(A, 4)));
        assertNull(m.refusal(new RoundId(A, 6)), "a later round of the same coordinator");
        assertNull(m.refusal(new RoundId(B, 1)), "another coordinator's rounds");
    }

    @Test
    void aVoteThatLeftAtCapacityRefusesItsRoundWhileLaterOnesAreStillAnswered() {
        VoteMemory m = memory(2, 0, Set.of());
        for (long s = 1; s <= 3; s++) {
            RoundId r = new RoundId(A, s);
            m.put(r, vote(r));
        }
        assertNull(m.get(new RoundId(A, 1)));
        assertNotNull(m.refusal(new RoundId(A, 1)));
        assertEquals(vote(new RoundId(A, 2)), m.get(new RoundId(A, 2)), "still remembered: answered as before");
        assertNull(m.refusal(new RoundId(A, 4)));
    }

    private static Map<ClusterId, Long> forgottenInSnapshot(VoteMemory m, Map<RoundId, SignedVote> votes) {
        Map<ClusterId, Long> written = new HashMap<>();
        m.snapshot((round, vote, writtenAt) -> votes.put(round, vote), written::put);
        return written;
    }

    @Test
    void theForgottenNumbersSurviveASnapshot() {
        VoteMemory m = memory(1, 0, Set.of());
        m.put(new RoundId(A, 7), vote(new RoundId(A, 7)));
        m.put(new RoundId(B, 9), vote(new RoundId(B, 9)));
        Map<RoundId, SignedVote> votes = new HashMap<>();
        Map<ClusterId, Long> written = forgottenInSnapshot(m, votes);
        assertEquals(Map.of(A, 7L), written);
        assertEquals(Map.of(new RoundId(B, 9), vote(new RoundId(B, 9))), votes);
        VoteMemory restarted = memory(1, 0, Set.of());
        written.forEach((c, upTo) -> restarted.forgot(new RoundId(c, upTo)));
        assertNotNull(restarted.refusal(new RoundId(A, 7)));
        assertNull(restarted.refusal(new RoundId(A, 8)));
    }

    @Test
    void aVoteThatAgedOutUnseenIsInTheSnapshotAsForgotten() {
        // found by the simulator (seed 900469): nothing asked the memory between the vote's window and the
        // snapshot, so the vote left while the snapshot was being written and neither it nor its number was in it
        VoteMemory m = memory(100, 0, Set.of());
        RoundId a5 = new RoundId(A, 5);
        m.put(a5, vote(a5));
        now += 10 * SECOND;
        Map<RoundId, SignedVote> votes = new HashMap<>();
        assertEquals(Map.of(A, 5L), forgottenInSnapshot(m, votes));
        assertEquals(Map.of(), votes);
    }

    @Test
    void withoutALogTheRoundsBeforeTheStartAreRefused() {
        VoteMemory m = memory(100, 1_000, Set.of());
        assertNotNull(m.refusal(new RoundId(A, 999)));
        assertNull(m.refusal(new RoundId(A, 1_000)));
    }

    @Test
    void withKeysOnlyCoordinatorsHoldingOneAreVotedFor() {
        VoteMemory m = memory(100, 0, Set.of(A));
        assertNull(m.refusal(new RoundId(A, 1)));
        assertTrue(m.refusal(new RoundId(B, 1)).contains("no vote key"));
    }

    @Test
    void roundNumbersGrowWithTheClockAndNeverGoBack() {
        Clock at = Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC);
        long first = RoundNumbers.first(at, new SplittableRandom(1));
        assertEquals(at.millis(), RoundNumbers.openedAt(first));
        long next = RoundNumbers.next(first, at);
        assertEquals(first + 1, next, "within one millisecond: counted");
        Clock later = Clock.offset(at, java.time.Duration.ofSeconds(1));
        assertEquals(RoundNumbers.at(later.millis()), RoundNumbers.next(next, later), "the clock's number");
        Clock back = Clock.offset(at, java.time.Duration.ofSeconds(-5));
        assertEquals(next + 1, RoundNumbers.next(next, back), "a clock set back: still one more");
    }

    @Test
    void aRoundFromTheFutureOrLongPastItsDeadlineIsOutOfTime() {
        long now = Instant.parse("2026-12-02T10:00:00Z").toEpochMilli();
        RoundId current = new RoundId(A, RoundNumbers.at(now - 2_000));
        assertNull(RoundNumbers.outOfTime(current, 3_000, now));
        assertNull(RoundNumbers.outOfTime(current, 1_000, now), "a clock a little ahead is allowed for");
        assertNotNull(RoundNumbers.outOfTime(new RoundId(A, RoundNumbers.at(now - 70_000)), 3_000, now));
        assertNotNull(RoundNumbers.outOfTime(new RoundId(A, RoundNumbers.at(now + 61_000)), 3_000, now));
        assertNull(RoundNumbers.outOfTime(new RoundId(A, RoundNumbers.at(now + 59_000)), 3_000, now));
    }
}
