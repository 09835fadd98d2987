package io.mpreg.federation.internal.wire;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.mpreg.api.AbortReason;
import io.mpreg.api.ClusterId;
import io.mpreg.api.Digest;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.Message;
import io.mpreg.api.MessageId;
import io.mpreg.api.NodeId;
import io.mpreg.api.RoundId;
import io.mpreg.api.VectorClock;
import io.mpreg.api.Verdict;
import io.mpreg.api.Vote;
import io.mpreg.federation.queue.QueueType;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

import static io.mpreg.federation.internal.wire.Fields.MAX_CLUSTERS;
import static io.mpreg.federation.internal.wire.Fields.count;
import static io.mpreg.federation.internal.wire.Fields.positive;
import static io.mpreg.federation.internal.wire.Fields.readClock;
import static io.mpreg.federation.internal.wire.Fields.readCluster;
import static io.mpreg.federation.internal.wire.Fields.readClusters;
import static io.mpreg.federation.internal.wire.Fields.readDigest;
import static io.mpreg.federation.internal.wire.Fields.readGuarantee;
import static io.mpreg.federation.internal.wire.Fields.readId;
import static io.mpreg.federation.internal.wire.Fields.readMessage;
import static io.mpreg.federation.internal.wire.Fields.readNode;
import static io.mpreg.federation.internal.wire.Fields.readRound;
import static io.mpreg.federation.internal.wire.Fields.requireString;
import static io.mpreg.federation.internal.wire.Fields.writeClock;
import static io.mpreg.federation.internal.wire.Fields.writeCluster;
import static io.mpreg.federation.internal.wire.Fields.writeClusters;
import static io.mpreg.federation.internal.wire.Fields.writeDigest;
import static io.mpreg.federation.internal.wire.Fields.writeId;
import static io.mpreg.federation.internal.wire.Fields.writeMessage;
import static io.mpreg.federation.internal.wire.Fields.writeNode;
import static io.mpreg.federation.internal.wire.Fields.writeRound;
import static io.mpreg.federation.internal.wire.Fields.writeText;

/**
 * Hand-written Kryo serializers, one per wire message: explicit fields in a fixed order ({@link Fields} writes and
 * reads each kind of field), every count checked against a limit and against the bytes left before anything is
 * allocated for it. Values are validated by the API types'
 * own constructors; their IllegalArgumentExceptions become MALFORMED decode errors in {@link WireCodec}.
 */
final class Serializers {
    /** Most queues in one advertisement. */
    static final int MAX_QUEUES = 65_536;
    private static final QueueType[] QUEUE_TYPES = QueueType.values();
    private static final Verdict[] VERDICTS = Verdict.values();
    private static final AbortReason[] REASONS = AbortReason.values();

    private Serializers() {
    }

    static void register(Kryo kryo) {
        kryo.setRegistrationRequired(true);
        kryo.setReferences(false);
        kryo.setMaxDepth(8);
        kryo.register(WireMessage.Hello.class, new HelloSerializer(), 20);
        kryo.register(WireMessage.LinkState.class, new LinkStateSerializer(), 21);
        kryo.register(WireMessage.Deliver.class, new DeliverSerializer(), 22);
        kryo.register(WireMessage.Ack.class, new AckSerializer(), 23);
        kryo.register(WireMessage.Nack.class, new NackSerializer(), 24);
        kryo.register(WireMessage.Prepare.class, new RoundSerializers.PrepareSerializer(), 25);
        kryo.register(WireMessage.VoteFrame.class, new RoundSerializers.VoteSerializer(), 26);
        kryo.register(WireMessage.DecisionFrame.class, new RoundSerializers.DecisionSerializer(), 27);
        kryo.register(WireMessage.Weights.class, new WeightsSerializer(), 28);
        kryo.register(WireMessage.QueueAds.class, new QueueAdsSerializer(), 29);
        kryo.register(WireMessage.QueueSubscribe.class, new QueueSubscribeSerializer(), 30);
        kryo.register(WireMessage.QueueDeliver.class, new QueueDeliverSerializer(), 31);
        kryo.register(WireMessage.QueueAck.class, new QueueAckSerializer(), 32);
        kryo.register(WireMessage.DecisionQuery.class, new RoundSerializers.QuerySerializer(), 33);
    }

    static final class HelloSerializer extends Serializer<WireMessage.Hello> {
        @Override
        public void write(Kryo kryo, Output out, WireMessage.Hello m) {
            writeText(out, m.federation());
            writeNode(out, m.node());
            out.writeVarLong(m.weightTableVersion(), true);
        }

