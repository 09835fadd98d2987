package io.mpreg.federation.internal.wire;

import io.mpreg.api.AbortReason;
import io.mpreg.api.ClusterId;
import io.mpreg.api.Digest;
import io.mpreg.api.RoundId;
import io.mpreg.api.Verdict;
import io.mpreg.api.Vote;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.Message;
import io.mpreg.api.MessageId;
import io.mpreg.api.NodeId;
import io.mpreg.api.VectorClock;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WireCodecTest {
    private static final LinkHeader LINK = new LinkHeader(0x0102_0304_0506_0708L, -9, 42);
    private final WireCodec codec = new WireCodec(1 << 20);

    private static ClusterId cluster(SplittableRandom r) {
        return ClusterId.of("c" + r.nextInt(50));
    }

    private static List<ClusterId> clusters(SplittableRandom r) {
        List<ClusterId> out = new ArrayList<>();
        for (int i = r.nextInt(5); i > 0; i--) {
            out.add(cluster(r));
        }
        return out;
    }

    static WireMessage random(SplittableRandom r) {
        MessageId id = new MessageId(r.nextLong(), r.nextLong());
        switch (r.nextInt(14)) {
            case 0:
                return new WireMessage.Hello("fed-" + r.nextInt(9), new NodeId(cluster(r), "n" + r.nextInt(9)),
                        r.nextLong(Long.MAX_VALUE));
            case 1:
                return new WireMessage.LinkState(new NodeId(cluster(r), "n" + r.nextInt(3)), r.nextLong(Long.MAX_VALUE),
                        r.nextLong(Long.MAX_VALUE), new TreeSet<>(clusters(r)), r.nextLong(Long.MAX_VALUE),
                        Digest.sha256(new byte[] {2}), r.nextBoolean() ? new byte[0] : bytes(r, 64));
            case 2:
                byte[] payload = new byte[r.nextInt(300)];
                r.nextBytes(payload);
                Message.Builder b = Message.builder("queue/" + r.nextInt(9)).id(id).payload(payload)
                        .priority(r.nextInt(100)).delay(Duration.ofNanos(r.nextLong(1_000_000_000_000L)));
                if (r.nextBoolean()) {
                    b.header("h" + r.nextInt(9), "välue " + r.nextInt()).deadline(Instant.ofEpochSecond(
                            r.nextLong(4_000_000_000L), r.nextInt(1_000_000_000)));
                }
                VectorClock clock = r.nextBoolean() ? null
                        : VectorClock.of(Map.of(cluster(r), 1 + r.nextLong(1000)));
                return new WireMessage.Deliver(id, cluster(r), cluster(r),
                        DeliveryGuarantee.values()[r.nextInt(DeliveryGuarantee.values().length)], b.build(), clock,
                        r.nextInt(4), r.nextLong(), r.nextInt(1, 9), clusters(r));
            case 3:
                return new WireMessage.Ack(id, cluster(r), cluster(r), clusters(r));
            case 5:
                Message m = Message.builder("q").id(id).payload(new byte[r.nextInt(50)]).build();
                boolean byzantine = r.nextBoolean();
                java.util.TreeMap<ClusterId, Long> weights = new java.util.TreeMap<>();
                for (int i = r.nextInt(1, 6); i > 0; i--) {
                    weights.put(cluster(r), r.nextLong(1, 1000));
                }
                io.mpreg.api.RoundTerms terms = new io.mpreg.api.RoundTerms(r.nextLong(Long.MAX_VALUE),
                        Digest.sha256(new byte[] {1}), byzantine ? DeliveryGuarantee.BYZANTINE_QUORUM
                        : DeliveryGuarantee.GLOBAL_QUORUM, byzantine ? io.mpreg.api.Threshold.ALL
                        : io.mpreg.api.Threshold.of(r.nextLong(1, 5), 5), byzantine ? r.nextInt(3) : 0, weights);
                List<Message> together = new java.util.ArrayList<>(List.of(m));
                for (int i = r.nextInt(4) == 0 ? r.nextInt(1, 70) : 0; i > 0; i--) { // now and then a round of several
                    together.add(Message.builder("q" + i).id(new MessageId(i, r.nextLong())).payload(new byte[i]).build());
                }
                return new WireMessage.Prepare(new RoundId(cluster(r), r.nextLong(Long.MAX_VALUE)), cluster(r), together,
                        Digest.sha256(m.payload()), terms, r.nextLong(1_000_000), clusters(r));
            case 6:
                Verdict verdict = Verdict.values()[r.nextInt(Verdict.values().length)];
                return new WireMessage.VoteFrame(new Vote(new RoundId(cluster(r), r.nextLong(Long.MAX_VALUE)),
                        cluster(r), verdict, Digest.sha256(new byte[] {(byte) r.nextInt()}),
                        verdict == Verdict.YES ? "" : "reason " + r.nextInt()), r.nextLong(1_000_000),
                        r.nextBoolean() ? new byte[0] : bytes(r, 64), clusters(r));
            case 8:
                java.util.TreeMap<ClusterId, byte[]> approvals = new java.util.TreeMap<>();
                for (int i = r.nextInt(3); i > 0; i--) {
                    approvals.put(cluster(r), r.nextBoolean() ? new byte[0] : bytes(r, 64));
                }
                return new WireMessage.Weights(new NodeId(cluster(r), "w"), r.nextLong(Long.MAX_VALUE),
                        new java.util.TreeMap<>(Map.of(cluster(r), r.nextLong(1000))), cluster(r), approvals);
            case 7:
                RoundId round = new RoundId(cluster(r), r.nextLong(Long.MAX_VALUE));
                if (r.nextBoolean()) {
                    return WireMessage.DecisionFrame.abort(round, cluster(r),
                            AbortReason.values()[r.nextInt(AbortReason.values().length)],
                            r.nextBoolean() ? new byte[0] : bytes(r, 64), clusters(r));
                }
                java.util.TreeMap<ClusterId, byte[]> certificate = new java.util.TreeMap<>();
                for (int i = r.nextInt(4); i > 0; i--) {
                    certificate.put(cluster(r), r.nextBoolean() ? new byte[0] : bytes(r, 64));
                }
                return WireMessage.DecisionFrame.commit(round, cluster(r), Digest.sha256(bytes(r, 8)),
                        r.nextLong(1_000_000), certificate, clusters(r));
            case 9:
                List<WireMessage.QueueAd> ads = new ArrayList<>();
                for (int i = r.nextInt(4); i > 0; i--) {
                    ads.add(new WireMessage.QueueAd("q/" + r.nextInt(99),
                            io.mpreg.federation.queue.QueueType.values()[r.nextInt(2)]));
                }
                return new WireMessage.QueueAds(new NodeId(cluster(r), "n"), r.nextLong(Long.MAX_VALUE),
                        r.nextLong(Long.MAX_VALUE), r.nextLong(100_000), ads,
                        r.nextBoolean() ? new byte[0] : bytes(r, 64));
            case 10:
                return new WireMessage.QueueSubscribe(cluster(r), r.nextLong(), "orders." + r.nextInt(9), cluster(r),
                        r.nextInt(1, 500), r.nextBoolean(), clusters(r));
            case 11:
                Message qm = Message.builder("q" + r.nextInt(9)).id(id).payload(new byte[r.nextInt(40)])
                        .priority(r.nextInt(20)).build();
                return new WireMessage.QueueDeliver(cluster(r), cluster(r), r.nextLong(), r.nextLong(Long.MAX_VALUE),
                        r.nextInt(1, 20), cluster(r), DeliveryGuarantee.values()[r.nextInt(
                        DeliveryGuarantee.values().length)], r.nextBoolean() ? null
                        : VectorClock.of(Map.of(cluster(r), 1 + r.nextLong(99))), qm, clusters(r));
            case 12:
                return new WireMessage.QueueAck(cluster(r), cluster(r), r.nextLong(), "q" + r.nextInt(9),
                        r.nextLong(Long.MAX_VALUE), r.nextInt(3), clusters(r));
            case 13:
                return new WireMessage.DecisionQuery(new RoundId(cluster(r), r.nextLong(Long.MAX_VALUE)), cluster(r),
                        cluster(r), clusters(r));
            default:
                return new WireMessage.Nack(id, cluster(r), cluster(r), "no queue 'q" + r.nextInt() + "'", clusters(r));
        }
    }

    @TestFactory
    Stream<DynamicTest> everyMessageRoundTrips() {
        return IntStream.range(0, 500).mapToObj(seed -> DynamicTest.dynamicTest("seed " + seed, () -> {
            WireMessage m = random(new SplittableRandom(seed));
            byte[] frame = codec.encode(LINK, m);
            assertEquals(new WireCodec.Frame(LINK, m), codec.decode(ByteBuffer.wrap(frame)));
            assertEquals(new WireCodec.Frame(LINK, m), codec.decode(ByteBuffer.wrap(frame).asReadOnlyBuffer()));
            // the link header is read big-endian whatever the buffer's order
            assertEquals(LINK, codec.decode(ByteBuffer.wrap(frame).order(java.nio.ByteOrder.LITTLE_ENDIAN)).link());
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyTruncationIsATypedError() {
        return IntStream.range(0, 40).mapToObj(seed -> DynamicTest.dynamicTest("seed " + seed, () -> {
            byte[] frame = codec.encode(LINK, random(new SplittableRandom(seed)));
            for (int cut = 0; cut < frame.length; cut++) {
                ByteBuffer part = ByteBuffer.wrap(frame, 0, cut);
                WireException e = assertThrows(WireException.class, () -> codec.decode(part), "cut at " + cut);
                assertEquals(cut < WireCodec.HEADER_BYTES ? WireException.Kind.TOO_SHORT : WireException.Kind.MALFORMED,
                        e.kind(), "cut at " + cut + ": " + e.getMessage());
            }
        }));
    }

    @Test
    void badHeadersTrailingBytesAndBombsAreTypedErrors() {
        byte[] ack = codec.encode(LINK, new WireMessage.Ack(new MessageId(1, 2), ClusterId.of("a"),
                ClusterId.of("b"), List.of()));
        assertKind(WireException.Kind.BAD_MAGIC, withByte(ack, 0, 'X'));
        assertKind(WireException.Kind.UNKNOWN_VERSION, withByte(ack, 2, 9));
        assertKind(WireException.Kind.UNKNOWN_TYPE, withByte(ack, 3, 16));
        assertKind(WireException.Kind.UNKNOWN_TYPE, withByte(ack, 3, -1));
        byte[] trailing = java.util.Arrays.copyOf(ack, ack.length + 3);
        assertKind(WireException.Kind.TRAILING_BYTES, trailing);
        assertKind(WireException.Kind.TOO_LARGE, new byte[(1 << 20) + 1]);
        // an ACK whose visited list claims 2^28 entries in a 30-byte frame: refused before allocating
        byte[] bomb = frame(WireCodec.ACK, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 1, 'a', 1, 'b',
                0x80, 0x80, 0x80, 0x80, 0x01);
        WireException e = assertThrows(WireException.class, () -> codec.decode(ByteBuffer.wrap(bomb)));
        assertEquals(WireException.Kind.MALFORMED, e.kind());
        assertEquals(true, e.getMessage().contains("count 268435456 exceeds"), e.getMessage());
        // a text field claiming 2^31-1 bytes
        byte[] textBomb = frame(WireCodec.HELLO, 0xFF, 0xFF, 0xFF, 0xFF, 0x07);
        assertEquals(WireException.Kind.MALFORMED,
                assertThrows(WireException.class, () -> codec.decode(ByteBuffer.wrap(textBomb))).kind());
        // an invalid cluster id inside a well-formed frame
        byte[] badId = frame(WireCodec.ACK, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 1, ' ', 1, 'b', 0);
        // a link header with sender epoch 0 or sequence 0 (no sender draws those)
        byte[] zeroEpoch = ack.clone();
        java.util.Arrays.fill(zeroEpoch, 4, 12, (byte) 0);
        assertKind(WireException.Kind.MALFORMED, zeroEpoch);
        byte[] zeroSequence = ack.clone();
        java.util.Arrays.fill(zeroSequence, 20, 28, (byte) 0);
        assertKind(WireException.Kind.MALFORMED, zeroSequence);
        assertEquals(WireException.Kind.MALFORMED,
                assertThrows(WireException.class, () -> codec.decode(ByteBuffer.wrap(badId))).kind());
    }

    @Test
    void encodingMoreThanTheCapIsRefused() {
        WireCodec small = new WireCodec(64);
        Message big = Message.builder("q").id(new MessageId(1, 1)).payload(new byte[100]).build();
        WireMessage deliver = new WireMessage.Deliver(big.id(), ClusterId.of("a"), ClusterId.of("b"),
                DeliveryGuarantee.AT_LEAST_ONCE, big, null, 0, 1, 1, List.of());
        assertEquals(WireException.Kind.TOO_LARGE,
                assertThrows(WireException.class, () -> small.encode(LINK, deliver)).kind());
    }

    @Test
    void framesAreCompact() {
        byte[] ack = codec.encode(LINK, new WireMessage.Ack(new MessageId(1, 2), ClusterId.of("c1"),
                ClusterId.of("c2"), List.of(ClusterId.of("c1"))));
        assertArrayEquals(new byte[] {'M', 'F', WireCodec.VERSION, WireCodec.ACK, 1, 2, 3, 4, 5, 6, 7, 8},
                java.util.Arrays.copyOf(ack, 12));
        // header, link, id, from, to, visited, and the length of no signature (sent straight over the link)
        assertEquals(4 + LinkHeader.BYTES + 16 + 3 + 3 + 1 + 3 + 1, ack.length);
    }

    @Test
    void aBatchCarriesMessagesInOrderAndDecodesToTheSameMessages() {
        SplittableRandom r = new SplittableRandom(5);
        List<WireMessage> messages = new ArrayList<>();
        while (messages.size() < 40) {
            WireMessage m = random(r);
            if (!(m instanceof WireMessage.Hello)) {
                messages.add(m);
            }
        }
        WireCodec.Encoded all = codec.encodeBatch(LINK, messages, 0);
        assertEquals(40, all.next());
        assertEquals(WireCodec.BATCH, all.frame()[3]);
        WireCodec.Frame decoded = codec.decode(ByteBuffer.wrap(all.frame()));
        assertEquals(LINK, decoded.link());
        assertEquals(new WireMessage.Batch(messages), decoded.message());
        assertArrayEquals(all.frame(), codec.encode(LINK, new WireMessage.Batch(messages)), "one encoding");
        // each message costs its type byte and its body, no more
        int bodies = messages.stream().mapToInt(m -> codec.encode(LINK, m).length - WireCodec.HEADER_BYTES + 1).sum();
        assertEquals(WireCodec.HEADER_BYTES + bodies, all.frame().length);
    }

    @Test
    void encodeBatchFillsFramesUpToTheCapAndRefusesAMessageTooLargeAlone() {
        WireCodec small = new WireCodec(600);
        List<WireMessage> acks = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            acks.add(new WireMessage.Ack(new MessageId(i, i), ClusterId.of("c1"), ClusterId.of("c2"), List.of()));
        }
        List<WireMessage> back = new ArrayList<>();
        int from = 0;
        int frames = 0;
        while (from < acks.size()) {
            WireCodec.Encoded e = small.encodeBatch(LINK, acks, from);
            assertEquals(true, e.frame().length <= 600, e.frame().length + " bytes");
            assertEquals(true, e.next() > from);
            back.addAll(((WireMessage.Batch) small.decode(ByteBuffer.wrap(e.frame())).message()).messages());
            from = e.next();
            frames++;
        }
        assertEquals(acks, back, "every message once, in order");
        assertEquals(true, frames > 1 && frames < 10, frames + " frames");
        List<WireMessage> big = List.of(new WireMessage.Deliver(new MessageId(1, 1), ClusterId.of("c1"),
                ClusterId.of("c2"), DeliveryGuarantee.AT_LEAST_ONCE, Message.builder("q").payload(new byte[700])
                .build(new SplittableRandom(1)), null, 0, 0, 1, List.of()));
        assertEquals(WireException.Kind.TOO_LARGE,
                assertThrows(WireException.class, () -> small.encodeBatch(LINK, big, 0)).kind());
    }

    @Test
    void aBatchIsNeverEmptyNestedOrHoldingAHello() {
        assertKind(WireException.Kind.MALFORMED, frame(WireCodec.BATCH));
        byte[] hello = codec.encode(LINK, new WireMessage.Hello("f", NodeId.of("c1", "n"), 1));
        byte[] ack = codec.encode(LINK, new WireMessage.Ack(new MessageId(1, 2), ClusterId.of("a"),
                ClusterId.of("b"), List.of()));
        assertKind(WireException.Kind.MALFORMED, asBatch(hello));
        assertKind(WireException.Kind.MALFORMED, asBatch(asBatch(ack)));
        assertKind(WireException.Kind.UNKNOWN_TYPE, withByte(asBatch(ack), WireCodec.HEADER_BYTES, 16));
        byte[] truncated = asBatch(ack);
        assertKind(WireException.Kind.MALFORMED, java.util.Arrays.copyOf(truncated, truncated.length - 1));
        assertThrows(IllegalArgumentException.class, () -> new WireMessage.Batch(List.of()));
        assertThrows(IllegalArgumentException.class, () -> new WireMessage.Batch(List.of(
                new WireMessage.Hello("f", NodeId.of("c1", "n"), 1))));
    }

    /** {@code frame}'s message (type byte and body) as the one message of a batch frame. */
    private static byte[] asBatch(byte[] frame) {
        byte[] out = new byte[frame.length + 1];
        System.arraycopy(frame, 0, out, 0, WireCodec.HEADER_BYTES);
        out[3] = WireCodec.BATCH;
        out[WireCodec.HEADER_BYTES] = frame[3];
        System.arraycopy(frame, WireCodec.HEADER_BYTES, out, WireCodec.HEADER_BYTES + 1, frame.length - WireCodec.HEADER_BYTES);
        return out;
    }

    private void assertKind(WireException.Kind kind, byte[] frame) {
        assertEquals(kind, assertThrows(WireException.class, () -> codec.decode(ByteBuffer.wrap(frame))).kind());
    }

    /** A frame of {@code type} with {@link #LINK} and the body {@code body} (ints, to write bytes over 0x7F plainly). */
    private static byte[] frame(byte type, int... body) {
        ByteBuffer b = ByteBuffer.allocate(WireCodec.HEADER_BYTES + body.length);
        b.put((byte) 'M').put((byte) 'F').put((byte) WireCodec.VERSION).put(type);
        b.putLong(LINK.senderEpoch()).putLong(LINK.receiverEpoch()).putLong(LINK.sequence());
        for (int v : body) {
            b.put((byte) v);
        }
        return b.array();
    }

    private static byte[] withByte(byte[] frame, int index, int value) {
        byte[] copy = frame.clone();
        copy[index] = (byte) value;
        return copy;
    }

    private static byte[] bytes(java.util.SplittableRandom r, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) r.nextInt();
        }
        return b;
    }
}
