package io.mpreg.it.sim;

import io.mpreg.api.ClusterId;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.DeliveryOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The workload: sends mixing every guarantee, from random running honest nodes at random times. Fire-and-forget,
 * at-least-once, quorum (one subscriber's acknowledgement) and broadcast go to honest clusters; the voted guarantees
 * go to every cluster (the twin too: it is a voter), now and then several at once from one node (they share a round);
 * causal messages go to everyone.
 *
 * @since 0.3.0
 */
final class Workload {
    private static final DeliveryGuarantee[] KINDS = {DeliveryGuarantee.FIRE_AND_FORGET,
        DeliveryGuarantee.AT_LEAST_ONCE, DeliveryGuarantee.AT_LEAST_ONCE, DeliveryGuarantee.QUORUM,
        DeliveryGuarantee.BROADCAST,
        DeliveryGuarantee.GLOBAL_QUORUM, DeliveryGuarantee.GLOBAL_QUORUM, DeliveryGuarantee.BYZANTINE_QUORUM,
        DeliveryGuarantee.CAUSAL};

    private final Simulation sim;
    private final SimRun run;
    private int next;

    Workload(Simulation sim, SimRun run) {
        this.sim = sim;
        this.run = run;
    }

    /** Schedules {@code count} sends at random times in [from, to). */
    void schedule(int count, long from, long to, boolean afterHeal) {
        for (int i = 0; i < count; i++) {
            long at = from + (long) (sim.random().nextDouble() * (to - from));
            int k = ++next;
            sim.after(at - sim.now(), "workload", () -> fire(k, afterHeal));
        }
    }

    private void fire(int k, boolean afterHeal) {
        List<SimRun.SimNode> senders = run.runningHonest();
        if (senders.isEmpty()) {
            return;
        }
        SplittableRandom r = sim.random();
        SimRun.SimNode from = senders.get(r.nextInt(senders.size()));
        DeliveryGuarantee g = KINDS[r.nextInt(KINDS.length)];
        if (g == DeliveryGuarantee.BYZANTINE_QUORUM && run.allClusters().size() < 4) {
            g = DeliveryGuarantee.GLOBAL_QUORUM; // W >= 3F + 1 needs four clusters of weight 1 for f = 1
        }
        if (g == DeliveryGuarantee.BYZANTINE_QUORUM && afterHeal && run.hasTwin()) {
            // once the twin is caught its weight is 0, and three honest clusters cannot tolerate f = 1 more
            // (W = 3 < 3F + 1): the node rightly refuses, so the liveness phase asks for a global quorum instead
            g = DeliveryGuarantee.GLOBAL_QUORUM;
        }
        List<ClusterId> honest = new ArrayList<>(run.honestClusters());
        DeliveryOptions o = DeliveryOptions.of(g).withTimeout(SimRun.TIMEOUT);
        switch (g) {
            case FIRE_AND_FORGET, AT_LEAST_ONCE -> o = o.withTargets(honest.get(r.nextInt(honest.size())));
            case QUORUM -> o = o.withTargets(honest.get(r.nextInt(honest.size()))).withRequiredAcks(1);
            case BROADCAST -> o = o.withTargets(honest).withRequireAll(r.nextBoolean())
                    .withRedundancy(1 + r.nextInt(2));
            case GLOBAL_QUORUM -> o = o.withTargets(run.allClusters()).withRedundancy(run.hasTwin() ? 2 : 1);
            case BYZANTINE_QUORUM -> o = o.withTargets(run.allClusters()).withByzantineTolerance(1)
                    .withRedundancy(run.hasTwin() ? 2 : 1);
            default -> o = o.withTargets(Set.of());
        }
        run.send(from, k, g, o, afterHeal);
        if (g.isVoted() && r.nextInt(3) == 0) {
            // a burst: sends with the same options at the same instant share a round at the coordinator
            for (int extra = 1 + r.nextInt(4); extra > 0; extra--) {
                run.send(from, ++next, g, o, afterHeal);
            }
        }
    }
}
