package io.mpreg.federation.internal.wire;

import io.mpreg.api.AbortReason;
import io.mpreg.api.ClusterId;
import io.mpreg.api.Digest;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.Message;
import io.mpreg.api.MessageId;
import io.mpreg.api.NodeId;
import io.mpreg.api.RoundId;
import io.mpreg.api.VectorClock;
import io.mpreg.api.Vote;
import io.mpreg.federation.queue.QueueType;

import java.util.List;
import java.util.SortedSet;

/**
 * What federation nodes say to each other. Each kind has a fixed type byte on the wire ({@link WireCodec}) and its
 * own hand-written Kryo serializer, so decoding never instantiates a class the codec did not name.
 */
public sealed interface WireMessage {

    /** A frame addressed to one cluster, relayed hop by hop; {@code visited} lists the clusters it passed. */
    sealed interface Routed extends WireMessage {
        ClusterId destination();

        List<ClusterId> visited();

        /** The same frame with another visited list. */
        Routed via(List<ClusterId> visited);
    }

    /**
     * Several messages to one peer in one frame ({@link WireCodec#BATCH}): an encoding, not a transaction; each is
     * checked and handled on its own, in order. Never nested and never holding a {@link Hello}.
     */
    record Batch(List<WireMessage> messages) implements WireMessage {
        public Batch {
            messages = List.copyOf(messages);
            if (messages.isEmpty()) {
                throw new IllegalArgumentException("an empty batch");
            }
            for (WireMessage m : messages) {
                if (m instanceof Batch || m instanceof Hello) {
                    throw new IllegalArgumentException("a batch cannot hold a " + m.getClass().getSimpleName());
                }
            }
        }
    }

    /** First frame on every new link: who I am, in which federation, with which weight table. */
    record Hello(String federation, NodeId node, long weightTableVersion) implements WireMessage {
    }

    /**
     * GOSSIP: the clusters node {@code origin} is linked with now, and which weight table it counts with. Flooded.
     * {@code version} numbers the content, which the origin's cluster signs ({@code signature}, over
     * {@link SignedContent#content(LinkState)}) once per change; {@code sequence} numbers refreshes of that content and
     * is not signed. A receiver keeps the highest (version, sequence) per origin node whose signature checks, and
     * computes routes over links both ends report (a cluster's links are the union of its nodes').
     */
    record LinkState(NodeId origin, long version, long sequence, SortedSet<ClusterId> neighbours, long tableVersion,
                     Digest tableHash, byte[] signature) implements WireMessage {
        /** The same content and signature, as refresh {@code next}. */
        public LinkState refreshed(long next) {
            return new LinkState(origin, version, next, neighbours, tableVersion, tableHash, signature);
        }

        /** Whether {@code o} states the same content under the same signature (refreshes aside). */
        public boolean sameContent(LinkState o) {
            return origin.equals(o.origin) && version == o.version && neighbours.equals(o.neighbours)
                    && tableVersion == o.tableVersion && tableHash.equals(o.tableHash)
                    && java.util.Arrays.equals(signature, o.signature);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof LinkState l && sameContent(l) && sequence == l.sequence;
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(origin, version, sequence, neighbours, tableVersion, tableHash);
        }
    }

    /**
     * WEIGHTS: a weight table, proposed by {@code proposer} or in effect, with the approvals collected so far (each
     * cluster's signature over the federation, the version and the table's hash; empty in an insecure federation).
     * Sent to neighbours when it changes or gains approvals, and to every new link.
     */
    record Weights(NodeId origin, long version, java.util.SortedMap<ClusterId, Long> weights, ClusterId proposer,
                   java.util.SortedMap<ClusterId, byte[]> approvals) implements WireMessage {
        @Override
        public boolean equals(Object o) {
            return o instanceof Weights w && origin.equals(w.origin) && version == w.version
                    && weights.equals(w.weights) && proposer.equals(w.proposer)
                    && approvals.keySet().equals(w.approvals.keySet()) && approvals.entrySet().stream()
                    .allMatch(e -> java.util.Arrays.equals(e.getValue(), w.approvals.get(e.getKey())));
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(origin, version, weights, proposer, approvals.keySet());
        }
    }