        @Override
        public WireMessage.Hello read(Kryo kryo, Input in, Class<? extends WireMessage.Hello> type) {
            return new WireMessage.Hello(requireString(in, "federation"), readNode(in), in.readVarLong(true));
        }
    }

    static final class LinkStateSerializer extends Serializer<WireMessage.LinkState> {
        @Override
        public void write(Kryo kryo, Output out, WireMessage.LinkState m) {
            writeNode(out, m.origin());
            out.writeVarLong(m.version(), true);
            out.writeVarLong(m.sequence(), true);
            writeClusters(out, m.neighbours());
            out.writeVarLong(m.tableVersion(), true);
            writeDigest(out, m.tableHash());
            RoundSerializers.writeSignature(out, m.signature());
        }

        @Override
        public WireMessage.LinkState read(Kryo kryo, Input in, Class<? extends WireMessage.LinkState> type) {
            return new WireMessage.LinkState(readNode(in), in.readVarLong(true), in.readVarLong(true),
                    new TreeSet<>(readClusters(in)), in.readVarLong(true), readDigest(in), RoundSerializers.readSignature(in));
        }
    }

    static final class DeliverSerializer extends Serializer<WireMessage.Deliver> {
        @Override
        public void write(Kryo kryo, Output out, WireMessage.Deliver m) {
            writeId(out, m.id());
            writeCluster(out, m.origin());
            writeCluster(out, m.target());
            out.writeByte(m.guarantee().ordinal());
            writeMessage(out, m.message());
            writeClock(out, m.clock());
            out.writeVarInt(m.route(), true);
            out.writeLong(m.token());
            out.writeVarInt(m.requiredAcks(), true);
            writeClusters(out, m.visited());
        }

        @Override
        public WireMessage.Deliver read(Kryo kryo, Input in, Class<? extends WireMessage.Deliver> type) {
            MessageId id = readId(in);
            ClusterId origin = readCluster(in);
            ClusterId target = readCluster(in);
            DeliveryGuarantee guarantee = readGuarantee(in);
            Message message = readMessage(in);
            VectorClock clock = readClock(in);
            return new WireMessage.Deliver(id, origin, target, guarantee, message, clock, in.readVarInt(true),
                    in.readLong(), in.readVarInt(true), readClusters(in));
        }
    }

    static final class QueueAdsSerializer extends Serializer<WireMessage.QueueAds> {
        @Override
        public void write(Kryo kryo, Output out, WireMessage.QueueAds m) {
            writeNode(out, m.origin());
            out.writeVarLong(m.version(), true);
            out.writeVarLong(m.sequence(), true);
            out.writeVarLong(m.ttlMillis(), true);
            out.writeVarInt(m.queues().size(), true);
            for (WireMessage.QueueAd ad : m.queues()) {
                writeText(out, ad.name());
                out.writeByte(ad.type().ordinal());
            }
            RoundSerializers.writeSignature(out, m.signature());
        }

