package io.mpreg.federation.internal.link;

import io.mpreg.api.ClusterId;
import io.mpreg.api.NodeId;
import io.mpreg.federation.internal.wire.SignedContent;
import io.mpreg.federation.internal.wire.OriginSeal;
import io.mpreg.federation.internal.wire.WireMessage;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Link-state routing between clusters. Each node floods the set of clusters it is linked with, versioned by a
 * sequence number; a cluster's links are the union of its nodes' (so two nodes of one cluster, each reaching part
 * of the federation, are both routed to); a link counts only when both ends report it. Next hops come from a
 * breadth-first search back from the target, so every relay picks a neighbour strictly closer to it, and the
 * visited list on each frame rules out the rest. State that stops being refreshed expires.
 *
 * <p>A link state is taken only with its origin's signature ({@link OriginSeal}), checked once per new content; a
 * state whose signature does not check is refused and reported. This node signs its own state when its content
 * changes, and refreshes it unsigned in between. Loop-thread only.
 */
public final class Router {
    private record Entry(WireMessage.LinkState state, long receivedAt) {
        SortedSet<ClusterId> neighbours() {
            return state.neighbours();
        }
    }

    private final NodeId selfNode;
    private final java.util.function.Supplier<io.mpreg.consensus.WeightTable> table;
    private final ClusterId self;
    private final long expiryNanos;
    private final OriginSeal seal;
    private final Runnable refused;
    /** Clusters this node is linked with now (hello exchanged), and the gateway node of each. */
    private final Map<ClusterId, NodeId> links = new TreeMap<>();
    private final Map<NodeId, Entry> states = new HashMap<>();
    /**
     * Next hops from this cluster (nothing visited but itself) per target: every frame a node starts asks, so they are
     * computed once per topology change rather than by a search per frame. Cleared whenever links or link states
     * change.
     */
    private final Map<ClusterId, List<ClusterId>> fromHere = new HashMap<>();
    /** This node's state as last signed (null before the first). */
    private WireMessage.LinkState signed;
    private long version;
    private long sequence;

    /**
     * A router for {@code selfNode}: states expire after {@code expiryNanos}; this node's own states are numbered from
     * above {@code firstVersion} (a restarted node starts above its last run's, from the wall clock) and signed with
     * {@code seal}, which also checks the others'; a refused state is reported to {@code refused}.
     */
    public Router(NodeId selfNode, long expiryNanos, java.util.function.Supplier<io.mpreg.consensus.WeightTable> table,
                  long firstVersion, OriginSeal seal, Runnable refused) {
        this.table = table;
        this.selfNode = selfNode;
        this.self = selfNode.cluster();
        this.expiryNanos = expiryNanos;
        this.version = firstVersion;
        this.seal = seal;
        this.refused = refused;
    }

    /** A link came up; returns this node's new link state to flood. */
    public WireMessage.LinkState linkUp(ClusterId cluster, NodeId gateway) {
        links.put(cluster, gateway);
        fromHere.clear();
        return ownState();
    }

    /** A link went down; returns this node's new link state to flood, or null if it was not linked. */
    public WireMessage.LinkState linkDown(ClusterId cluster) {
        if (links.remove(cluster) == null) {
            return null;
        }
        fromHere.clear();
        return ownState();
    }

    /** This node's link state, with a fresh refresh number; signed anew only if its content changed. */
    public WireMessage.LinkState ownState() {
        io.mpreg.consensus.WeightTable t = table.get();
        if (signed == null || !signed.neighbours().equals(links.keySet()) || signed.tableVersion() != t.version()
                || !signed.tableHash().equals(t.hash())) {
            WireMessage.LinkState content = new WireMessage.LinkState(selfNode, ++version, 0,
                    new TreeSet<>(links.keySet()), t.version(), t.hash(), new byte[0]);
            signed = new WireMessage.LinkState(selfNode, version, 0, content.neighbours(), t.version(), t.hash(),
                    seal.sign(SignedContent.content(content)));
        }
        return signed.refreshed(++sequence);
    }

    /**
     * Stores {@code state}, relayed by another node, if it is newer than what is known and its origin signed it;
     * returns whether it was (and should be flooded on).
     */
    public boolean accept(WireMessage.LinkState state, long now) {
        return accept(state, now, false);
    }