    /**
     * A message on its way from {@code origin} to {@code target}. {@code visited} lists the clusters it passed, so a
     * relay never sends it back into a loop. {@code clock} is set for CAUSAL only. {@code route} tells copies of a
     * redundant BROADCAST apart (each leaves {@code origin} by a different first hop).
     */
    record Deliver(MessageId id, ClusterId origin, ClusterId target, DeliveryGuarantee guarantee, Message message,
                   VectorClock clock, int route, long token, int requiredAcks, List<ClusterId> visited)
            implements Routed {
        @Override
        public ClusterId destination() {
            return target;
        }

        @Override
        public Deliver via(List<ClusterId> path) {
            return new Deliver(id, origin, target, guarantee, message, clock, route, token, requiredAcks, path);
        }
    }

    /** One queue in an advertisement. */
    record QueueAd(String name, QueueType type) {
    }

    /**
     * QUEUES: the queues node {@code origin} stores, valid for {@code ttlMillis} unless refreshed. Flooded, signed and
     * refreshed as {@link LinkState} is: {@code version} numbers the signed content, {@code sequence} its refreshes.
     * A receiver keeps the highest (version, sequence) per origin node, so a newer advertisement without a queue
     * withdraws it.
     */
    record QueueAds(NodeId origin, long version, long sequence, long ttlMillis, List<QueueAd> queues,
                    byte[] signature) implements WireMessage {
        /** The same content and signature, as refresh {@code next}. */
        public QueueAds refreshed(long next) {
            return new QueueAds(origin, version, next, ttlMillis, queues, signature);
        }

        /** Whether {@code o} states the same content under the same signature (refreshes aside). */
        public boolean sameContent(QueueAds o) {
            return origin.equals(o.origin) && version == o.version && ttlMillis == o.ttlMillis
                    && queues.equals(o.queues) && java.util.Arrays.equals(signature, o.signature);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof QueueAds a && sameContent(a) && sequence == a.sequence;
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(origin, version, sequence, ttlMillis, queues);
        }
    }

    /**
     * QSUB: subscription {@code subscription} of cluster {@code consumer} takes messages from {@code queue} on
     * {@code owner} (at most {@code prefetch} unacknowledged), or, not {@code active}, stops. Repeated as a lease.
     */
    record QueueSubscribe(ClusterId consumer, long subscription, String queue, ClusterId owner, int prefetch,
                          boolean active, List<ClusterId> visited) implements Routed {
        @Override
        public ClusterId destination() {
            return owner;
        }

        @Override
        public QueueSubscribe via(List<ClusterId> path) {
            return new QueueSubscribe(consumer, subscription, queue, owner, prefetch, active, path);
        }
    }

    /** QMSG: a message of {@code owner}'s queue handed to a remote subscription; {@code receipt} settles it. */
    record QueueDeliver(ClusterId owner, ClusterId consumer, long subscription, long receipt, int receiveCount,
                        ClusterId origin, DeliveryGuarantee guarantee, VectorClock clock, Message message,
                        List<ClusterId> visited) implements Routed {
        @Override
        public ClusterId destination() {
            return consumer;
        }

        @Override
        public QueueDeliver via(List<ClusterId> path) {
            return new QueueDeliver(owner, consumer, subscription, receipt, receiveCount, origin, guarantee, clock,
                    message, path);
        }
    }

    /**
     * QACK: a remote subscription settles hand-over {@code receipt}: {@link #ACK acknowledges} it, {@link #RELEASE
     * releases} it (the application gave it back), or {@link #RETURN returns} it unread (the subscription is gone, so
     * the hand-over does not count as a receive).
     */
    record QueueAck(ClusterId consumer, ClusterId owner, long subscription, String queue, long receipt, int settle,
                    List<ClusterId> visited) implements Routed {
        public static final int ACK = 0;
        public static final int RELEASE = 1;
        public static final int RETURN = 2;

        public QueueAck {
            if (settle < ACK || settle > RETURN) {
                throw new IllegalArgumentException("unknown settlement " + settle);
            }
        }

        @Override
        public ClusterId destination() {
            return owner;
        }

        @Override
        public QueueAck via(List<ClusterId> path) {
            return new QueueAck(consumer, owner, subscription, queue, receipt, settle, path);
        }
    }

