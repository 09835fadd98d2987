package io.mpreg.federation;

import io.mpreg.api.ClusterId;

import java.util.Collections;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A proposed weight table that has not taken effect yet: it needs the approvals of clusters holding a Byzantine
 * quorum of the current table's weight ({@link FederationNode#approveWeights}).
 *
 * @param version    the version it would have
 * @param proposer   the cluster that proposed it
 * @param weights    the proposed weights
 * @param approvedBy the clusters whose signed approval this node holds
 * @since 0.5.0
 */
public record WeightProposal(long version, ClusterId proposer, SortedMap<ClusterId, Long> weights,
                             SortedSet<ClusterId> approvedBy) {
    public WeightProposal {
        weights = Collections.unmodifiableSortedMap(new TreeMap<>(weights));
        approvedBy = Collections.unmodifiableSortedSet(new TreeSet<>(approvedBy));
    }
}
