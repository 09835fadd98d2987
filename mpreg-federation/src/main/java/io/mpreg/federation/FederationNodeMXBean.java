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

    /** Inbound frames that failed to decode (each closes the sender's connection where the transport can). */
    long getFramesUndecodable();

    /** Inbound frames refused as replays (since 0.3.0). */
    long getFramesReplayed();

    /** Inbound frames refused as addressed to an earlier incarnation of this node (since 0.3.0). */
    long getFramesStale();

    /** Votes refused: not signed by their voter, or cast under another weight-table version (since 0.3.0). */
    long getVotesRejected();

    /**
     * Frames refused as forged: unproved COMMITs, unsigned ABORTs, forged weight approvals, relayed gossip, acks and
     * nacks their origin did not sign (since 0.5.0).
     */
    long getForgeriesRefused();

    /** PREPAREs of rounds this cluster may have voted in and no longer remembers, not voted on (since 0.5.0). */
    long getPreparesRefused();

    /** Voted rounds held as a yes-voter past their deadline without a decision (since 0.5.0). */
    int getRoundsInDoubt();

    long getAckLatencyP50Micros();

    long getAckLatencyP99Micros();

    /** Link state per neighbouring cluster, as text (UP, BACKLOGGED, DOWN). */
    Map<String, String> getLinks();

    /** Messages waiting (visible or delayed) in each local queue. */
    Map<String, Long> getQueueDepths();

    /** Messages handed out and not yet acknowledged, per local queue. */
    Map<String, Long> getQueueInFlight();

    /** Messages moved to a dead-letter queue (or dropped), over all local queues. */
    long getQueueDeadLettered();

    /** Messages dropped as expired, over all local queues. */
    long getQueueExpired();

    /** Frames sent carrying several messages (batches). */
    long getBatchFrames();

    /** Messages sent in batch frames. */
    long getBatchedMessages();

    /** Voted rounds coordinated here that decided several messages at once. */
    long getSharedRounds();

    /** The messages those rounds decided. */
    long getSharedRoundMessages();

    /** Times a transport's queue for a peer was full and that peer's traffic was parked. */
    long getTransportCongested();

    /** Sends refused because a peer's parked messages reached their bound. */
    long getSendsRefusedKeptFull();

    /** Times a transport thread found the node's loop full and stopped reading until it had room. */
    long getInboundFull();
}
