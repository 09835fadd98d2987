package io.mpreg.federation.internal.wire;

import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.mpreg.api.ClusterId;
import io.mpreg.api.Digest;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.Message;
import io.mpreg.api.MessageId;
import io.mpreg.api.NodeId;
import io.mpreg.api.RoundId;
import io.mpreg.api.VectorClock;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fields the wire messages are made of, each written and read one way: identifiers, cluster lists, vector
 * clocks, digests, whole application messages, and text framed by a byte count. Every count is checked against its
 * limit and against the bytes left before anything is allocated ({@link #count}).
 */
final class Fields {
    /** Most clusters in one list or set (visited, neighbours, vector clock). */
    static final int MAX_CLUSTERS = 4096;
    /** Most headers on one message. */
    static final int MAX_HEADERS = 256;
    /** Longest text field (ids, queue names, header names and values, reasons), in UTF-8 bytes. */
    static final int MAX_TEXT_BYTES = 64 * 1024;
    private static final DeliveryGuarantee[] GUARANTEES = DeliveryGuarantee.values();

    private Fields() {
    }


    static void writeClock(Output out, VectorClock clock) {
        out.writeBoolean(clock != null);
        if (clock != null) {
            out.writeVarInt(clock.entries().size(), true);
            clock.entries().forEach((c, v) -> {
                writeCluster(out, c);
                out.writeVarLong(v, true);
            });
        }
    }

    static VectorClock readClock(Input in) {
        if (!in.readBoolean()) {
            return null;
        }
        int n = count(in, MAX_CLUSTERS, "vector clock entries");
        TreeMap<ClusterId, Long> entries = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            entries.put(readCluster(in), in.readVarLong(true));
        }
        return VectorClock.of(entries);
    }

    static int positive(Input in, String what) {
        int n = in.readVarInt(true);
        if (n < 1) {
            throw new IllegalArgumentException(what + " must be >= 1, got " + n);
        }
        return n;
    }

    static void writeRound(Output out, RoundId round) {
        writeCluster(out, round.coordinator());
        out.writeVarLong(round.sequence(), true);
    }

    static RoundId readRound(Input in) {
        return new RoundId(readCluster(in), in.readVarLong(true));
    }

    static void writeDigest(Output out, Digest d) {
        out.writeLong(d.w0());
        out.writeLong(d.w1());
        out.writeLong(d.w2());
        out.writeLong(d.w3());
    }

    static Digest readDigest(Input in) {
        return new Digest(in.readLong(), in.readLong(), in.readLong(), in.readLong());
    }

    static DeliveryGuarantee readGuarantee(Input in) {
        int g = in.readByte();
        if (g < 0 || g >= GUARANTEES.length) {
            throw new IllegalArgumentException("unknown delivery guarantee " + g);
        }
        return GUARANTEES[g];
    }

    static void writeId(Output out, MessageId id) {
        out.writeLong(id.high());
        out.writeLong(id.low());
    }

    static MessageId readId(Input in) {
        return new MessageId(in.readLong(), in.readLong());
    }

    static void writeCluster(Output out, ClusterId c) {
        writeText(out, c.value());
    }

    static ClusterId readCluster(Input in) {
        return ClusterId.of(requireString(in, "cluster id"));
    }

    static void writeNode(Output out, NodeId node) {
        writeCluster(out, node.cluster());
        writeText(out, node.name());
    }

    static NodeId readNode(Input in) {
        return new NodeId(readCluster(in), requireString(in, "node name"));
    }

    static void writeClusters(Output out, java.util.Collection<ClusterId> clusters) {
        out.writeVarInt(clusters.size(), true);
        for (ClusterId c : clusters) {
            writeCluster(out, c);
        }
    }

    static List<ClusterId> readClusters(Input in) {
        int n = count(in, MAX_CLUSTERS, "clusters");
        List<ClusterId> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(readCluster(in));
        }
        return out;
    }

    static void writeMessage(Output out, Message m) {
        writeId(out, m.id());
        writeText(out, m.queue());
        byte[] payload = m.payload();
        out.writeVarInt(payload.length, true);
        out.writeBytes(payload);
        out.writeVarInt(m.headers().size(), true);
        m.headers().forEach((k, v) -> {
            writeText(out, k);
            writeText(out, v);
        });
        out.writeVarInt(m.priority(), true);
        out.writeVarLong(m.delay().toNanos(), true);
        out.writeBoolean(m.deadline() != null);
        if (m.deadline() != null) {
            out.writeLong(m.deadline().getEpochSecond());
            out.writeVarInt(m.deadline().getNano(), true);
        }
    }

    static Message readMessage(Input in) {
        MessageId id = readId(in);
        String queue = requireString(in, "queue");
        int length = count(in, Integer.MAX_VALUE, "payload bytes");
        byte[] payload = in.readBytes(length);
        int headers = count(in, MAX_HEADERS, "headers");
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < headers; i++) {
            map.put(requireString(in, "header name"), requireString(in, "header value"));
        }
        int priority = in.readVarInt(true);
        Duration delay = Duration.ofNanos(in.readVarLong(true));
        Instant deadline = in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readVarInt(true)) : null;
        return new Message(id, queue, payload, map, priority, delay, deadline);
    }

    /** A count that fits the limit and the bytes left (each element takes at least one byte). */
    static int count(Input in, int limit, String what) {
        int n = in.readVarInt(true);
        int left = in.limit() - in.position();
        if (n < 0 || n > limit || n > left) {
            throw new IllegalArgumentException(what + " count " + n + " exceeds the limit " + limit + " or the "
                    + left + " bytes left");
        }
        return n;
    }

    /**
     * Text as a byte count and UTF-8 bytes. Kryo's own readString trusts its character count and would allocate
     * for it before reading, so text is framed here, where the count is checked against the bytes left.
     */
    static void writeText(Output out, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeVarInt(bytes.length, true);
        out.writeBytes(bytes);
    }

    static String requireString(Input in, String what) {
        int length = count(in, MAX_TEXT_BYTES, what + " bytes");
        return new String(in.readBytes(length), StandardCharsets.UTF_8);
    }
}
