package io.mpreg.federation.internal.wire;

import io.mpreg.api.NodeId;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The canonical bytes an {@link OriginSeal} signs: what a frame states on its origin's behalf, in a fixed order,
 * after its kind; never the relaying details (visited lists, refresh numbers).
 */
public final class SignedContent {
    private SignedContent() {
    }

    /** The signed part of a link state: everything but the refresh number and the signature. */
    public static byte[] content(WireMessage.LinkState s) {
        return write(out -> {
            out.writeUTF("LINKS");
            node(out, s.origin());
            out.writeLong(s.version());
            out.writeInt(s.neighbours().size());
            for (io.mpreg.api.ClusterId c : s.neighbours()) {
                out.writeUTF(c.value());
            }
            out.writeLong(s.tableVersion());
            out.write(s.tableHash().toBytes());
        });
    }

    /** The signed part of a queue advertisement: everything but the refresh number and the signature. */
    public static byte[] content(WireMessage.QueueAds a) {
        return write(out -> {
            out.writeUTF("QUEUES");
            node(out, a.origin());
            out.writeLong(a.version());
            out.writeLong(a.ttlMillis());
            out.writeInt(a.queues().size());
            for (WireMessage.QueueAd q : a.queues()) {
                out.writeUTF(q.name());
                out.writeUTF(q.type().name());
            }
        });
    }

    /** The signed part of an ACK: the message, who acknowledged it, to whom. */
    public static byte[] content(WireMessage.Ack a) {
        return write(out -> {
            out.writeUTF("ACK");
            answer(out, a.id(), a.from(), a.to());
        });
    }

    /** The signed part of a NACK: as an ACK's, and the reason. */
    public static byte[] content(WireMessage.Nack n) {
        return write(out -> {
            out.writeUTF("NACK");
            answer(out, n.id(), n.from(), n.to());
            out.writeUTF(n.reason());
        });
    }

    private static void answer(DataOutputStream out, io.mpreg.api.MessageId id, io.mpreg.api.ClusterId from,
                               io.mpreg.api.ClusterId to) throws IOException {
        out.writeLong(id.high());
        out.writeLong(id.low());
        out.writeUTF(from.value());
        out.writeUTF(to.value());
    }

    private static void node(DataOutputStream out, NodeId node) throws IOException {
        out.writeUTF(node.cluster().value());
        out.writeUTF(node.name());
    }

    private interface Writing {
        void to(DataOutputStream out) throws IOException;
    }

    private static byte[] write(Writing writing) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writing.to(out);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return bytes.toByteArray();
    }
}
