package io.mpreg.it.sim;

import io.mpreg.api.ClusterId;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.MessageId;
import io.mpreg.api.RoundId;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The checkers, in the spirit of Jepsen's {@code total-queue}: they read a {@link History} after heal and drain and
 * name every violation. Safety: nothing delivered that was not sent (or to a cluster it was not for), nothing
 * delivered twice to one node incarnation, no acknowledged message lost (nodes keep their queues, votes, held voted
 * messages, decisions and causal clocks on a simulated disk across crashes; only a node that refused to start on a
 * log a crash damaged is excused), no delivery of a quorum message whose round did not commit (one decision per
 * round, everywhere) or at a cluster outside its commit certificate, every commit proved by a certificate that checks
 * with the clusters' public keys, causal order kept at every receiver, every outcome within its deadline, honest clusters never flagged, the twin flagged by
 * every honest coordinator that saw both of its votes in a round, and a committed round delivered at exactly the
 * clusters of its certificate (its {@code committedTo}), whatever crashed in between; the malicious member answers
 * for no delivery (it votes yes and never delivers) and, as it never votes twice, is never flagged. Liveness (liveness mode only):
 * everything sent after the heal succeeds (but for what failed only at clusters whose node refused to start on a
 * damaged log).
 *
 * @since 0.3.0
 */
final class Checker {
    /** How long after its deadline an outcome may come (a coordinator paused at its deadline runs late). */
    static final long LATE = 2_500_000_000L;

    private final History h;
    private final ClusterId twin;
    private final ClusterId liar;
    private final java.security.PublicKey twinKey;
    private final Map<ClusterId, java.security.PublicKey> keys;
    private final List<String> out = new ArrayList<>();

    /**
     * {@code keys}: every cluster's public vote key, to check commit certificates and the twin's proofs (the twin's is
     * absent if the run has no twin); {@code liar}, the malicious member, answers for nothing it was told (it never
     * delivers) but, as it never votes twice, must never be flagged.
     */
    Checker(History history, ClusterId twin, ClusterId liar, Map<ClusterId, java.security.PublicKey> keys) {
        this.h = history;
        this.twin = twin;
        this.liar = liar;
        this.keys = keys;
        this.twinKey = keys.get(twin);
    }

    List<String> check(boolean liveness, long liveBound) {
        outcomes(liveness, liveBound);
        deliveries();
        acknowledged(liveness);
        causalOrder();
        flags();
        return out;
    }

    private void outcomes(boolean liveness, long liveBound) {
        for (History.Op op : h.inOrder) {
            if (!op.complete()) {
                History.Life life = h.lives.get(op.sender);
                if (!life.crashed || life.stopped > op.deadline) {
                    out.add("never completed: " + op); // a crashed sender's application died with its futures
                }
                continue;
            }
            if (op.completedAt > op.deadline + LATE) {
                out.add("completed " + (op.completedAt - op.deadline) / 1_000_000 + " ms after its deadline: " + op);
            }
            if (op.error != null) {
                out.add("the send failed exceptionally: " + op);
                continue;
            }
            if (isQuorum(op.guarantee) && op.result.success()) {
                io.mpreg.api.CommitCertificate c = op.result.certificate();
                String unproved = c == null ? "it has no certificate" : c.verify(keys).orElse(
                        c.committedTo().equals(op.result.committedTo()) ? null : "its signers are not committedTo");
                if (unproved != null) {
                    out.add("committed without proof (" + unproved + "): " + op);
                }
            }
            boolean mustSucceed = liveness && op.afterHeal && op.guarantee != DeliveryGuarantee.CAUSAL;
            // a cluster whose node refused to start on a damaged log is down for good: what needs only it may fail
            Set<ClusterId> failedAt = new java.util.TreeSet<>(op.result.failures().keySet());
            failedAt.remove(twin); // the twin is excluded once caught, as it should be
            boolean onlyTheDamaged = !failedAt.isEmpty() && h.damaged.containsAll(failedAt);
            if (mustSucceed && !op.result.success() && !onlyTheDamaged) {
                out.add("liveness: sent after the heal and failed: " + op);
            }
            if (liveness && op.afterHeal && op.completedAt > liveBound) {
                out.add("liveness: completed after the bound " + liveBound / 1_000_000 + " ms: " + op);
            }
        }
    }

    private void deliveries() {
        Set<String> seen = new TreeSet<>();
        for (History.Received r : h.deliveries) {
            History.Op op = h.ops.get(r.id());
            if (op == null) {
                out.add("unexpected: " + r.label() + " received " + r.id() + ", which nobody sent");
                continue;
            }
            if (!op.targets.isEmpty() && !op.targets.contains(r.node().cluster())) {
                out.add("unexpected: " + r.label() + " received " + op + ", not addressed to its cluster");
            }
            if (!seen.add(r.label() + " " + r.id())) {
                out.add("duplicate: " + r.label() + " received " + op + " twice");
            }
            if (isQuorum(op.guarantee) && op.complete() && (op.error != null || !op.result.success())) {
                out.add("delivered without a commit: " + r.label() + " received " + op);
            } else if (isQuorum(op.guarantee) && op.complete() && !r.node().cluster().equals(twin)
                    && !op.result.committedTo().contains(r.node().cluster())) {
                out.add("delivered outside its certificate: " + r.label() + " received " + op + ", committed to "
                        + op.result.committedTo());
            }
        }
    }