    /**
     * Stores {@code state} if it is newer than what is known and its origin stated it; returns whether it was (and
     * should be flooded on). A refresh of the known content is newer by its refresh number alone. New content is
     * taken {@code direct}ly from its origin node (proven by the link's certificate) or, relayed, only with the
     * origin's signature; without it, it is refused and reported.
     */
    public boolean accept(WireMessage.LinkState state, long now, boolean direct) {
        if (state.origin().equals(selfNode)) {
            return false;
        }
        Entry known = states.get(state.origin());
        if (known != null && known.state().version() > state.version()) {
            return false;
        }
        if (known != null && known.state().version() == state.version()) {
            if (!known.state().sameContent(state)) {
                if (!seal.verify(state.origin().cluster(), SignedContent.content(state), state.signature())) {
                    refused.run(); // a content the origin did not sign, under its current version
                }
                return false;
            }
            if (known.state().sequence() > state.sequence()) {
                return false;
            }
            states.put(state.origin(), new Entry(state, now));
            return known.state().sequence() < state.sequence();
        }
        if (!direct && !seal.verify(state.origin().cluster(), SignedContent.content(state), state.signature())) {
            refused.run();
            return false;
        }
        if (known == null || !known.neighbours().equals(state.neighbours())) {
            fromHere.clear();
        }
        states.put(state.origin(), new Entry(state, now));
        return true;
    }

    /** Forgets link states not refreshed within the expiry. */
    public void expire(long now) {
        if (states.values().removeIf(e -> now - e.receivedAt() > expiryNanos)) {
            fromHere.clear();
        }
    }

    public Map<ClusterId, NodeId> links() {
        return Collections.unmodifiableMap(links);
    }

    public NodeId gateway(ClusterId cluster) {
        return links.get(cluster);
    }

    /** Every cluster this node can reach now, itself included. */
    public SortedSet<ClusterId> reachable() {
        SortedSet<ClusterId> out = new TreeSet<>(distancesTo(self).keySet());
        out.add(self);
        return out;
    }

    /**
     * The linked neighbours that lead to {@code target} without passing a cluster in {@code visited}, best first
     * (fewest hops, then by id): the direct link if there is one, then the others.
     */
    public List<ClusterId> nextHops(ClusterId target, Collection<ClusterId> visited) {
        if (visited.size() == 1 && visited.contains(self)) {
            return fromHere.computeIfAbsent(target, t -> List.copyOf(search(t, visited)));
        }
        return search(target, visited);
    }

    private List<ClusterId> search(ClusterId target, Collection<ClusterId> visited) {
        Map<ClusterId, Integer> distance = distancesTo(target, visited);
        List<ClusterId> out = new ArrayList<>();
        for (ClusterId n : links.keySet()) {
            if (!visited.contains(n) && distance.containsKey(n)) {
                out.add(n);
            }
        }
        out.sort((a, b) -> {
            int c = Integer.compare(distance.get(a), distance.get(b));
            return c != 0 ? c : a.compareTo(b);
        });
        return out;
    }

    private Map<ClusterId, Integer> distancesTo(ClusterId target) {
        return distancesTo(target, List.of());
    }

    /** Hops from each cluster to {@code target} over confirmed links, avoiding {@code visited} (but not target). */
    private Map<ClusterId, Integer> distancesTo(ClusterId target, Collection<ClusterId> visited) {
        Map<ClusterId, Integer> distance = new HashMap<>();
        ArrayDeque<ClusterId> queue = new ArrayDeque<>();
        distance.put(target, 0);
        queue.add(target);
        while (!queue.isEmpty()) {
            ClusterId at = queue.poll();
            for (ClusterId n : neighboursOf(at)) {
                if (!distance.containsKey(n) && (!visited.contains(n) || n.equals(self)) && confirmed(at, n)) {
                    distance.put(n, distance.get(at) + 1);
                    if (!n.equals(self)) {
                        queue.add(n);
                    }
                }
            }
        }
        distance.remove(self);
        return distance;
    }

    /** The clusters {@code cluster} is linked with: the union over its nodes' link states. */
    private SortedSet<ClusterId> neighboursOf(ClusterId cluster) {
        if (cluster.equals(self)) {
            return new TreeSet<>(links.keySet());
        }
        SortedSet<ClusterId> out = new TreeSet<>();
        states.forEach((node, e) -> {
            if (node.cluster().equals(cluster)) {
                out.addAll(e.neighbours());
            }
        });
        return out;
    }

    /** A link counts when both ends report it (this node's own links are known first hand). */
    private boolean confirmed(ClusterId a, ClusterId b) {
        if (a.equals(self) || b.equals(self)) {
            return links.containsKey(a.equals(self) ? b : a); // hellos went both ways
        }
        return neighboursOf(a).contains(b) && neighboursOf(b).contains(a);
    }
}
