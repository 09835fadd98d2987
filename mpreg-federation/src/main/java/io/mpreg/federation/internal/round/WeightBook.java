package io.mpreg.federation.internal.round;

import io.mpreg.api.Digest;
import io.mpreg.api.NodeId;
import io.mpreg.consensus.WeightTable;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * This node's weight table and what it knows of every other node's. A new table travels by gossip as a new version
 * ({@link WeightGossip} decides when one may take effect); adopted, it replaces a table with a lower version (and, for
 * two different tables with one version, one with a lower hash, so concurrent changes of an insecure federation
 * converge). Rounds snapshot the table they open with. Loop only.
 */
public final class WeightBook {
    private record Seen(long version, Digest hash) {
    }

    private WeightTable current;
    private final Map<NodeId, Seen> peers = new TreeMap<>();

    public WeightBook(WeightTable initial) {
        this.current = initial;
    }

    public WeightTable current() {
        return current;
    }

    /** Adopts {@code table} if it supersedes the current one; returns whether it did. */
    public boolean adopt(WeightTable table) {
        boolean newer = table.version() > current.version()
                || table.version() == current.version() && compare(table.hash(), current.hash()) > 0;
        if (newer) {
            current = table;
        }
        return newer;
    }

    public void heard(NodeId peer, long version, Digest hash) {
        peers.put(peer, new Seen(version, hash));
    }

    /** For every node heard of, whether its table is this node's (version and hash). */
    public SortedMap<NodeId, Boolean> agreement() {
        SortedMap<NodeId, Boolean> out = new TreeMap<>();
        peers.forEach((node, seen) -> out.put(node, current.agreesWith(seen.version(), seen.hash())));
        return out;
    }

    private static int compare(Digest a, Digest b) {
        int c = Long.compareUnsigned(a.w0(), b.w0());
        if (c == 0) {
            c = Long.compareUnsigned(a.w1(), b.w1());
        }
        if (c == 0) {
            c = Long.compareUnsigned(a.w2(), b.w2());
        }
        return c != 0 ? c : Long.compareUnsigned(a.w3(), b.w3());
    }
}
