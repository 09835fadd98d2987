package io.mpreg.api;

import io.mpreg.api.spi.transport.FrameReceiver;
import io.mpreg.api.spi.transport.FrameTooLargeException;
import io.mpreg.api.spi.transport.PeerEvent;
import io.mpreg.api.spi.transport.TransportLifecycle;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransportLifecycleTest {
    private static final FrameReceiver RECEIVER = new FrameReceiver() {
        @Override
        public void onFrame(NodeId from, ByteBuffer frame) {
        }

        @Override
        public void onPeerEvent(PeerEvent event) {
        }
    };

    @Test
    void newThenStartedOnceThenClosedForGood() {
        TransportLifecycle life = new TransportLifecycle("test transport of a/gw");
        assertTrue(life.isNew());
        assertEquals("test transport of a/gw is not started",
                assertThrows(IllegalStateException.class, () -> life.checkSend(new byte[1], 10)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> life.start(null));
        life.start(RECEIVER);
        assertTrue(life.isRunning());
        assertFalse(life.isNew());
        life.checkSend(new byte[10], 10);
        FrameTooLargeException big = assertThrows(FrameTooLargeException.class, () -> life.checkSend(new byte[11], 10));
        assertEquals(11, big.size());
        assertEquals(0, assertThrows(FrameTooLargeException.class, () -> life.checkSend(new byte[0], 10)).size());
        assertEquals(0, assertThrows(FrameTooLargeException.class, () -> life.checkSend(null, 10)).size());
        assertEquals("test transport of a/gw was already started",
                assertThrows(IllegalStateException.class, () -> life.start(RECEIVER)).getMessage());
        assertTrue(life.close());
        assertFalse(life.close(), "only the first close counts");
        assertFalse(life.isRunning());
        assertEquals("test transport of a/gw is closed",
                assertThrows(IllegalStateException.class, () -> life.checkSend(new byte[1], 10)).getMessage());
        assertEquals("test transport of a/gw was already closed",
                assertThrows(IllegalStateException.class, () -> life.start(RECEIVER)).getMessage());
    }
}
