package io.mpreg.federation.internal;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The ids (of messages, copies) seen inside a time window, with a value each, bounded in number: at capacity the oldest id goes
 * first, and an id older than the window is gone. Written in time order on a monotonic clock, so the first entry is
 * always the oldest and both bounds trim from the head.
 *
 * <p>Not Caffeine: a size-bounded Caffeine cache admits by frequency (W-TinyLFU) and may evict the id just written
 * rather than the oldest, so at capacity a retransmission of a recent message could be stored twice. Not thread-safe:
 * the node's event loop owns it.
 */
public final class DedupWindow<K, V> {
    private record Entry<V>(V value, long writtenAt) {
    }

    private final LinkedHashMap<K, Entry<V>> entries = new LinkedHashMap<>();
    private final long windowNanos;
    private final long capacity;
    private final LongSupplier clock;
    private final Visitor<K, V> forgotten;

    /** Remembers ids for {@code windowNanos} on {@code clock}, at most {@code capacity} of them. */
    public DedupWindow(long windowNanos, long capacity, LongSupplier clock) {
        this(windowNanos, capacity, clock, (id, value, writtenAt) -> { });
    }

    /**
     * As {@link #DedupWindow(long, long, LongSupplier)}, telling {@code forgotten} of each id as it leaves (past the
     * window or at capacity), before the call that removed it returns.
     */
    public DedupWindow(long windowNanos, long capacity, LongSupplier clock, Visitor<K, V> forgotten) {
        if (windowNanos < 0 || capacity < 1) {
            throw new IllegalArgumentException("window " + windowNanos + " ns and capacity " + capacity
                    + ": the window must not be negative and the capacity must be at least 1");
        }
        this.windowNanos = windowNanos;
        this.capacity = capacity;
        this.clock = clock;
        this.forgotten = forgotten;
    }

    /** The value remembered for {@code id} inside the window, or null. */
    public V get(K id) {
        expire(clock.getAsLong());
        Entry<V> e = entries.get(id);
        return e == null ? null : e.value;
    }

    /** Remembers {@code id} with {@code value} from now on (an id already here starts its window again). */
    public void put(K id, V value) {
        put(id, value, clock.getAsLong());
    }

    /**
     * Remembers {@code id} as written at {@code writtenAt} on the window's clock (recovery: ids are put back oldest
     * first, each no newer than the ids already here).
     */
    public void put(K id, V value, long writtenAt) {
        expire(clock.getAsLong());
        entries.remove(id);
        entries.put(id, new Entry<>(value, writtenAt));
        if (entries.size() > capacity) {
            Iterator<Map.Entry<K, Entry<V>>> it = entries.entrySet().iterator();
            Map.Entry<K, Entry<V>> oldest = it.next();
            it.remove();
            forgotten.visit(oldest.getKey(), oldest.getValue().value, oldest.getValue().writtenAt);
        }
    }

    /** Sees every id remembered now, oldest first (for a snapshot). */
    public void forEach(Visitor<K, V> visitor) {
        expire(clock.getAsLong());
        entries.forEach((id, e) -> visitor.visit(id, e.value, e.writtenAt));
    }

    /** Sees one remembered id. */
    @FunctionalInterface
    public interface Visitor<K, V> {
        void visit(K id, V value, long writtenAt);
    }

    /** How many ids are remembered now. */
    public int size() {
        expire(clock.getAsLong());
        return entries.size();
    }

    private void expire(long now) {
        Iterator<Map.Entry<K, Entry<V>>> it = entries.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<K, Entry<V>> e = it.next();
            if (now - e.getValue().writtenAt < windowNanos) {
                return;
            }
            it.remove();
            forgotten.visit(e.getKey(), e.getValue().value, e.getValue().writtenAt);
        }
    }
}
