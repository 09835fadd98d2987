package io.mpreg.federation.internal.queue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The consumers of one {@link LocalQueue}, in the order they attached: how many unacknowledged messages each holds
 * (at most its prefetch), which one takes the next competing message (round robin among those with room), and which
 * could not take one during the current pump (skipped until the next).
 */
final class QueueConsumers {
    private final List<QueueConsumer> consumers = new ArrayList<>();
    private final Map<Long, Integer> taken = new HashMap<>();
    private final Set<Long> unreachable = new HashSet<>();
    private int next;

    void add(QueueConsumer consumer) {
        consumers.add(consumer);
    }

    /** Detaches consumer {@code id}; false if it was not attached. */
    boolean remove(long id) {
        int index = -1;
        for (int i = 0; i < consumers.size(); i++) {
            if (consumers.get(i).id() == id) {
                index = i;
            }
        }
        if (index < 0) {
            return false;
        }
        consumers.remove(index);
        taken.remove(id);
        return true;
    }

    boolean has(long id) {
        return consumers.stream().anyMatch(c -> c.id() == id);
    }

    int size() {
        return consumers.size();
    }

    boolean isEmpty() {
        return consumers.isEmpty();
    }

    /** The consumers now, for a fan-out (a copy: a consumer may detach while one is handed a message). */
    List<QueueConsumer> all() {
        return List.copyOf(consumers);
    }

    /** A pump starts: every consumer may be tried again. */
    void newPump() {
        if (!unreachable.isEmpty()) {
            unreachable.clear();
        }
    }

    boolean anyUnreachable() {
        return !unreachable.isEmpty();
    }

    /** Consumer {@code id} holds one more unacknowledged message. */
    void took(long id) {
        taken.merge(id, 1, Integer::sum);
    }

    /** Consumer {@code id} holds one unacknowledged message less. */
    void settled(long id) {
        taken.computeIfPresent(id, (k, n) -> n > 1 ? n - 1 : null);
    }

    /** Consumer {@code id} could not take a message now. */
    void unreachable(long id) {
        settled(id);
        unreachable.add(id);
    }

    /** The next consumer, round robin, that is reachable and has room; null if none. */
    QueueConsumer nextWithRoom() {
        for (int i = 0; i < consumers.size(); i++) {
            QueueConsumer c = consumers.get((next + i) % consumers.size());
            if (!unreachable.contains(c.id()) && taken.getOrDefault(c.id(), 0) < c.prefetch()) {
                next = (next + i + 1) % consumers.size();
                return c;
            }
        }
        return null;
    }

    void clear() {
        consumers.clear();
        taken.clear();
    }
}