        @Override
        public WireMessage.QueueAds read(Kryo kryo, Input in, Class<? extends WireMessage.QueueAds> type) {
            NodeId origin = readNode(in);
            long version = in.readVarLong(true);
            long sequence = in.readVarLong(true);
            long ttl = in.readVarLong(true);
            int n = count(in, MAX_QUEUES, "queues");
            List<WireMessage.QueueAd> ads = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String name = Message.requireQueueName(requireString(in, "queue"));
                int t = in.readByte();
                if (t < 0 || t >= QUEUE_TYPES.length) {
                    throw new IllegalArgumentException("unknown queue type " + t);
                }
                ads.add(new WireMessage.QueueAd(name, QUEUE_TYPES[t]));
            }
            return new WireMessage.QueueAds(origin, version, sequence, ttl, ads, RoundSerializers.readSignature(in));
        }
    }

    static final class QueueSubscribeSerializer extends Serializer<WireMessage.QueueSubscribe> {
        @Override
        public void write(Kryo kryo, Output out, WireMessage.QueueSubscribe m) {
            writeCluster(out, m.consumer());
            out.writeLong(m.subscription());
            writeText(out, m.queue());
            writeCluster(out, m.owner());
            out.writeVarInt(m.prefetch(), true);
            out.writeBoolean(m.active());
            writeClusters(out, m.visited());
        }

        @Override
        public WireMessage.QueueSubscribe read(Kryo kryo, Input in, Class<? extends WireMessage.QueueSubscribe> type) {
            return new WireMessage.QueueSubscribe(readCluster(in), in.readLong(),
                    Message.requireQueueName(requireString(in, "queue")), readCluster(in), positive(in, "prefetch"),
                    in.readBoolean(), readClusters(in));
        }
    }

    static final class QueueDeliverSerializer extends Serializer<WireMessage.QueueDeliver> {
        @Override
        public void write(Kryo kryo, Output out, WireMessage.QueueDeliver m) {
            writeCluster(out, m.owner());
            writeCluster(out, m.consumer());
            out.writeLong(m.subscription());
            out.writeVarLong(m.receipt(), true);
            out.writeVarInt(m.receiveCount(), true);
            writeCluster(out, m.origin());
            out.writeByte(m.guarantee().ordinal());
            writeClock(out, m.clock());
            writeMessage(out, m.message());
            writeClusters(out, m.visited());
        }

        @Override
        public WireMessage.QueueDeliver read(Kryo kryo, Input in, Class<? extends WireMessage.QueueDeliver> type) {
            return new WireMessage.QueueDeliver(readCluster(in), readCluster(in), in.readLong(), in.readVarLong(true),
                    positive(in, "receive count"), readCluster(in), readGuarantee(in), readClock(in), readMessage(in),
                    readClusters(in));
        }
    }

    static final class QueueAckSerializer extends Serializer<WireMessage.QueueAck> {
        @Override
        public void write(Kryo kryo, Output out, WireMessage.QueueAck m) {
            writeCluster(out, m.consumer());
            writeCluster(out, m.owner());
            out.writeLong(m.subscription());
            writeText(out, m.queue());
            out.writeVarLong(m.receipt(), true);
            out.writeByte(m.settle());
            writeClusters(out, m.visited());
        }

        @Override
        public WireMessage.QueueAck read(Kryo kryo, Input in, Class<? extends WireMessage.QueueAck> type) {
            return new WireMessage.QueueAck(readCluster(in), readCluster(in), in.readLong(),
                    Message.requireQueueName(requireString(in, "queue")), in.readVarLong(true), in.readByte(),
                    readClusters(in));
        }
    }

    static final class AckSerializer extends Serializer<WireMessage.Ack> {
        @Override
        public void write(Kryo kryo, Output out, WireMessage.Ack m) {
            writeId(out, m.id());
            writeCluster(out, m.from());
            writeCluster(out, m.to());
            writeClusters(out, m.visited());
            RoundSerializers.writeSignature(out, m.signature());
        }

        @Override
        public WireMessage.Ack read(Kryo kryo, Input in, Class<? extends WireMessage.Ack> type) {
            return new WireMessage.Ack(readId(in), readCluster(in), readCluster(in), readClusters(in),
                    RoundSerializers.readSignature(in));
        }
    }

    static final class NackSerializer extends Serializer<WireMessage.Nack> {
        @Override
        public void write(Kryo kryo, Output out, WireMessage.Nack m) {
            writeId(out, m.id());
            writeCluster(out, m.from());
            writeCluster(out, m.to());
            writeText(out, m.reason());
            writeClusters(out, m.visited());
            RoundSerializers.writeSignature(out, m.signature());
        }

        @Override
        public WireMessage.Nack read(Kryo kryo, Input in, Class<? extends WireMessage.Nack> type) {
            return new WireMessage.Nack(readId(in), readCluster(in), readCluster(in), requireString(in, "reason"),
                    readClusters(in), RoundSerializers.readSignature(in));
        }
    }

    static final class WeightsSerializer extends Serializer<WireMessage.Weights> {
        @Override
        public void write(Kryo kryo, Output out, WireMessage.Weights m) {
            writeNode(out, m.origin());
            out.writeVarLong(m.version(), true);
            out.writeVarInt(m.weights().size(), true);
            m.weights().forEach((c, w) -> {
                writeCluster(out, c);
                out.writeVarLong(w, true);
            });
            writeCluster(out, m.proposer());
            out.writeVarInt(m.approvals().size(), true);
            m.approvals().forEach((c, signature) -> {
                writeCluster(out, c);
                RoundSerializers.writeSignature(out, signature);
            });
        }

        @Override
        public WireMessage.Weights read(Kryo kryo, Input in, Class<? extends WireMessage.Weights> type) {
            NodeId origin = readNode(in);
            long version = in.readVarLong(true);
            int n = count(in, MAX_CLUSTERS, "weights");
            TreeMap<ClusterId, Long> weights = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                weights.put(readCluster(in), in.readVarLong(true));
            }
            ClusterId proposer = readCluster(in);
            int a = count(in, MAX_CLUSTERS, "approvals");
            TreeMap<ClusterId, byte[]> approvals = new TreeMap<>();
            for (int i = 0; i < a; i++) {
                approvals.put(readCluster(in), RoundSerializers.readSignature(in));
            }
            return new WireMessage.Weights(origin, version, weights, proposer, approvals);
        }
    }
}
