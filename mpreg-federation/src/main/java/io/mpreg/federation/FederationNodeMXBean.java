package io.mpreg.federation;

import java.util.Map;

/**
 * The JMX view of a {@link FederationNode} ({@code io.mpreg:type=FederationNode,node=<cluster/name>}): the figures
 * of {@link FederationStatistics}, read live.
 *
 * @since 0.1.0
 */
public interface FederationNodeMXBean {
    long getMessagesSent();

    long getMessagesSucceeded();

    long getFailedFederationAttempts();

    long getRetries();

    long getMessagesDelivered();

    long getDuplicatesDropped();

    long getMessagesRefused();

    long getFramesRelayed();

    long getAckLatencyP50Micros();

    long getAckLatencyP99Micros();

    /** Link state per neighbouring cluster, as text (UP, BACKLOGGED, DOWN). */
    Map<String, String> getLinks();
}
