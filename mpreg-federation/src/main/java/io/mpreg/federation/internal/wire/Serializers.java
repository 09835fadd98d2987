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
        kryo.register(WireMessage.Prepare.class, new PrepareSerializer(), 25);
        kryo.register(WireMessage.VoteFrame.class, new VoteSerializer(), 26);
        kryo.register(WireMessage.DecisionFrame.class, new DecisionSerializer(), 27);
        kryo.register(WireMessage.Weights.class, new WeightsSerializer(), 28);
        kryo.register(WireMessage.QueueAds.class, new QueueAdsSerializer(), 29);
        kryo.register(WireMessage.QueueSubscribe.class, new QueueSubscribeSerializer(), 30);
        kryo.register(WireMessage.QueueDeliver.class, new QueueDeliverSerializer(), 31);
        kryo.register(WireMessage.QueueAck.class, new QueueAckSerializer(), 32);
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
            out.writeVarLong(m.sequence(), true);
            writeClusters(out, m.neighbours());
            out.writeVarLong(m.tableVersion(), true);
            writeDigest(out, m.tableHash());
        }

        @Override
        public WireMessage.LinkState read(Kryo kryo, Input in, Class<? extends WireMessage.LinkState> type) {
            return new WireMessage.LinkState(readNode(in), in.readVarLong(true), new TreeSet<>(readClusters(in)),
                    in.readVarLong(true), readDigest(in));
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
            out.writeVarLong(m.sequence(), true);
            out.writeVarLong(m.ttlMillis(), true);
            out.writeVarInt(m.queues().size(), true);
            for (WireMessage.QueueAd ad : m.queues()) {
                writeText(out, ad.name());
                out.writeByte(ad.type().ordinal());
            }
        }

        @Override
        public WireMessage.QueueAds read(Kryo kryo, Input in, Class<? extends WireMessage.QueueAds> type) {
            NodeId origin = readNode(in);
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
            return new WireMessage.QueueAds(origin, sequence, ttl, ads);
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
        }

        @Override
        public WireMessage.Ack read(Kryo kryo, Input in, Class<? extends WireMessage.Ack> type) {
            return new WireMessage.Ack(readId(in), readCluster(in), readCluster(in), readClusters(in));
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
        }

        @Override
        public WireMessage.Nack read(Kryo kryo, Input in, Class<? extends WireMessage.Nack> type) {
            return new WireMessage.Nack(readId(in), readCluster(in), readCluster(in), requireString(in, "reason"),
                    readClusters(in));
        }
    }

    static final class PrepareSerializer extends Serializer<WireMessage.Prepare> {
        @Override
        public void write(Kryo kryo, Output out, WireMessage.Prepare m) {
            writeRound(out, m.round());
            writeCluster(out, m.target());
            writeMessage(out, m.message());
            writeDigest(out, m.digest());
            writeTerms(out, m.terms());
            out.writeVarLong(m.timeoutMillis(), true);
            writeClusters(out, m.visited());
        }

        @Override
        public WireMessage.Prepare read(Kryo kryo, Input in, Class<? extends WireMessage.Prepare> type) {
            return new WireMessage.Prepare(readRound(in), readCluster(in), readMessage(in), readDigest(in),
                    readTerms(in), in.readVarLong(true), readClusters(in));
        }

        private static void writeTerms(Output out, io.mpreg.api.RoundTerms t) {
            out.writeVarLong(t.tableVersion(), true);
            writeDigest(out, t.tableHash());
            out.writeByte(t.guarantee().ordinal());
            out.writeVarLong(t.threshold().numerator(), true);
            out.writeVarLong(t.threshold().denominator(), true);
            out.writeVarInt(t.byzantineTolerance(), true);
            out.writeVarInt(t.weights().size(), true);
            t.weights().forEach((c, w) -> {
                writeCluster(out, c);
                out.writeVarLong(w, true);
            });
        }

        private static io.mpreg.api.RoundTerms readTerms(Input in) {
            long version = in.readVarLong(true);
            Digest hash = readDigest(in);
            io.mpreg.api.DeliveryGuarantee guarantee = readGuarantee(in);
            io.mpreg.api.Threshold threshold = new io.mpreg.api.Threshold(in.readVarLong(true), in.readVarLong(true));
            int f = in.readVarInt(true);
            int n = count(in, MAX_CLUSTERS, "round weights");
            TreeMap<ClusterId, Long> weights = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                weights.put(readCluster(in), in.readVarLong(true));
            }
            return new io.mpreg.api.RoundTerms(version, hash, guarantee, threshold, f, weights);
        }
    }

    static final class VoteSerializer extends Serializer<WireMessage.VoteFrame> {
        @Override
        public void write(Kryo kryo, Output out, WireMessage.VoteFrame m) {
            Vote v = m.vote();
            writeRound(out, v.round());
            writeCluster(out, v.voter());
            out.writeByte(v.verdict().ordinal());
            writeDigest(out, v.digest());
            writeText(out, v.reason());
            out.writeVarLong(m.tableVersion(), true);
            writeSignature(out, m.signature());
            writeClusters(out, m.visited());
        }

        @Override
        public WireMessage.VoteFrame read(Kryo kryo, Input in, Class<? extends WireMessage.VoteFrame> type) {
            RoundId round = readRound(in);
            ClusterId voter = readCluster(in);
            int verdict = in.readByte();
            if (verdict < 0 || verdict >= VERDICTS.length) {
                throw new IllegalArgumentException("unknown verdict " + verdict);
            }
            Digest digest = readDigest(in);
            String reason = requireString(in, "reason");
            long tableVersion = in.readVarLong(true);
            byte[] signature = readSignature(in);
            return new WireMessage.VoteFrame(new Vote(round, voter, VERDICTS[verdict], digest, reason), tableVersion,
                    signature, readClusters(in));
        }
    }

    static final class DecisionSerializer extends Serializer<WireMessage.DecisionFrame> {
        @Override
        public void write(Kryo kryo, Output out, WireMessage.DecisionFrame m) {
            writeRound(out, m.round());
            writeCluster(out, m.target());
            out.writeByte(m.reason() == null ? -1 : m.reason().ordinal());
            if (m.committed()) {
                writeDigest(out, m.proposal());
                out.writeVarLong(m.tableVersion(), true);
                out.writeVarInt(m.certificate().size(), true);
                m.certificate().forEach((c, signature) -> {
                    writeCluster(out, c);
                    writeSignature(out, signature);
                });
            } else {
                writeSignature(out, m.signature());
            }
            writeClusters(out, m.visited());
        }

        @Override
        public WireMessage.DecisionFrame read(Kryo kryo, Input in, Class<? extends WireMessage.DecisionFrame> type) {
            RoundId round = readRound(in);
            ClusterId target = readCluster(in);
            int reason = in.readByte();
            if (reason < -1 || reason >= REASONS.length) {
                throw new IllegalArgumentException("unknown abort reason " + reason);
            }
            if (reason >= 0) {
                byte[] signature = readSignature(in);
                return WireMessage.DecisionFrame.abort(round, target, REASONS[reason], signature, readClusters(in));
            }
            Digest proposal = readDigest(in);
            long tableVersion = in.readVarLong(true);
            int n = count(in, MAX_CLUSTERS, "certificate votes");
            TreeMap<ClusterId, byte[]> certificate = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                certificate.put(readCluster(in), readSignature(in));
            }
            return WireMessage.DecisionFrame.commit(round, target, proposal, tableVersion, certificate,
                    readClusters(in));
        }
    }

    private static void writeSignature(Output out, byte[] signature) {
        out.writeByte(signature.length);
        out.writeBytes(signature);
    }

    private static byte[] readSignature(Input in) {
        int length = in.readByte();
        if (length != 0 && length != io.mpreg.api.SignedVote.SIGNATURE_BYTES) {
            throw new IllegalArgumentException("a signature has 0 or " + io.mpreg.api.SignedVote.SIGNATURE_BYTES
                    + " bytes, got " + length);
        }
        return in.readBytes(length);
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
            return new WireMessage.Weights(origin, version, weights);
        }
    }
}
