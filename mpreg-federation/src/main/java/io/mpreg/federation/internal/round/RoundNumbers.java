package io.mpreg.federation.internal.round;

import io.mpreg.api.RoundId;

import java.time.Clock;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * How a coordinator numbers its rounds: the high bits are milliseconds since 2025-01-01 UTC on its wall clock when it
 * opened the round, the low {@value #COUNT_BITS} count rounds within one millisecond (and run on into the next
 * millisecond's numbers when more are opened). A coordinator's numbers only grow: each is one more than the last, or
 * the clock's number if that is higher, and a coordinator back from a restart starts above the rounds in its log.
 *
 * <p>Targets depend on that. A target remembers its votes for a while only, and one round number per coordinator
 * for all it has forgotten ({@link VoteMemory}); a target without a log, back from a restart, refuses the rounds
 * numbered before it started.
 */
public final class RoundNumbers {
    /** 2025-01-01T00:00:00Z in epoch milliseconds. */
    static final long EPOCH_MILLIS = 1_735_689_600_000L;
    /** The low bits of a round number, counting within one millisecond. */
    static final int COUNT_BITS = 20;

    /**
     * How far apart the clusters' clocks may be: a PREPARE opened later than this after the target's now, or whose
     * deadline passed longer than this before it, is refused.
     */
    static final long CLOCK_ALLOWANCE_MILLIS = 60_000;

    private RoundNumbers() {
    }

    /** When the round numbered {@code sequence} was opened, in epoch milliseconds on its coordinator's clock. */
    static long openedAt(long sequence) {
        return (sequence >>> COUNT_BITS) + EPOCH_MILLIS;
    }

    /**
     * Why a target must not vote in {@code round}, of {@code timeoutMillis}, at {@code nowMillis} on its clock, or
     * null: opened in the future (a forged number there would make its coordinator's later rounds look forgotten once
     * the vote left the target's memory), or its deadline long past (a PREPARE from an old capture), each beyond
     * {@link #CLOCK_ALLOWANCE_MILLIS}.
     */
    static String outOfTime(RoundId round, long timeoutMillis, long nowMillis) {
        long opened = openedAt(round.sequence());
        if (opened > nowMillis + CLOCK_ALLOWANCE_MILLIS) {
            return "it was opened at " + Instant.ofEpochMilli(opened) + ", later than this node's clock ("
                    + Instant.ofEpochMilli(nowMillis) + ") allows";
        }
        if (opened + timeoutMillis + CLOCK_ALLOWANCE_MILLIS < nowMillis) {
            return "its deadline " + Instant.ofEpochMilli(opened + timeoutMillis) + " is long past on this node's "
                    + "clock (" + Instant.ofEpochMilli(nowMillis) + ")";
        }
        return null;
    }

    /** The lowest round number of {@code epochMillis} (0 for any time before 2025). */
    static long at(long epochMillis) {
        return Math.max(0, epochMillis - EPOCH_MILLIS) << COUNT_BITS;
    }

    /**
     * A new incarnation's first round number, less one: its clock's number plus a random count below half of one
     * millisecond's numbers, so two incarnations on a clock set back between them still rarely meet.
     */
    public static long first(Clock clock, RandomGenerator random) {
        return at(clock.millis()) + random.nextInt(1 << (COUNT_BITS - 1));
    }

    /** The number after {@code last}: one more, or the clock's if that is higher. */
    static long next(long last, Clock clock) {
        return Math.max(last + 1, at(clock.millis()));
    }
}
