package io.mpreg.federation;

import io.mpreg.api.ClusterId;

import java.time.Duration;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A node's federation figures at one moment. Sender-side counts are about messages this node sent; receiver-side
 * counts are about messages that arrived here for this cluster; relay counts are about frames passing through.
 *
 * @param messagesSent             messages this node's applications sent (every guarantee)
 * @param messagesSucceeded        of those, completed successfully
 * @param failedFederationAttempts of those, completed with a failure (timeout, refusal, no route)
 * @param retries                  re-sends of unacknowledged messages
 * @param acksReceived             acknowledgements that reached this node as sender
 * @param nacksReceived            refusals that reached this node as sender
 * @param messagesDelivered        messages this cluster took into its queues (each once; subscribers take them
 *                                 from there)
 * @param duplicatesDropped        arrivals of a message id already taken (a retransmission is acknowledged again,
 *                                 another send refused)
 * @param messagesRefused          arrivals refused with a NACK (no such queue, queue full, duplicate, hold-back
 *                                 full)
 * @param causalHeldBack           CAUSAL messages that had to wait for an earlier one
 * @param causalOverflow           CAUSAL messages refused because the hold-back buffer was full
 * @param framesRelayed            frames passed on towards another cluster
 * @param framesDroppedNoRoute     frames a relay could not pass on (no route avoiding the visited clusters)
 * @param framesUndecodable        inbound frames that failed to decode (and were dropped)
 * @param ackLatencyP50            median time from first send to acknowledgement (zero before any)
 * @param ackLatencyP99            99th percentile of the same
 * @param roundsCommitted          voted rounds this node coordinated that committed
 * @param roundsAborted            voted rounds this node coordinated that aborted (any reason)
 * @param byzantineFaultsDetected  faults (equivocations) the fault detectors proved in this node's rounds
 * @param openRounds               voted rounds open now at this coordinator
 * @param roundsRefused            sends refused by admission control: voted ones with too many rounds open and waiting,
 *                                 others (since 0.6.0) with too many sends in flight and waiting
 * @param roundsInDoubt            voted rounds this node holds a message for as a yes-voter past their deadline, no
 *                                 decision heard yet: it keeps the message and asks the coordinator and the other
 *                                 targets (since 0.5.0; it never drops such a message on its own)
 * @param decisionP50              median time from opening a round to its decision (zero before any)
 * @param decisionP99              99th percentile of the same
 * @param faultsBySuspect          faults proved against each cluster in this node's rounds (honest ones never appear)
 * @param links                    the state of the link to each configured or discovered neighbour
 * @param votesRejected            votes this coordinator refused: not signed by their voter, or cast under another
 *                                 weight-table version than their round's (since 0.3.0)
 * @param framesReplayed           inbound frames refused as replays: a sequence number this link already carried, or
 *                                 one below its window (since 0.3.0)
 * @param framesStale              inbound frames refused as addressed to an earlier incarnation of this node, or
 *                                 from a peer incarnation that never greeted it (usual for a moment after either end
 *                                 restarts; since 0.3.0)
 * @param pluginFailures           sends refused because a weighting strategy or fault detector threw (or answered out
 *                                 of range) when their round opened; each is logged with the plugin's name (since
 *                                 0.3.0)
 * @param storageFailure           why this node cannot write its log now (it refuses what it would have to store),
 *                                 or null while it can or runs in memory (since 0.4.0)
 * @param forgeriesRefused         frames this node refused as forged: a COMMIT whose certificate does not prove it,
 *                                 an ABORT not signed by its coordinator, a PREPARE or DECISION of this node's own
 *                                 round from the network, an approval of a weight table not signed by its cluster, a
 *                                 relayed link state, queue advertisement, ACK or NACK its origin did not sign; an
 *                                 honest federation sends none (since 0.5.0)
 * @param preparesRefused          PREPAREs this cluster did not vote on, each logged with the reason: it may have
 *                                 voted in their round and no longer remembers its vote (its vote memory forgot it, or
 *                                 it runs without a log and the round opened before it started), and a second,
 *                                 different vote would prove it an equivocator; or the round's number says it opened
 *                                 in the future or its deadline is long past (a clock off by more than a minute, or a
 *                                 replay). A few after a restart are expected (since 0.5.0)
 * @param batchFrames              frames sent carrying several messages (batches), since start (since 0.6.0)
 * @param batchedMessages          the messages those frames carried (batchedMessages / batchFrames: the batching
 *                                 factor) (since 0.6.0)
 * @param transportCongested       times a transport's queue for a peer was full and that peer's traffic was parked
 *                                 (kept, in order, and offered again shortly; nothing dropped) (since 0.6.0)
 * @param sendsRefusedKeptFull     sends refused because a peer's parked messages reached their bound (the sender
 *                                 retries; a steady count means a peer takes less than this node sends) (since 0.6.0)
 * @param inboundFull              times a transport thread found this node's loop holding its bound of messages from
 *                                 the network and stopped reading until it had room (since 0.6.0)
 * @param sharedRounds             voted rounds this node coordinated that decided several messages at once (sends with
 *                                 the same options and queue that came together), since start (since 0.6.0)
 * @param sharedRoundMessages      the messages those rounds decided (sharedRoundMessages / sharedRounds: messages per
 *                                 shared round) (since 0.6.0)
 * @since 0.1.0
 */