    /** {@code from} accepted message {@code id}; on its way back to {@code to}, the sender. */
    record Ack(MessageId id, ClusterId from, ClusterId to, List<ClusterId> visited, byte[] signature)
            implements Routed {
        /** An ACK sent straight to its destination: the link proves its origin, no signature. */
        public Ack(MessageId id, ClusterId from, ClusterId to, List<ClusterId> visited) {
            this(id, from, to, visited, new byte[0]);
        }

        @Override
        public ClusterId destination() {
            return to;
        }

        @Override
        public Ack via(List<ClusterId> path) {
            return new Ack(id, from, to, path, signature);
        }

        /** The same ACK with its origin's signature over {@link SignedContent#content(Ack)}. */
        public Ack signed(byte[] by) {
            return new Ack(id, from, to, visited, by);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Ack a && id.equals(a.id) && from.equals(a.from) && to.equals(a.to)
                    && visited.equals(a.visited) && java.util.Arrays.equals(signature, a.signature);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(id, from, to, visited);
        }
    }

    /** {@code from} refused message {@code id} for {@code reason}. */
    record Nack(MessageId id, ClusterId from, ClusterId to, String reason, List<ClusterId> visited,
                byte[] signature) implements Routed {
        /** A NACK sent straight to its destination: the link proves its origin, no signature. */
        public Nack(MessageId id, ClusterId from, ClusterId to, String reason, List<ClusterId> visited) {
            this(id, from, to, reason, visited, new byte[0]);
        }

        @Override
        public ClusterId destination() {
            return to;
        }

        @Override
        public Nack via(List<ClusterId> path) {
            return new Nack(id, from, to, reason, path, signature);
        }

        /** The same NACK with its origin's signature over {@link SignedContent#content(Nack)}. */
        public Nack signed(byte[] by) {
            return new Nack(id, from, to, reason, visited, by);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Nack n && id.equals(n.id) && from.equals(n.from) && to.equals(n.to)
                    && reason.equals(n.reason) && visited.equals(n.visited)
                    && java.util.Arrays.equals(signature, n.signature);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(id, from, to, reason, visited);
        }
    }

    /**
     * PREPARE, the first phase of a voted delivery: the message, the round's terms (weight table, quorum rule, each
     * target's weight) and the proposal the votes sign ({@code digest}: the message's digest bound to the terms), and
     * how long the round may take, sent to {@code target}.
     */
    record Prepare(RoundId round, ClusterId target, List<Message> messages, Digest digest,
                   io.mpreg.api.RoundTerms terms, long timeoutMillis, List<ClusterId> visited) implements Routed {
        public Prepare {
            if (messages.isEmpty() || messages.size() > io.mpreg.api.CommitCertificate.MAX_ROUND_MESSAGES) {
                throw new IllegalArgumentException("a round decides 1 to "
                        + io.mpreg.api.CommitCertificate.MAX_ROUND_MESSAGES + " messages, got " + messages.size());
            }
            messages = List.copyOf(messages);
        }

        /** The PREPARE of a round that decides {@code message} alone. */
        public Prepare(RoundId round, ClusterId target, Message message, Digest digest, io.mpreg.api.RoundTerms terms,
                       long timeoutMillis, List<ClusterId> visited) {
            this(round, target, List.of(message), digest, terms, timeoutMillis, visited);
        }

        @Override
        public ClusterId destination() {
            return target;
        }

        @Override
        public Prepare via(List<ClusterId> path) {
            return new Prepare(round, target, messages, digest, terms, timeoutMillis, path);
        }

        public DeliveryGuarantee guarantee() {
            return terms.guarantee();
        }

        public long tableVersion() {
            return terms.tableVersion();
        }

        public Digest tableHash() {
            return terms.tableHash();
        }
    }

    /**
     * VOTE: a target's answer to a PREPARE, on its way to the round's coordinator, with the weight-table version of
     * that PREPARE and the voter's signature over both (empty in an insecure federation).
     */
    record VoteFrame(Vote vote, long tableVersion, byte[] signature, List<ClusterId> visited) implements Routed {
        public static VoteFrame of(io.mpreg.api.SignedVote signed, List<ClusterId> visited) {
            return new VoteFrame(signed.vote(), signed.tableVersion(), signed.signature(), visited);
        }

