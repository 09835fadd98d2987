package io.mpreg.transport.tcp.internal;

import io.mpreg.api.NodeId;
import io.mpreg.api.spi.transport.FrameReceiver;
import io.mpreg.api.spi.transport.PeerEvent;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records frames and events (mpreg-it's RecordingReceiver is out of reach here: mpreg-it depends on this module). */
final class Recorder implements FrameReceiver {
    final List<String> frames = new CopyOnWriteArrayList<>();
    final List<PeerEvent> events = new CopyOnWriteArrayList<>();
    /** When set, each frame waits (up to 10 s) for this latch before it is recorded. */
    volatile java.util.concurrent.CountDownLatch gate;

    @Override
    public void onFrame(NodeId from, ByteBuffer frame) {
        java.util.concurrent.CountDownLatch g = gate;
        if (g != null) {
            try {
                g.await(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] copy = new byte[frame.remaining()];
        frame.get(copy);
        frames.add(from + ":" + new String(copy, java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public void onPeerEvent(PeerEvent event) {
        events.add(event);
    }

    boolean up(NodeId peer) {
        PeerEvent last = null;
        for (PeerEvent e : events) {
            if (e.peer().equals(peer)) {
                last = e;
            }
        }
        return last != null && last.kind() == PeerEvent.Kind.UP;
    }

    List<PeerEvent> eventsOf(NodeId peer) {
        return events.stream().filter(e -> e.peer().equals(peer)).toList();
    }
}
