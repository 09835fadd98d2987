package io.mpreg.it.sim;

import java.util.List;

/**
 * What one seeded run did and found.
 *
 * @param seed       the seed
 * @param liveness   whether the run was in liveness mode (faults stop, then everything must complete in a bound)
 * @param shape      a one-line description of the federation and the faults drawn from the seed
 * @param traceHash  the fingerprint of the run's event trace (same seed, same hash)
 * @param events     events run
 * @param operations sends issued
 * @param succeeded  sends whose outcome was a success
 * @param delivered  deliveries to the application
 * @param virtualMillis virtual time the run covered
 * @param violations what the checkers found (empty: the run passed)
 * @since 0.3.0
 */
public record RunResult(long seed, boolean liveness, String shape, long traceHash, long events, int operations,
                        int succeeded, int delivered, long virtualMillis, List<String> violations) {
    public RunResult {
        violations = List.copyOf(violations);
    }

    public boolean passed() {
        return violations.isEmpty();
    }

    /** The command that replays this run. */
    public String replayCommand() {
        return Seeds.replayCommand(seed);
    }
}
