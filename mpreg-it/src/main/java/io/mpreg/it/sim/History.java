package io.mpreg.it.sim;

import io.mpreg.api.ClusterId;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.DeliveryResult;
import io.mpreg.api.MessageId;
import io.mpreg.api.NodeId;
import io.mpreg.federation.FederationStatistics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a run did, as the checkers see it: every send with its outcome, every delivery to the application (per node
 * incarnation, "c2/gw#1"), when each incarnation started and stopped, and what each causal message's sender had
 * seen (its causal past). Recorded on the simulation's thread.
 *
 * @since 0.3.0
 */
public final class History {
    /** One send of the workload. */
    public static final class Op {
        final int k;
        final MessageId id;
        final String sender;
        final NodeId senderNode;
        final DeliveryGuarantee guarantee;
        final Set<ClusterId> targets;
        final long sentAt;
        final boolean afterHeal;
        final long deadline;
        final Set<MessageId> causalPast;
        DeliveryResult result;
        Throwable error;
        long completedAt = -1;

        Op(int k, MessageId id, String sender, NodeId senderNode, DeliveryGuarantee guarantee, Set<ClusterId> targets,
           long sentAt, boolean afterHeal, long deadline, Set<MessageId> causalPast) {
            this.k = k;
            this.id = id;
            this.sender = sender;
            this.senderNode = senderNode;
            this.guarantee = guarantee;
            this.targets = targets;
            this.sentAt = sentAt;
            this.afterHeal = afterHeal;
            this.deadline = deadline;
            this.causalPast = causalPast;
        }

        boolean complete() {
            return completedAt >= 0;
        }

        @Override
        public String toString() {
            return "m" + k + " (" + guarantee + " from " + sender + " to " + (targets.isEmpty() ? "all" : targets)
                    + " at " + sentAt / 1_000_000 + " ms"
                    + (complete() ? ", done at " + completedAt / 1_000_000 + " ms: "
                    + (error != null ? error : result.success() ? "ok " + result.deliveredTo()
                    : result.abortReason() + " " + result.failures()) : ", never completed") + ")";
        }
    }

    /** One delivery to the application. */
    record Received(String label, NodeId node, MessageId id, DeliveryGuarantee guarantee, long at) {
    }

    /** A node incarnation's life. */
    static final class Life {
        final NodeId node;
        final long started;
        long stopped = Long.MAX_VALUE;
        boolean crashed;
        FederationStatistics last;
        List<io.mpreg.api.SignedEquivocation> evidence = List.of();

        final VoteTap tap;

        Life(NodeId node, long started, VoteTap tap) {
            this.node = node;
            this.started = started;
            this.tap = tap;
        }
    }

    final Map<MessageId, Op> ops = new TreeMap<>();
    final List<Op> inOrder = new ArrayList<>();
    final List<Received> deliveries = new ArrayList<>();
    final Map<String, Life> lives = new TreeMap<>();
    private final Map<String, Set<MessageId>> causalKnowledge = new TreeMap<>();

    Op sent(int k, MessageId id, String sender, NodeId node, DeliveryGuarantee guarantee, Set<ClusterId> targets,
            long at, boolean afterHeal, long deadline) {
        Set<MessageId> past = Set.of();
        if (guarantee == DeliveryGuarantee.CAUSAL) {
            Set<MessageId> known = causalKnowledge.computeIfAbsent(sender, s -> new TreeSet<>());
            past = Set.copyOf(known);
            known.add(id);
        }
        Op op = new Op(k, id, sender, node, guarantee, Set.copyOf(targets), at, afterHeal, deadline, past);
        ops.put(id, op);
        inOrder.add(op);
        return op;
    }

    void completed(Op op, DeliveryResult result, Throwable error, long at) {
        if (op.complete()) {
            return;
        }
        op.result = result;
        op.error = error;
        op.completedAt = at;
    }

    void delivered(String label, NodeId node, MessageId id, DeliveryGuarantee guarantee, long at) {
        deliveries.add(new Received(label, node, id, guarantee, at));
        Op op = ops.get(id);
        if (guarantee == DeliveryGuarantee.CAUSAL && op != null) {
            Set<MessageId> known = causalKnowledge.computeIfAbsent(label, s -> new TreeSet<>());
            known.add(id);
            known.addAll(op.causalPast);
        }
    }

    void started(String label, NodeId node, long at, VoteTap tap) {
        lives.put(label, new Life(node, at, tap));
    }

    void stopped(String label, long at, FederationStatistics last, List<io.mpreg.api.SignedEquivocation> evidence,
                 boolean crashed) {
        Life life = lives.get(label);
        life.evidence = List.copyOf(evidence);
        life.stopped = at;
        life.crashed = crashed;
        life.last = last;
    }

    /** Clusters whose node refused to start on a log a crash damaged (what they held is rightly gone). */
    final java.util.Set<ClusterId> damaged = new java.util.TreeSet<>();

    void refused(String label, NodeId node, long at, String why) {
        damaged.add(node.cluster());
    }

    boolean allComplete() {
        return inOrder.stream().allMatch(Op::complete);
    }

    int operations() {
        return inOrder.size();
    }

    int succeeded() {
        return (int) inOrder.stream().filter(op -> op.complete() && op.error == null && op.result.success()).count();
    }
}
