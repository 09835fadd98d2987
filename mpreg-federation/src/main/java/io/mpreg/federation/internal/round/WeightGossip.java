package io.mpreg.federation.internal.round;

import io.mpreg.api.ClusterId;
import io.mpreg.api.NodeId;
import io.mpreg.consensus.WeightTable;
import io.mpreg.federation.internal.link.Links;
import io.mpreg.federation.internal.link.Router;
import io.mpreg.federation.internal.wire.WireMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * How the weight table spreads: a node that changes it or adopts a newer version sends it to its neighbours and
 * floods its own link state (which carries the table's version and hash, so a disagreement shows everywhere).
 * Loop-thread only.
 */
public final class WeightGossip {
    private static final Logger LOG = LoggerFactory.getLogger(WeightGossip.class);

    private final NodeId node;
    private final WeightBook weights;
    private final Links links;
    private final Router router;

    public WeightGossip(NodeId node, WeightBook weights, Links links, Router router) {
        this.node = node;
        this.weights = weights;
        this.links = links;
        this.router = router;
    }

    /** This node's table, to send to a neighbour that just linked. */
    public WireMessage.Weights current() {
        WeightTable table = weights.current();
        return new WireMessage.Weights(node, table.version(), table.asMap());
    }

    /** A table from neighbour {@code from}: adopted and passed on if it supersedes this node's. */
    public void onWeights(ClusterId from, WireMessage.Weights w) {
        WeightTable table;
        try {
            table = WeightTable.of(w.version(), w.weights());
        } catch (IllegalArgumentException e) {
            LOG.warn("{}: ignored an invalid weight table from {}: {}", node, w.origin(), e.getMessage());
            return;
        }
        if (weights.adopt(table)) {
            LOG.info("{}: adopted weight table v{} from {}", node, table.version(), w.origin());
            for (ClusterId n : router.links().keySet()) {
                if (!n.equals(from)) {
                    links.sendTo(n, w);
                }
            }
            links.flood(router.ownState(), null);
        }
    }

    /** Changes the weight table here; the new version spreads to every node. Returns it. */
    public long change(Map<ClusterId, Long> newWeights) {
        WeightTable table = weights.change(newWeights);
        WireMessage.Weights w = new WireMessage.Weights(node, table.version(), table.asMap());
        router.links().keySet().forEach(n -> links.sendTo(n, w));
        links.flood(router.ownState(), null);
        return table.version();
    }
}
