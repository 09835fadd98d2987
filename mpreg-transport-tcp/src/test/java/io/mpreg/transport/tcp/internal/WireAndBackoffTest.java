package io.mpreg.transport.tcp.internal;

import io.mpreg.api.NodeId;
import io.mpreg.api.spi.PluginOptions;
import io.mpreg.api.spi.transport.PeerState;
import io.mpreg.api.spi.transport.SendStatus;
import io.mpreg.api.spi.transport.TransportConfig;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WireAndBackoffTest {

    @Test
    void helloAndAnswersRoundTrip() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Wire.Hello hello = new Wire.Hello(NodeId.of("a", "gw-1"), NodeId.of("b", "gw.2"), 12345);
        Wire.writeHello(new DataOutputStream(bytes), hello);
        assertEquals(hello, Wire.readHello(in(bytes)));

        bytes.reset();
        Wire.writeWelcome(new DataOutputStream(bytes), NodeId.of("b", "gw.2"), 99);
        assertEquals(new Wire.Answer(NodeId.of("b", "gw.2"), 99, null), Wire.readAnswer(in(bytes)));

        bytes.reset();
        Wire.writeRefusal(new DataOutputStream(bytes), "no");
        assertEquals(new Wire.Answer(null, 0, "no"), Wire.readAnswer(in(bytes)));
    }

    @Test
    void invalidIdentitiesInAHelloAreProtocolErrors() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(Wire.MAGIC);
        out.writeByte(Wire.VERSION);
        out.writeByte(3);
        out.writeBytes("a b"); // a space is not allowed in a cluster id
        out.writeByte(1);
        out.writeBytes("n");
        Wire.ProtocolException e = assertThrows(Wire.ProtocolException.class, () -> Wire.readHello(in(bytes)));
        assertTrue(e.getMessage().startsWith("invalid sender id: cluster id 'a b' is invalid"), e.getMessage());
    }

    @Test
    void headersAreCheckedAgainstTheCap() throws IOException {
        assertEquals(1, Wire.checkHeader(Wire.DATA, 1, 10));
        assertEquals(10, Wire.checkHeader(Wire.DATA, 10, 10));
        assertEquals(0, Wire.checkHeader(Wire.GOODBYE, 0, 10));
        assertEquals("data frame length 11 outside [1, 10]",
                assertThrows(Wire.ProtocolException.class, () -> Wire.checkHeader(Wire.DATA, 11, 10)).getMessage());
        assertEquals("data frame length -1 outside [1, 10]",
                assertThrows(Wire.ProtocolException.class, () -> Wire.checkHeader(Wire.DATA, -1, 10)).getMessage());
    }

    @Test
    void backoffDoublesToTheCapWithJitterInTheUpperHalf() {
        Backoff backoff = new Backoff(Duration.ofMillis(10), Duration.ofMillis(1000), 7);
        long[] bases = {10, 10, 20, 40, 80, 160, 320, 640, 1000, 1000, 1000};
        for (int failures = 0; failures < bases.length; failures++) {
            long base = TimeUnit.MILLISECONDS.toNanos(bases[failures]);
            for (int draw = 0; draw < 50; draw++) {
                long delay = backoff.delayNanos(failures);
                assertTrue(delay >= base / 2 && delay <= base, failures + " failures: " + delay + " vs " + base);
            }
        }
        assertEquals(TimeUnit.MILLISECONDS.toNanos(1000), Math.max(backoff.delayNanos(Integer.MAX_VALUE),
                TimeUnit.MILLISECONDS.toNanos(1000)), "no overflow at huge failure counts");
        Backoff a = new Backoff(Duration.ofMillis(10), Duration.ofMillis(1000), 42);
        Backoff b = new Backoff(Duration.ofMillis(10), Duration.ofMillis(1000), 42);
        for (int i = 0; i < 20; i++) {
            assertEquals(a.delayNanos(i), b.delayNanos(i), "same seed, same delays");
        }
    }

    @Test
    void aBackedUpWriterSendsQueuedFramesInBatches() {
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        NodeId aId = NodeId.of("a", "gw");
        NodeId bId = NodeId.of("b", "gw");
        PluginOptions small = PluginOptions.of("tcp.socketBufferBytes", "4096");
        TcpTransport b = new TcpTransport(TransportConfig.defaults(bId, any).withPeers(Map.of(aId, any)),
                TcpOptions.from(small));
        Recorder bSees = new Recorder();
        CountDownLatch release = new CountDownLatch(1);
        bSees.gate = release;
        b.start(bSees);
        TcpTransport a = new TcpTransport(TransportConfig.defaults(aId, any).withPeers(Map.of(bId, b.boundAddress())),
                TcpOptions.from(small));
        Recorder aSees = new Recorder();
        a.start(aSees);
        try {
            Conditions.await(Duration.ofSeconds(10), "linked", () -> aSees.up(bId), () -> aSees.events);
            int sent = 0;
            byte[] frame = new byte[512];
            while (true) { // count accepted frames only: QUEUE_FULL can be seen before the state reads BACKLOGGED
                SendStatus status = a.send(bId, frame);
                if (status == SendStatus.ACCEPTED) {
                    sent++;
                } else if (a.peers().get(bId) == PeerState.BACKLOGGED) {
                    break;
                }
            }
            release.countDown();
            int expected = sent;
            Conditions.await(Duration.ofSeconds(10), "all frames delivered", () -> bSees.frames.size() == expected,
                    () -> bSees.frames.size() + " of " + expected + ", link events at a: " + aSees.events);
            assertEquals(expected, a.framesWritten());
            assertTrue(a.writeBatches() < a.framesWritten() / 4, a.writeBatches() + " flushes for "
                    + a.framesWritten() + " frames");
        } finally {
            a.close();
            b.close();
        }
    }

    private static DataInputStream in(ByteArrayOutputStream bytes) {
        return new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
    }
}