public record FederationStatistics(long messagesSent, long messagesSucceeded, long failedFederationAttempts,
                                   long retries, long acksReceived, long nacksReceived, long messagesDelivered,
                                   long duplicatesDropped, long messagesRefused, long causalHeldBack,
                                   long causalOverflow, long framesRelayed, long framesDroppedNoRoute,
                                   long framesUndecodable, Duration ackLatencyP50, Duration ackLatencyP99,
                                   long roundsCommitted, long roundsAborted, long byzantineFaultsDetected,
                                   int openRounds, long roundsRefused, long roundsInDoubt, Duration decisionP50,
                                   Duration decisionP99, SortedMap<ClusterId, Long> faultsBySuspect,
                                   SortedMap<ClusterId, LinkStatus> links, long votesRejected,
                                   long framesReplayed, long framesStale, long pluginFailures,
                                   String storageFailure, long forgeriesRefused,
                                   long preparesRefused, long batchFrames, long batchedMessages,
                                   long transportCongested, long sendsRefusedKeptFull, long inboundFull,
                                   long sharedRounds, long sharedRoundMessages) {
    public FederationStatistics {
        faultsBySuspect = Collections.unmodifiableSortedMap(new TreeMap<>(faultsBySuspect));
        links = Collections.unmodifiableSortedMap(new TreeMap<>(links));
    }

    /** The alert levels of MPREG's operator guide. */
    public enum Health {
        /** Nothing to report. */
        HEALTHY,
        /** Slow: a decision p99 over 10 s, a delivery (ack) p99 over 5 s, or a voted round in doubt. */
        WARNING,
        /**
         * Any Byzantine fault, a forged frame refused, a consensus or federation success rate under 95 %, or a log that
         * cannot write.
         */
        CRITICAL
    }

    /** Committed share of the voted rounds this node coordinated (1 when there were none). */
    public double consensusSuccessRate() {
        long rounds = roundsCommitted + roundsAborted;
        return rounds == 0 ? 1.0 : (double) roundsCommitted / rounds;
    }

    /** Successful share of the messages this node's applications sent and that completed (1 when none did). */
    public double federationSuccessRate() {
        long done = messagesSucceeded + failedFederationAttempts;
        return done == 0 ? 1.0 : (double) messagesSucceeded / done;
    }

    /** The health status from these figures, with the alert levels of MPREG's operator guide. */
    public Health health() {
        return healthReasons().stream().anyMatch(r -> r.startsWith("critical"))
                ? Health.CRITICAL : healthReasons().isEmpty() ? Health.HEALTHY : Health.WARNING;
    }

    /** Why {@link #health()} is not HEALTHY, one line per alert (empty when healthy). */
    public java.util.List<String> healthReasons() {
        java.util.List<String> out = new java.util.ArrayList<>();
        if (storageFailure != null) {
            out.add("critical: " + storageFailure + "; sends refused and votes no until it can");
        }
        if (byzantineFaultsDetected > 0) {
            out.add("critical: " + byzantineFaultsDetected + " Byzantine fault(s) detected " + faultsBySuspect);
        }
        if (forgeriesRefused > 0) {
            out.add("critical: " + forgeriesRefused + " forged frame(s) refused: a member lies");
        }
        if (consensusSuccessRate() < 0.95) {
            out.add(String.format("critical: consensus success rate %.1f %% < 95 %%", 100 * consensusSuccessRate()));
        }
        if (federationSuccessRate() < 0.95) {
            out.add(String.format("critical: federation success rate %.1f %% < 95 %%", 100 * federationSuccessRate()));
        }
        if (roundsInDoubt > 0) {
            out.add("warning: " + roundsInDoubt + " voted round(s) in doubt: no decision heard past the deadline");
        }
        if (decisionP99.compareTo(Duration.ofSeconds(10)) > 0) {
            out.add("warning: consensus decision p99 " + decisionP99.toMillis() + " ms > 10 s");
        }
        if (ackLatencyP99.compareTo(Duration.ofSeconds(5)) > 0) {
            out.add("warning: delivery latency p99 " + ackLatencyP99.toMillis() + " ms > 5 s");
        }
        return out;
    }
}
