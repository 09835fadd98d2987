package io.mpreg.it;

import io.mpreg.tck.Await;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.DeliveryOptions;
import io.mpreg.api.Message;
import io.mpreg.api.spi.transport.SendStatus;
import io.mpreg.federation.Delivery;
import io.mpreg.federation.FederationNode;
import io.mpreg.federation.FederationStatistics;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static io.mpreg.it.LiveFederation.PATIENCE;
import static io.mpreg.it.LiveFederation.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replay protection and bad frames between live nodes (issue 11): frames a wiretap recorded on a link and sent again
 * are refused and counted, before and after the receiver restarts, and none reaches a queue twice; each kind of
 * malformed federation frame is counted and, over tcp, closes the connection, which comes back, with nothing else
 * disturbed. (Malformed transport framing — lengths, one-byte writes, resets — is the tcp plugin's
 * {@code BadInputTest}; which decoder error each frame gives is {@code WireCodecTest}'s.)
 */
class LinkIntegrityIT {
    private static final int MESSAGES = 20;
    private final SplittableRandom random = new SplittableRandom(11);

    private Message message(String text) {
        return Message.builder("orders").payload(text.getBytes(StandardCharsets.UTF_8)).build(random);
    }

    private void send(LiveFederation f, String text) throws Exception {
        assertTrue(LiveFederation.outcome(f.node(1).send(message(text),
                DeliveryOptions.of(DeliveryGuarantee.AT_LEAST_ONCE))).success(), text);
    }

    /** The federation is linked; c2 holds queue "orders" with a recording subscriber; c1 has discovered it. */
    private static List<Delivery> ordersOnC2(LiveFederation f) {
        f.awaitFullyConnected();
        List<Delivery> got = f.subscribe(2, "orders");
        Await.until(PATIENCE, "c1 discovers c2's queue", () -> !f.node(1).discoverQueues("orders").isEmpty(),
                () -> f.node(1).discoverQueues("*"));
        return got;
    }

    /**
     * Sends {@link #MESSAGES} messages from c1 to c2's queue (delivered to {@code got}) with a wiretap on the link;
     * returns the frames it recorded.
     */
    private List<byte[]> sendThroughATap(LiveFederation f, List<Delivery> got) throws Exception {
        f.gate.record(f.id(1), f.id(2));
        for (int i = 0; i < MESSAGES; i++) {
            send(f, "m" + i);
        }
        Await.until(PATIENCE, "c2 took every message", () -> got.size() == MESSAGES, got::size);
        List<byte[]> tapped = f.gate.recorded(f.id(1), f.id(2));
        assertTrue(tapped.size() >= MESSAGES, "the tap saw the deliveries: " + tapped.size());
        return tapped;
    }

    /** Sends every frame of {@code frames} again from c1 to c2; returns how many the transport took. */
    private static int replay(LiveFederation f, List<byte[]> frames) {
        int sent = 0;
        for (byte[] frame : frames) {
            sent += f.gate.inject(f.id(1), f.id(2), frame) == SendStatus.ACCEPTED ? 1 : 0;
        }
        return sent;
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "jgroups"})
    void framesRecordedOnALinkAndSentAgainAreRefusedAndCounted(String transport) throws Exception {
        try (LiveFederation f = new LiveFederation(transport, 2).start()) {
            List<Delivery> got = ordersOnC2(f);
            List<byte[]> tapped = sendThroughATap(f, got);
            FederationStatistics before = f.node(2).statistics();

            int replayed = replay(f, tapped);
            assertEquals(tapped.size(), replayed, "the transport took every replayed frame");
            FederationNode c2 = f.node(2);
            Await.until(PATIENCE, "c2 refuses every replayed frame",
                    () -> c2.statistics().framesReplayed() - before.framesReplayed() == replayed,
                    () -> c2.statistics().framesReplayed() - before.framesReplayed());
            send(f, "fresh"); // behind the replays on the same link: they were all handled before it
            Await.until(PATIENCE, "the fresh message arrives", () -> got.size() == MESSAGES + 1, got::size);
            FederationStatistics after = c2.statistics();
            assertEquals(before.duplicatesDropped(), after.duplicatesDropped(),
                    "no replayed delivery got as far as the queue's dedup");
            assertEquals(before.framesStale(), after.framesStale());
            assertEquals(before.framesUndecodable(), after.framesUndecodable());
            assertEquals("fresh", texts(got).get(MESSAGES));
            var jmx = java.lang.management.ManagementFactory.getPlatformMBeanServer();
            var name = new javax.management.ObjectName("io.mpreg:type=FederationNode,node=\"c2/gw\"");
            assertEquals(after.framesReplayed(), jmx.getAttribute(name, "FramesReplayed"), "the same figure over JMX");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "jgroups"})
    void framesRecordedBeforeTheReceiverRestartedAreRefusedByItsNewIncarnation(String transport) throws Exception {
        try (LiveFederation f = new LiveFederation(transport, 2).start()) {
            List<byte[]> tapped = sendThroughATap(f, ordersOnC2(f));

            FederationNode c2 = f.restart(2); // a new incarnation: empty queues, empty dedup window
            List<Delivery> got = ordersOnC2(f);
            FederationStatistics before = c2.statistics();
            int replayed = replay(f, tapped);
            Await.until(PATIENCE, "c2 refuses every frame meant for its previous incarnation",
                    () -> refusals(c2.statistics()) - refusals(before) == replayed,
                    () -> c2.statistics().framesStale() + " stale, " + c2.statistics().framesReplayed() + " replayed");
            assertTrue(c2.statistics().framesStale() - before.framesStale() >= MESSAGES,
                    "at least the deliveries were addressed to the old incarnation");
            send(f, "fresh");
            Await.until(PATIENCE, "the fresh message arrives", () -> got.size() == 1, got::size);
            assertEquals(List.of("fresh"), texts(got), "no message of the old incarnation was delivered again");
        }
    }

    private static long refusals(FederationStatistics s) {
        return s.framesStale() + s.framesReplayed();
    }

    /**
     * Malformed federation frames, each built from a real frame of the link (so only the named defect is wrong). The
     * byte layout is the codec's: 'M' 'F', version, type, 24 bytes of link header, then the body.
     */
    private static Map<String, byte[]> malformed(byte[] real) {
        byte[] header = Arrays.copyOfRange(real, 4, 28);
        Map<String, byte[]> out = new LinkedHashMap<>();
        out.put("shorter than the header", Arrays.copyOf(real, 10));
        out.put("bad magic", with(real, 0, 'X'));
        out.put("unknown version", with(real, 2, 9));
        out.put("unknown type", with(real, 3, 99));
        out.put("negative type", with(real, 3, -1));
        byte[] zeroEpoch = real.clone();
        Arrays.fill(zeroEpoch, 4, 12, (byte) 0);
        out.put("sender epoch 0", zeroEpoch);
        out.put("body cut short", Arrays.copyOf(real, 28 + (real.length - 28) / 2));
        out.put("trailing garbage", Arrays.copyOf(real, real.length + 3));
        // an ACK whose visited list claims 2^28 entries (WireCodecTest's count bomb)
        out.put("count bomb", concat(new byte[] {'M', 'F', 2, 4}, header, new byte[] {0, 0, 0, 0, 0, 0, 0, 1, 0, 0,
                0, 0, 0, 0, 0, 2, 1, 'a', 1, 'b', (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01}));
        // a hello whose federation name claims 2^31-1 bytes
        out.put("length bomb", concat(new byte[] {'M', 'F', 2, 1}, header, new byte[] {(byte) 0xFF, (byte) 0xFF,
                (byte) 0xFF, (byte) 0xFF, 0x07}));
        byte[] noise = new byte[512];
        new SplittableRandom(5).nextBytes(noise);
        out.put("noise after a valid header", concat(Arrays.copyOf(real, 28), noise));
        return out;
    }

    private static byte[] with(byte[] frame, int index, int value) {
        byte[] copy = frame.clone();
        copy[index] = (byte) value;
        return copy;
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "jgroups"})
    void eachMalformedFrameIsCountedAndOverTcpClosesTheConnectionWhichComesBack(String transport) throws Exception {
        try (LiveFederation f = new LiveFederation(transport, 2).start()) {
            List<Delivery> got = ordersOnC2(f);
            f.gate.record(f.id(1), f.id(2));
            send(f, "before");
            byte[] real = f.gate.recorded(f.id(1), f.id(2)).get(0);
            FederationNode c2 = f.node(2);
            int sent = 1;
            for (Map.Entry<String, byte[]> bad : malformed(real).entrySet()) {
                String what = bad.getKey();
                long undecodable = c2.statistics().framesUndecodable();
                int downs = f.gate.downs(f.id(1), f.id(2));
                assertEquals(SendStatus.ACCEPTED, f.gate.inject(f.id(1), f.id(2), bad.getValue()), what);
                Await.until(PATIENCE, "c2 counts the frame with " + what,
                        () -> c2.statistics().framesUndecodable() == undecodable + 1,
                        () -> c2.statistics().framesUndecodable() - undecodable);
                if (transport.equals("tcp")) {
                    Await.until(PATIENCE, "c1 sees the connection closed after " + what,
                            () -> f.gate.downs(f.id(1), f.id(2)) > downs, () -> f.gate.downs(f.id(1), f.id(2)));
                }
                send(f, "after " + what); // the link is back (or was never cut) and carries messages
                sent++;
            }
            int expected = sent;
            Await.until(PATIENCE, "every message arrives", () -> got.size() == expected, got::size);
            assertEquals(expected, new java.util.HashSet<>(texts(got)).size(), "each exactly once: " + texts(got));
            FederationStatistics s = c2.statistics();
            assertEquals(0, s.framesReplayed() + s.framesStale() + s.votesRejected(), "nothing else was refused");
            assertEquals(0, s.messagesRefused());
        }
    }
}
