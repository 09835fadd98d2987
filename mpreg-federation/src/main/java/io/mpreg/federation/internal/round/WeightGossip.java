package io.mpreg.federation.internal.round;

import io.mpreg.api.ClusterId;
import io.mpreg.api.Digest;
import io.mpreg.api.NodeId;
import io.mpreg.api.RoundTerms;
import io.mpreg.consensus.WeightTable;
import io.mpreg.federation.internal.NodeSettings;
import io.mpreg.federation.internal.link.Links;
import io.mpreg.federation.internal.link.Router;
import io.mpreg.federation.internal.wire.WireMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How the weight table changes and spreads. With vote keys a new table takes effect only once clusters holding a
 * Byzantine quorum of the current table's weight (the quorum of {@link RoundTerms#byzantineQuorum} for the largest f
 * the weights tolerate) have signed it: {@link #propose} starts a proposal with the proposer's approval, each node
 * approves a proposal from a cluster it trusts ({@code NodeSettings.weightProposers}) or on its operator's word
 * ({@link #approve}), at most one table per version, and approvals travel with the proposal from neighbour to
 * neighbour until they reach the quorum; a table in effect is sent with its approvals, so every node can check it.
 * One member, or any set of clusters below the quorum, cannot change the weights. Without keys (an insecure
 * federation) nothing can be checked: a table with a higher version is adopted as it comes. Loop-thread only.
 */
public final class WeightGossip {
    private static final Logger LOG = LoggerFactory.getLogger(WeightGossip.class);
    /** Proposals kept at most while they collect approvals. */
    static final int PENDING_KEPT = 64;

    private record Proposal(WeightTable table, ClusterId proposer, SortedMap<ClusterId, byte[]> approvals) {
    }

    private record Key(long version, Digest hash) {
    }

    private final NodeSettings settings;
    private final io.mpreg.federation.internal.Counters counters;
    private final NodeId node;
    private final ClusterId self;
    private final WeightBook weights;
    private final Links links;
    private final Router router;
    private final Map<Key, Proposal> pending = new LinkedHashMap<>();
    /** The table this cluster approved, by version. */
    private final Map<Long, Digest> approved = new TreeMap<>();
    private ClusterId proposerOfCurrent;
    private SortedMap<ClusterId, byte[]> approvalsOfCurrent = Collections.emptySortedMap();

    public WeightGossip(NodeSettings settings, WeightBook weights, Links links, Router router,
                        io.mpreg.federation.internal.Counters counters) {
        this.counters = counters;
        this.settings = settings;
        this.node = settings.node();
        this.self = node.cluster();
        this.weights = weights;
        this.links = links;
        this.router = router;
        this.proposerOfCurrent = self;
    }

    /** The table in effect with its approvals, to send to a neighbour that just linked. */
    public WireMessage.Weights current() {
        WeightTable table = weights.current();
        return new WireMessage.Weights(node, table.version(), table.asMap(), proposerOfCurrent, approvalsOfCurrent);
    }

    /** A table from neighbour {@code from}: proposed (approvals to merge) or in effect elsewhere. */
    public void onWeights(ClusterId from, WireMessage.Weights w) {
        WeightTable table;
        try {
            table = WeightTable.of(w.version(), w.weights());
        } catch (IllegalArgumentException e) {
            LOG.warn("{}: ignored an invalid weight table from {}: {}", node, w.origin(), e.getMessage());
            return;
        }
        if (!settings.signing().enabled()) {
            if (weights.adopt(table)) { // nothing to check without keys
                LOG.info("{}: adopted weight table v{} from {}", node, table.version(), w.origin());
                spread(w);
            }
            return;
        }
        if (table.version() <= weights.current().version()) {
            return; // in effect here already, or superseded
        }
        Key key = new Key(table.version(), table.hash());
        Proposal p = pending.get(key);
        if (p == null) {
            p = new Proposal(table, w.proposer(), new TreeMap<>());
            pending.put(key, p);
            while (pending.size() > PENDING_KEPT) {
                pending.remove(pending.keySet().iterator().next());
            }
        }
        boolean grew = false;
        WeightTable now = weights.current();
        for (Map.Entry<ClusterId, byte[]> e : w.approvals().entrySet()) {
            ClusterId signer = e.getKey();
            if (p.approvals().containsKey(signer) || !now.contains(signer)) {
                continue;
            }
            if (settings.signing().acceptsWeights(signer, table.version(), table.hash(), e.getValue())) {
                p.approvals().put(signer, e.getValue());
                grew = true;
            } else {
                counters.forgeriesRefused.increment();
                LOG.warn("{}: refused an approval of weight table v{} from {} said to be {}'s: not signed by it", node,
                        table.version(), w.origin(), signer);
            }
        }
        if (settings.weightProposers().contains(p.proposer()) && p.approvals().containsKey(p.proposer())
                && sign(p)) {
            grew = true; // a trusted proposer's own proposal: approved here on its own
        }
        if (grew) {
            settle(key, p);
        }
    }

    /**
     * Proposes {@code newWeights} as the next table, approved by this cluster; it takes effect once a Byzantine quorum
     * of the current table's weight approved it (at once without keys).
     *
     * @return the proposed version
     * @throws IllegalStateException if this cluster already approved another table of that version
     */
    public long propose(Map<ClusterId, Long> newWeights) {
        WeightTable table = WeightTable.of(weights.current().version() + 1, newWeights);
        if (!settings.signing().enabled()) {
            weights.adopt(table);
            spread(current());
            return table.version();
        }
        Key key = new Key(table.version(), table.hash());
        Proposal p = pending.computeIfAbsent(key, k -> new Proposal(table, self, new TreeMap<>()));
        if (!sign(p) && !p.approvals().containsKey(self)) {
            throw new IllegalStateException("cluster " + self + " already approved another weight table v"
                    + table.version());
        }
        settle(key, p);
        return table.version();
    }

    /**
     * The operator approves the table {@code version} that {@code proposer} proposed.
     *
     * @return whether there was such a proposal and this cluster approved it now
     */
    public boolean approve(long version, ClusterId proposer) {
        for (Map.Entry<Key, Proposal> e : pending.entrySet()) {
            if (e.getKey().version() == version && e.getValue().proposer().equals(proposer) && sign(e.getValue())) {
                settle(e.getKey(), e.getValue());
                return true;
            }
        }
        return false;
    }

    /** The proposals waiting for approvals, oldest first. */
    public java.util.List<io.mpreg.federation.WeightProposal> pending() {
        return pending.values().stream().map(p -> new io.mpreg.federation.WeightProposal(p.table().version(),
                p.proposer(), p.table().asMap(), new java.util.TreeSet<>(p.approvals().keySet()))).toList();
    }

    /** Adds this cluster's approval to {@code p}, unless it approved a table of that version already. */
    private boolean sign(Proposal p) {
        Digest mine = approved.get(p.table().version());
        if (mine != null) {
            return false;
        }
        approved.put(p.table().version(), p.table().hash());
        p.approvals().put(self, settings.signing().signWeights(p.table().version(), p.table().hash()));
        return true;
    }

    /** Adopts {@code p} if its approvals hold the quorum; either way passes it on with them. */
    private void settle(Key key, Proposal p) {
        WireMessage.Weights w = new WireMessage.Weights(node, p.table().version(), p.table().asMap(), p.proposer(),
                new TreeMap<>(p.approvals()));
        long required = required(weights.current());
        long approving = p.approvals().keySet().stream().mapToLong(weights.current()::weight).sum();
        if (approving >= required && weights.adopt(p.table())) {
            LOG.info("{}: weight table v{} proposed by {} takes effect, approved by {} (weight {} of {}, needs {})",
                    node, p.table().version(), p.proposer(), p.approvals().keySet(), approving,
                    weights.current().total(), required);
            proposerOfCurrent = p.proposer();
            approvalsOfCurrent = Collections.unmodifiableSortedMap(new TreeMap<>(p.approvals()));
            pending.keySet().removeIf(k -> k.version() <= p.table().version());
            pending.remove(key);
        }
        spread(w);
    }

    private void spread(WireMessage.Weights w) {
        router.links().keySet().forEach(n -> links.sendTo(n, w));
        links.flood(router.ownState(), null); // carries the version and hash in effect here
    }

    /** The Byzantine quorum of {@code table}'s weight, for the largest number of faulty clusters it tolerates. */
    static long required(WeightTable table) {
        long[] w = table.asMap().values().stream().mapToLong(Long::longValue).toArray();
        long total = table.total();
        int f = 0;
        while (f < w.length && RoundTerms.faultyWeight(w, f + 1) <= (total - 1) / 3) {
            f++;
        }
        return RoundTerms.byzantineQuorum(total, RoundTerms.faultyWeight(w, f), f);
    }
}