    private void acknowledged(boolean liveness) {
        Map<MessageId, Set<ClusterId>> at = new TreeMap<>();
        h.deliveries.forEach(r -> at.computeIfAbsent(r.id(), i -> new TreeSet<>()).add(r.node().cluster()));
        for (History.Op op : h.inOrder) {
            if (!op.complete() || op.error != null || !op.result.success()) {
                continue;
            }
            Set<ClusterId> must = new TreeSet<>();
            switch (op.guarantee) {
                case AT_LEAST_ONCE, QUORUM, BROADCAST -> must.addAll(op.result.deliveredTo());
                // every cluster of the certificate, also across its own or its coordinator's crash: a yes-voter
                // keeps the message until it learns the decision (SCENARIOS A2, A3)
                case GLOBAL_QUORUM, BYZANTINE_QUORUM -> must.addAll(op.result.committedTo());
                default -> {
                }
            }
            must.remove(twin);
            must.remove(liar); // it votes yes and never delivers: that is its lie
            for (ClusterId c : must) {
                // a node keeps its queues, votes and held messages across crashes (its log), so a crash excuses no
                // loss of an acknowledged or committed message; only a node that refused to start on a log a crash
                // damaged lost what it held
                if (!at.getOrDefault(op.id, Set.of()).contains(c) && !h.damaged.contains(c)
                        && !blockedByItsCoordinator(op, c)) {
                    out.add("lost: " + c + " acknowledged or committed but never delivered " + op);
                }
            }
        }
    }

    /**
     * Whether {@code c}, a cluster of {@code op}'s certificate that never delivered it, is blocked rather than lost:
     * the coordinator refused to start on a log a crash damaged, so the certificate may have died with it before any
     * DECISION left (two-phase commit's blocking window, docs/security.md), and {@code c} says at its end that it
     * still holds a round in doubt: it kept the message and asks, as it must, rather than dropping it.
     */
    private boolean blockedByItsCoordinator(History.Op op, ClusterId c) {
        if (!isQuorum(op.guarantee) || !h.damaged.contains(op.senderNode.cluster())) {
            return false;
        }
        History.Life last = null;
        for (History.Life life : h.lives.values()) {
            if (life.node.cluster().equals(c) && (last == null || life.started > last.started)) {
                last = life;
            }
        }
        return last != null && last.last != null && last.last.roundsInDoubt() > 0;
    }

    private void causalOrder() {
        Map<String, List<MessageId>> order = new TreeMap<>();
        for (History.Received r : h.deliveries) {
            if (r.guarantee() == DeliveryGuarantee.CAUSAL) {
                order.computeIfAbsent(r.label(), l -> new ArrayList<>()).add(r.id());
            }
        }
        order.forEach((label, ids) -> {
            for (int i = 0; i < ids.size(); i++) {
                History.Op op = h.ops.get(ids.get(i));
                if (op == null) {
                    continue;
                }
                for (int j = i + 1; j < ids.size(); j++) {
                    if (op.causalPast.contains(ids.get(j))) {
                        out.add("causal order: " + label + " delivered " + op + " before "
                                + h.ops.get(ids.get(j)) + ", which it depends on");
                    }
                }
            }
        });
    }

    private void flags() {
        h.lives.forEach((label, life) -> {
            if (life.last == null || life.node.cluster().equals(twin) || life.node.cluster().equals(liar)) {
                return;
            }
            Map<ClusterId, Long> flagged = life.last.faultsBySuspect();
            flagged.keySet().stream().filter(c -> !c.equals(twin))
                    .forEach(c -> out.add("honest cluster " + c + " flagged by " + label + ": " + flagged));
            Set<RoundId> both = life.tap.conflicting(twin);
            long counted = flagged.getOrDefault(twin, 0L);
            if (both.size() > counted) {
                out.add("twin not flagged: " + label + " saw both of " + twin + "'s votes in " + both.size()
                        + " rounds " + both + " but flagged it " + counted + " times");
            }
            java.util.Comparator<RoundId> order = java.util.Comparator.comparing(RoundId::coordinator)
                    .thenComparingLong(RoundId::sequence);
            Set<RoundId> unproven = new TreeSet<>(order);
            unproven.addAll(both);
            life.evidence.stream().filter(e -> e.accused().equals(twin) && twinKey != null && e.verify(twinKey))
                    .forEach(e -> unproven.remove(e.first().vote().round()));
            if (!unproven.isEmpty() && twinKey != null) {
                out.add("no signed proof: " + label + " saw both of " + twin + "'s votes in rounds " + unproven
                        + " but holds no evidence that checks with its public key");
            }
        });
    }

    private static boolean isQuorum(DeliveryGuarantee g) {
        return g == DeliveryGuarantee.GLOBAL_QUORUM || g == DeliveryGuarantee.BYZANTINE_QUORUM;
    }
}
