package io.mpreg.transport.tcp.internal;

import io.mpreg.api.NodeId;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The tcp plugin's wire format. A connection opens with a hello from the dialer and an answer from the acceptor;
 * then each side writes frames, each a 5-byte header (type, big-endian length) and the body:
 * <pre>
 * HELLO   = MAGIC(4) VERSION(1) from-cluster from-name to-cluster to-name maxFrameBytes(4)
 * ANSWER  = MAGIC(4) VERSION(1) status(1): 0 = welcome, then node-cluster node-name maxFrameBytes(4)
 *                                         1 = refused, then reason
 * FRAME   = type(1) length(4) body(length)    DATA: 1..cap bytes; HEARTBEAT and GOODBYE: no body
 * </pre>
 * Strings are a 1-byte length and at most 255 bytes of UTF-8. Every length is checked before anything is allocated
 * for it.
 */
final class Wire {
    static final int MAGIC = 0x4D505254; // "MPRT"
    static final int VERSION = 1;
    static final int HEADER_BYTES = 5;
    static final byte DATA = 1;
    static final byte HEARTBEAT = 2;
    static final byte GOODBYE = 3;
    static final byte WELCOME = 0;
    static final byte REFUSED = 1;

    private Wire() {
    }

    /** A peer broke the protocol; the connection is closed with this message as the logged reason. */
    static final class ProtocolException extends IOException {
        private static final long serialVersionUID = 1L;

        ProtocolException(String message) {
            super(message);
        }
    }

    record Hello(NodeId from, NodeId to, int maxFrameBytes) {
    }

    /** The acceptor's answer: either {@code node} and its cap, or a refusal {@code reason}. */
    record Answer(NodeId node, int maxFrameBytes, String reason) {
        boolean welcome() {
            return reason == null;
        }
    }

    static void writeHello(DataOutputStream out, Hello hello) throws IOException {
        out.writeInt(MAGIC);
        out.writeByte(VERSION);
        writeNode(out, hello.from());
        writeNode(out, hello.to());
        out.writeInt(hello.maxFrameBytes());
        out.flush();
    }

    static Hello readHello(DataInputStream in) throws IOException {
        readPreamble(in);
        NodeId from = readNode(in, "sender");
        NodeId to = readNode(in, "addressee");
        return new Hello(from, to, readCap(in));
    }

    static void writeWelcome(DataOutputStream out, NodeId self, int maxFrameBytes) throws IOException {
        out.writeInt(MAGIC);
        out.writeByte(VERSION);
        out.writeByte(WELCOME);
        writeNode(out, self);
        out.writeInt(maxFrameBytes);
        out.flush();
    }

    static void writeRefusal(DataOutputStream out, String reason) throws IOException {
        out.writeInt(MAGIC);
        out.writeByte(VERSION);
        out.writeByte(REFUSED);
        writeString(out, reason.length() > 200 ? reason.substring(0, 200) : reason);
        out.flush();
    }

    static Answer readAnswer(DataInputStream in) throws IOException {
        readPreamble(in);
        int status = in.readUnsignedByte();
        if (status == REFUSED) {
            return new Answer(null, 0, readString(in, "refusal reason"));
        }
        if (status != WELCOME) {
            throw new ProtocolException("unknown answer status " + status);
        }
        NodeId node = readNode(in, "answering node");
        return new Answer(node, readCap(in), null);
    }

    /**
     * Checks a frame header read off the wire.
     *
     * @return the body length
     */
    static int checkHeader(int type, int length, int cap) throws ProtocolException {
        switch (type) {
            case DATA:
                if (length < 1 || length > cap) {
                    throw new ProtocolException("data frame length " + length + " outside [1, " + cap + "]");
                }
                return length;
            case HEARTBEAT:
            case GOODBYE:
                if (length != 0) {
                    throw new ProtocolException("control frame type " + type + " with length " + length
                            + " (must be 0)");
                }
                return 0;
            default:
                throw new ProtocolException("unknown frame type " + type + " (length field " + length + ")");
        }
    }

    private static void readPreamble(DataInputStream in) throws IOException {
        int magic = in.readInt();
        if (magic != MAGIC) {
            throw new ProtocolException(String.format("not an MPREG tcp peer: magic 0x%08X, expected 0x%08X",
                    magic, MAGIC));
        }
        int version = in.readUnsignedByte();
        if (version != VERSION) {
            throw new ProtocolException("protocol version " + version + " not supported (this node speaks "
                    + VERSION + ")");
        }
    }

    private static int readCap(DataInputStream in) throws IOException {
        int cap = in.readInt();
        if (cap < 1) {
            throw new ProtocolException("peer announced maxFrameBytes " + cap);
        }
        return cap;
    }

    private static void writeNode(DataOutputStream out, NodeId node) throws IOException {
        writeString(out, node.cluster().value());
        writeString(out, node.name());
    }

    private static NodeId readNode(DataInputStream in, String what) throws IOException {
        String cluster = readString(in, what + " cluster");
        String name = readString(in, what + " name");
        try {
            return NodeId.of(cluster, name);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("invalid " + what + " id: " + e.getMessage());
        }
    }

    private static void writeString(DataOutputStream out, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 255) {
            throw new IllegalArgumentException("wire string longer than 255 bytes: " + text);
        }
        out.writeByte(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInputStream in, String what) throws IOException {
        int length = in.readUnsignedByte(); // at most 255: bounded before allocating
        if (length == 0) {
            throw new ProtocolException("empty " + what);
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
