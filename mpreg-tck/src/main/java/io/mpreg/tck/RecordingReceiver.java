package io.mpreg.tck;

import io.mpreg.api.NodeId;
import io.mpreg.api.spi.transport.FrameReceiver;
import io.mpreg.api.spi.transport.PeerEvent;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link FrameReceiver} that records what a transport delivers (frames copied, per peer; events in order) and
 * checks the receiver side of the transport contract as it goes: frames of one peer never delivered concurrently,
 * buffers read-only, events of one peer alternating UP, DOWN, UP... starting with UP. Breaches are collected in
 * {@link #violations()}. An optional {@link Hook} runs before each frame is recorded, to block or throw.
 *
 * @since 0.1.0
 */
public final class RecordingReceiver implements FrameReceiver {

    /** Runs on the transport's thread before a frame is recorded. */
    @FunctionalInterface
    public interface Hook {
        void beforeRecord(NodeId from, ByteBuffer frame);
    }

    private final Map<NodeId, List<byte[]>> frames = new ConcurrentHashMap<>();
    private final Map<NodeId, List<PeerEvent>> events = new ConcurrentHashMap<>();
    private final Map<NodeId, AtomicInteger> inside = new ConcurrentHashMap<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private volatile Hook hook = (from, frame) -> { };

    /** A receiver that records everything and has no hook. */
    public RecordingReceiver() {
    }

    public void hook(Hook newHook) {
        this.hook = newHook;
    }

    @Override
    public void onFrame(NodeId from, ByteBuffer frame) {
        AtomicInteger count = inside.computeIfAbsent(from, k -> new AtomicInteger());
        if (count.incrementAndGet() != 1) {
            violations.add("frames from " + from + " delivered concurrently");
        }
        try {
            if (!frame.isReadOnly()) {
                violations.add("frame buffer from " + from + " is writable");
            }
            hook.beforeRecord(from, frame);
            byte[] copy = new byte[frame.remaining()];
            frame.duplicate().get(copy);
            frames.computeIfAbsent(from, k -> new CopyOnWriteArrayList<>()).add(copy);
        } finally {
            count.decrementAndGet();
        }
    }

    @Override
    public void onPeerEvent(PeerEvent event) {
        List<PeerEvent> list = events.computeIfAbsent(event.peer(), k -> new CopyOnWriteArrayList<>());
        PeerEvent.Kind expected = list.isEmpty() || list.get(list.size() - 1).kind() == PeerEvent.Kind.DOWN
                ? PeerEvent.Kind.UP : PeerEvent.Kind.DOWN;
        if (event.kind() != expected) {
            violations.add("event " + event + " after " + list);
        }
        list.add(event);
    }

    /** Frames received from {@code peer}, in arrival order. */
    public List<byte[]> frames(NodeId peer) {
        return new ArrayList<>(frames.getOrDefault(peer, List.of()));
    }

    public int frameCount(NodeId peer) {
        return frames.getOrDefault(peer, List.of()).size();
    }

    /** Events about {@code peer}, in order. */
    public List<PeerEvent> events(NodeId peer) {
        return new ArrayList<>(events.getOrDefault(peer, List.of()));
    }

    /** The kinds of the events about {@code peer}, in order. */
    public List<PeerEvent.Kind> kinds(NodeId peer) {
        return events(peer).stream().map(PeerEvent::kind).toList();
    }

    /** Whether the last event about {@code peer} was UP. */
    public boolean isUp(NodeId peer) {
        List<PeerEvent.Kind> k = kinds(peer);
        return !k.isEmpty() && k.get(k.size() - 1) == PeerEvent.Kind.UP;
    }

    /** Breaches of the receiver-side contract seen so far. */
    public List<String> violations() {
        return List.copyOf(violations);
    }
}
