package io.mpreg.it;

import io.mpreg.it.sim.RunResult;
import io.mpreg.it.sim.Seeds;
import io.mpreg.it.sim.SimRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The deterministic fault simulation (issue 9): 2,000 seeded runs, mixed safety and liveness mode, some with a
 * malicious member (the simulator's Liar) or coordinators crashing mid-round, find no violation;
 * the same seed gives the same trace twice; the seeds that found bugs stay as regression tests. Many more seeds, or
 * one seed replayed with its faults: {@link io.mpreg.it.sim.SimMain} (README, "Fault simulation").
 */
class SimulationIT {
    private static final int THREADS = Runtime.getRuntime().availableProcessors();

    @Test
    void twoThousandSeededRunsFindNoViolation() {
        Seeds.Batch b = Seeds.run(1, 2000, THREADS);
        System.out.printf("simulation: %d seeds (%d liveness, %d malicious), %d events, %d sends (%d succeeded), %d"
                + " deliveries, %d failed, %.1f s, %.0f runs/min%n", b.runs(), b.liveness(), b.malicious(), b.events(),
                b.sends(), b.succeeded(),
                b.delivered(), b.failed().size(), b.wallMillis() / 1000.0, b.runsPerMinute());
        String report = b.failed().stream().limit(10).map(SimulationIT::describe).collect(Collectors.joining("\n"));
        assertTrue(b.failed().isEmpty(), () -> b.failed().size() + " of " + b.runs() + " seeds failed:\n" + report);
        assertTrue(b.succeeded() > b.sends() / 2, "most sends succeed despite the faults: " + b.succeeded() + " of "
                + b.sends());
        assertTrue(b.liveness() > 600 && b.liveness() < 1400, "both modes ran: " + b.liveness() + " of 2000 liveness");
        assertTrue(b.malicious() > 250 && b.malicious() < 650, "a malicious member lied in some runs: " + b.malicious()
                + " of 2000");
    }

    @Test
    void theSameSeedGivesTheSameTrace() {
        List<Long> first = new ArrayList<>();
        List<Long> second = new ArrayList<>();
        for (long seed = 1; seed <= 100; seed++) {
            first.add(SimRun.run(seed).traceHash());
        }
        for (long seed = 1; seed <= 100; seed++) {
            second.add(SimRun.run(seed).traceHash());
        }
        assertEquals(first, second);
        assertEquals(100, first.stream().distinct().count(), "different seeds give different runs: " + first);
    }

    /**
     * Seeds that found bugs (each failed before its fix; checked by undoing the fix): 7, a restarted coordinator's
     * round ids repeated its earlier incarnation's, which targets answered with their old votes; 35, one missed vote
     * made a weight-1 cluster weightless for ten rounds (no quorum after the heal); 451, a twin caught in a round its
     * coordinator did not live to decide was never counted; 149, a conflicting vote that decided its round at once
     * left no signed proof; 902, a coordinator that crashed while its decision's batch was being written told its
     * caller COMMIT on close (the log's close took "no write failed" for "all written"), and after its restart ended
     * the round as ABORT; 1700, an answer settling a round while the voter walked its held messages; 900469, a
     * snapshot written as a vote aged out of the vote memory kept neither the vote nor its forgotten round number, so
     * the restarted target voted afresh (no) in a round it had voted yes in and was accused. A change to
     * what the simulator draws reshuffles runs, so these stay as seeds of the regular range too.
     */
    @ParameterizedTest
    @ValueSource(longs = {7, 35, 149, 451, 902, 1700, 900469})
    void seedsThatFoundBugsPass(long seed) {
        RunResult r = SimRun.run(seed);
        assertTrue(r.passed(), () -> describe(r));
    }

    private static String describe(RunResult r) {
        return "seed " + r.seed() + " (" + r.shape() + ")\n  replay: " + r.replayCommand() + "\n  "
                + r.violations().stream().limit(5).collect(Collectors.joining("\n  "));
    }
}