        /** The vote with its signature, as signed in {@code federation}. */
        public io.mpreg.api.SignedVote signed(String federation) {
            return new io.mpreg.api.SignedVote(federation, tableVersion, vote, signature);
        }

        @Override
        public ClusterId destination() {
            return vote.round().coordinator();
        }

        @Override
        public VoteFrame via(List<ClusterId> path) {
            return new VoteFrame(vote, tableVersion, signature, path);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof VoteFrame f && vote.equals(f.vote) && tableVersion == f.tableVersion
                    && java.util.Arrays.equals(signature, f.signature) && visited.equals(f.visited);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(vote, tableVersion, java.util.Arrays.hashCode(signature), visited);
        }
    }

    /**
     * DECISION: how a round ended, sent to every target. A COMMIT ({@code reason} null) carries its certificate: the
     * round's proposal and table version, and the yes-vote signature of each cluster the message is committed to (empty
     * signatures in an insecure federation). An ABORT carries its coordinator's {@code signature} over the round and
     * the reason (empty in an insecure federation) and {@code proposal} null.
     */
    record DecisionFrame(RoundId round, ClusterId target, AbortReason reason, Digest proposal, long tableVersion,
                         java.util.SortedMap<ClusterId, byte[]> certificate, byte[] signature, List<ClusterId> visited)
            implements Routed {
        public DecisionFrame {
            if ((reason == null) == (proposal == null)) {
                throw new IllegalArgumentException("a COMMIT has a proposal and an ABORT none, got reason " + reason
                        + " and proposal " + proposal);
            }
            if (reason != null && !certificate.isEmpty()) {
                throw new IllegalArgumentException("an ABORT carries no certificate, got " + certificate.keySet());
            }
        }

        /** A COMMIT with its certificate. */
        public static DecisionFrame commit(RoundId round, ClusterId target, Digest proposal, long tableVersion,
                                           java.util.SortedMap<ClusterId, byte[]> certificate, List<ClusterId> visited) {
            return new DecisionFrame(round, target, null, proposal, tableVersion, certificate, new byte[0], visited);
        }

        /** An ABORT with its coordinator's signature. */
        public static DecisionFrame abort(RoundId round, ClusterId target, AbortReason reason, byte[] signature,
                                          List<ClusterId> visited) {
            return new DecisionFrame(round, target, reason, null, 0, java.util.Collections.emptySortedMap(),
                    signature, visited);
        }

        @Override
        public ClusterId destination() {
            return target;
        }

        @Override
        public DecisionFrame via(List<ClusterId> path) {
            return new DecisionFrame(round, target, reason, proposal, tableVersion, certificate, signature, path);
        }

        public boolean committed() {
            return reason == null;
        }

        /** This decision, with its proof, addressed to {@code newTarget} from {@code from} (a target that asks). */
        public DecisionFrame to(ClusterId newTarget, ClusterId from) {
            return new DecisionFrame(round, newTarget, reason, proposal, tableVersion, certificate, signature,
                    List.of(from));
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof DecisionFrame f) || !round.equals(f.round) || !target.equals(f.target)
                    || reason != f.reason || !java.util.Objects.equals(proposal, f.proposal)
                    || tableVersion != f.tableVersion || !java.util.Arrays.equals(signature, f.signature)
                    || !visited.equals(f.visited) || !certificate.keySet().equals(f.certificate.keySet())) {
                return false;
            }
            return certificate.entrySet().stream().allMatch(e -> java.util.Arrays.equals(e.getValue(),
                    f.certificate.get(e.getKey())));
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(round, target, reason, proposal, tableVersion, certificate.keySet(),
                    java.util.Arrays.hashCode(signature), visited);
        }
    }

    /**
     * A yes-voter that heard no decision asks {@code target}, another target of the round, for it: a target holding
     * the round's certificate or signed ABORT answers with a DECISION to {@code asker}; one without stays silent.
     */
    record DecisionQuery(RoundId round, ClusterId asker, ClusterId target, List<ClusterId> visited) implements Routed {
        @Override
        public ClusterId destination() {
            return target;
        }

        @Override
        public DecisionQuery via(List<ClusterId> path) {
            return new DecisionQuery(round, asker, target, path);
        }
    }
}
