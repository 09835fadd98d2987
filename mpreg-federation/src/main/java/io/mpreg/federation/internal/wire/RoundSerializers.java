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

/** The serializers of the voted rounds' frames: PREPARE, VOTE, DECISION and the DECISION query. */
final class RoundSerializers {
    private static final Verdict[] VERDICTS = Verdict.values();
    private static final AbortReason[] REASONS = AbortReason.values();

    private RoundSerializers() {
    }

    static final class PrepareSerializer extends Serializer<WireMessage.Prepare> {
        @Override
        public void write(Kryo kryo, Output out, WireMessage.Prepare m) {
            writeRound(out, m.round());
            writeCluster(out, m.target());
            out.writeVarInt(m.messages().size(), true);
            m.messages().forEach(message -> writeMessage(out, message));
            writeDigest(out, m.digest());
            writeTerms(out, m.terms());
            out.writeVarLong(m.timeoutMillis(), true);
            writeClusters(out, m.visited());
        }

        @Override
        public WireMessage.Prepare read(Kryo kryo, Input in, Class<? extends WireMessage.Prepare> type) {
            RoundId round = readRound(in);
            ClusterId target = readCluster(in);
            int n = count(in, io.mpreg.api.CommitCertificate.MAX_ROUND_MESSAGES, "round messages");
            if (n == 0) {
                throw new IllegalArgumentException("a PREPARE of no message");
            }
            List<io.mpreg.api.Message> messages = new java.util.ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                messages.add(readMessage(in));
            }
            return new WireMessage.Prepare(round, target, messages, readDigest(in), readTerms(in),
                    in.readVarLong(true), readClusters(in));
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

    /** A signature or a vote's seal: its length (a varint: one byte for 0 and 64), then its bytes. */
    static void writeSignature(Output out, byte[] signature) {
        out.writeVarInt(signature.length, true);
        out.writeBytes(signature);
    }

    /** A signature or seal as {@link #writeSignature} wrote it, of a form {@link io.mpreg.api.MerkleSeal#checkForm} accepts. */
    static byte[] readSignature(Input in) {
        int length = in.readVarInt(true);
        if (length < 0 || length > io.mpreg.api.MerkleSeal.maxBytes()) {
            throw new IllegalArgumentException("a signature of " + length + " bytes (at most "
                    + io.mpreg.api.MerkleSeal.maxBytes() + ")");
        }
        byte[] signature = in.readBytes(length);
        io.mpreg.api.MerkleSeal.checkForm(signature); // votes', answers' and aborts' signatures alike
        return signature;
    }

    static final class QuerySerializer extends Serializer<WireMessage.DecisionQuery> {
        @Override
        public void write(Kryo kryo, Output out, WireMessage.DecisionQuery m) {
            writeRound(out, m.round());
            writeCluster(out, m.asker());
            writeCluster(out, m.target());
            writeClusters(out, m.visited());
        }

        @Override
        public WireMessage.DecisionQuery read(Kryo kryo, Input in, Class<? extends WireMessage.DecisionQuery> type) {
            return new WireMessage.DecisionQuery(readRound(in), readCluster(in), readCluster(in), readClusters(in));
        }
    }
}
