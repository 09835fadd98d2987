package io.mpreg.federation.internal.wire;

import io.mpreg.api.ClusterId;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.Message;
import io.mpreg.api.MessageId;
import io.mpreg.api.NodeId;
import io.mpreg.api.VectorClock;

import java.util.List;
import java.util.SortedSet;

/**
 * What federation nodes say to each other. Each kind has a fixed type byte on the wire ({@link WireCodec}) and its
 * own hand-written Kryo serializer, so decoding never instantiates a class the codec did not name.
 */
public sealed interface WireMessage {

    /** First frame on every new link: who I am, in which federation, with which weight table. */
    record Hello(String federation, NodeId node, long weightTableVersion) implements WireMessage {
    }

    /**
     * GOSSIP: the clusters {@code origin} is linked with now. Flooded; a receiver keeps the highest
     * {@code sequence} per origin and computes routes over links both ends report.
     */
    record LinkState(ClusterId origin, long sequence, SortedSet<ClusterId> neighbours) implements WireMessage {
    }

    /**
     * A message on its way from {@code origin} to {@code target}. {@code visited} lists the clusters it passed, so a
     * relay never sends it back into a loop. {@code clock} is set for CAUSAL only. {@code route} tells copies of a
     * redundant BROADCAST apart (each leaves {@code origin} by a different first hop).
     */
    record Deliver(MessageId id, ClusterId origin, ClusterId target, DeliveryGuarantee guarantee, Message message,
                   VectorClock clock, int route, List<ClusterId> visited) implements WireMessage {
    }

    /** {@code from} accepted message {@code id}; on its way back to {@code to}, the sender. */
    record Ack(MessageId id, ClusterId from, ClusterId to, List<ClusterId> visited) implements WireMessage {
    }

    /** {@code from} refused message {@code id} for {@code reason}. */
    record Nack(MessageId id, ClusterId from, ClusterId to, String reason, List<ClusterId> visited)
            implements WireMessage {
    }
}
